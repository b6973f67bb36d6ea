// A reply whose model has no price: chat.stream.end without `cost`. Its cost stays unknown
// (not $0) on the message, and the session's totals count it apart from the known costs.
#include <gtest/gtest.h>

#include "chat_test_helpers.h"

namespace chat::core {
namespace {

using testing::Driver;

TEST(ChatReducerCost, AReplyWithoutCostHasAnUnknownCostAndIsCountedApart) {
  Driver d;
  d.state = testing::stateWithSession("s-a");
  d.created("s-a");
  d.start("s-a", "c-1");
  d.delta("s-a", "c-1", "priced");
  d.end("s-a", "c-1", proto::Usage{10, 20, 30}, proto::Cost{0.1, 0.2, 0.3});
  d.start("s-a", "c-2");
  d.delta("s-a", "c-2", "unpriced");
  d.feed(proto::StreamEnd{"s-a", d.next("s-a"), "c-2", proto::Usage{1, 2, 3}, std::nullopt, "end"});

  const SessionState& s = d.session("s-a");
  const Message& priced = s.messages.at(s.messageById.at("reply:c-1"));
  const Message& unpriced = s.messages.at(s.messageById.at("reply:c-2"));
  ASSERT_TRUE(priced.cost.has_value());
  EXPECT_DOUBLE_EQ(priced.cost->totalCost, 0.3);
  EXPECT_FALSE(unpriced.cost.has_value());
  EXPECT_EQ(unpriced.usage.totalTokens, 3);
  // Tokens are all counted; the cost sum holds only the known costs.
  EXPECT_EQ(s.totalUsage.totalTokens, 33);
  EXPECT_DOUBLE_EQ(s.totalCost.totalCost, 0.3);
  EXPECT_EQ(s.unpricedReplies, 1);
}

}  // namespace
}  // namespace chat::core
