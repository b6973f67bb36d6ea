#include <gtest/gtest.h>

#include "page/a11y_focus.h"

using namespace chat;

namespace {

void addApproval(core::SessionState& s, const std::string& id, core::ApprovalStatus st, bool sent = false) {
  core::ApprovalCard a;
  a.toolCallId = id;
  a.status = st;
  a.responseSent = sent;
  s.approvals.push_back(a);
  s.timeline.push_back(core::Entry{core::EntryKind::Approval, s.approvals.size() - 1});
}

}  // namespace

TEST(A11yFocus, TheOldestApprovalStillWaitingForThisUser) {
  EXPECT_EQ(web::oldestPendingApproval(nullptr), "");
  core::SessionState s;
  EXPECT_EQ(web::oldestPendingApproval(&s), "");
  addApproval(s, "t1", core::ApprovalStatus::Approved);
  addApproval(s, "t2", core::ApprovalStatus::Pending, true);  // answered here, not resolved yet
  EXPECT_EQ(web::oldestPendingApproval(&s), "");
  addApproval(s, "t3", core::ApprovalStatus::Pending);
  addApproval(s, "t4", core::ApprovalStatus::Pending);
  EXPECT_EQ(web::oldestPendingApproval(&s), "t3");
  s.approvals[2].status = core::ApprovalStatus::Denied;
  EXPECT_EQ(web::oldestPendingApproval(&s), "t4");
}
