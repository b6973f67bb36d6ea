// The "Approve for session" ledger both agents share: this process's grants and the log's,
// per session and per tool.
#include <gtest/gtest.h>

#include "gateway/tool_grants.h"

namespace chat::gateway {
namespace {

TEST(ToolGrants, GrantsAreKeptPerSessionAndTool) {
  ToolGrants grants;
  EXPECT_FALSE(grants.granted("s-1", "shell"));
  grants.grant("s-1", "shell");
  EXPECT_TRUE(grants.granted("s-1", "shell"));
  EXPECT_FALSE(grants.granted("s-2", "shell"));
  EXPECT_FALSE(grants.granted("s-1", "read_file"));
  EXPECT_EQ(grants.grantedTools("s-1"), (std::set<std::string>{"shell"}));
  EXPECT_TRUE(grants.grantedTools("s-2").empty());
}

TEST(ToolGrants, TheLogsGrantsCountTooAndJoinThisProcesss) {
  int asked = 0;
  ToolGrants grants([&](const std::string& sessionId) {
    ++asked;
    return sessionId == "s-1" ? std::set<std::string>{"shell"} : std::set<std::string>{};
  });
  EXPECT_TRUE(grants.granted("s-1", "shell"));
  EXPECT_FALSE(grants.granted("s-2", "shell"));
  grants.grant("s-1", "deploy");
  EXPECT_EQ(grants.grantedTools("s-1"), (std::set<std::string>{"deploy", "shell"}));
  EXPECT_GT(asked, 0);
}

}  // namespace
}  // namespace chat::gateway
