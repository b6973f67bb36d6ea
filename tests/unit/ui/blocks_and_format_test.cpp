#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ui/approval_card.h"
#include "ui/format.h"
#include "ui/height_index.h"
#include "ui/markdown_blocks.h"

namespace chat::ui {
namespace {

TEST(MarkdownBlocks, SplitsFencedCodeFromProse) {
  const auto blocks = splitBlocks("Here is code:\n\n```cpp\nint main() {\n  return 0;\n}\n```\nDone.");
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].kind, TextBlock::Kind::Prose);
  EXPECT_EQ(blocks[0].text, "Here is code:");
  EXPECT_EQ(blocks[1].kind, TextBlock::Kind::Code);
  EXPECT_EQ(blocks[1].lang, "cpp");
  EXPECT_EQ(blocks[1].text, "int main() {\n  return 0;\n}");
  EXPECT_TRUE(blocks[1].closed);
  EXPECT_EQ(blocks[2].text, "Done.");
}

TEST(MarkdownBlocks, UnclosedFenceRunsToTheEndWhileStreaming) {
  const auto blocks = splitBlocks("Run:\n```sh\nls -la\necho hi");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].kind, TextBlock::Kind::Code);
  EXPECT_EQ(blocks[1].text, "ls -la\necho hi");
  EXPECT_FALSE(blocks[1].closed);
}

TEST(MarkdownBlocks, PlainTextAndInlineBackticks) {
  EXPECT_TRUE(splitBlocks("").empty());
  const auto plain = splitBlocks("just text with ```inline``` ticks");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].kind, TextBlock::Kind::Prose);
  const auto two = splitBlocks("```\na\n```\n```py\nb\n```");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].lang, "");
  EXPECT_EQ(two[1].lang, "py");
  EXPECT_EQ(two[1].text, "b");
}

TEST(Format, CountsCostsAndTimes) {
  EXPECT_EQ(formatCount(0), "0");
  EXPECT_EQ(formatCount(1234567), "1,234,567");
  EXPECT_EQ(formatCost(0.01234), "$0.0123");
  EXPECT_EQ(formatCost(0), "$0.0000");
  EXPECT_EQ(formatElapsed(1200), "1.2s");
  EXPECT_EQ(formatElapsed(65000), "1m 05s");
  EXPECT_EQ(formatCountdown(1200), "2s");
  EXPECT_EQ(formatCountdown(-5), "0s");
}

// A view redraws when its text changes: these say when that is.
TEST(Format, TimeUntilTheShownTextChanges) {
  EXPECT_EQ(countdownChangesInMs(8000), 1000);  // "8s" -> "7s" once 7 s are left
  EXPECT_EQ(countdownChangesInMs(4600), 600);   // "5s" until 4 s are left
  EXPECT_EQ(countdownChangesInMs(1), 1);        // "1s" -> "0s"
  EXPECT_EQ(countdownChangesInMs(0), 0);        // ran out: changes no more
  for (int64_t ms : {1, 999, 1000, 1001, 4600, 8000, 29999}) {
    const int64_t in = countdownChangesInMs(ms);
    EXPECT_EQ(formatCountdown(ms - in + 1), formatCountdown(ms)) << ms;
    EXPECT_NE(formatCountdown(ms - in), formatCountdown(ms)) << ms;
  }
  EXPECT_EQ(elapsedChangesInMs(1234), 66);    // "1.2s" -> "1.3s"
  EXPECT_EQ(elapsedChangesInMs(65400), 600);  // "1m 05s" -> "1m 06s"
  for (int64_t ms : {0, 99, 100, 1234, 59950, 65400, 3600000}) {
    const int64_t in = elapsedChangesInMs(ms);
    EXPECT_EQ(formatElapsed(ms + in - 1), formatElapsed(ms)) << ms;
    EXPECT_NE(formatElapsed(ms + in), formatElapsed(ms)) << ms;
  }
}

TEST(Format, JsonForDisplayNeverThrowsAndIsCut) {
  nlohmann::json bad = {{"x", std::string("\xFF\xFE")}};
  EXPECT_NO_THROW(displayJson(bad, 100));
  EXPECT_EQ(displayJson(nlohmann::json("plain"), 100), "plain");
  EXPECT_NE(displayJson(nlohmann::json{{"a", 1}}, 100).find("\"a\": 1"), std::string::npos);
  const std::string big = displayJson(nlohmann::json(std::string(1000, 'x')), 10);
  EXPECT_EQ(big.substr(0, 10), std::string(10, 'x'));
  EXPECT_NE(big.find("more bytes"), std::string::npos);
  EXPECT_NE(tailOf(std::string(100, 'y') + "END", 5).find("yyEND"), std::string::npos);
}

TEST(HeightIndex, PrefixSumsAndBinarySearchWithVariableHeights) {
  HeightIndex h;
  h.resize(4, 10.0f);
  h.set(1, 30.0f);  // 10, 30, 10, 10
  EXPECT_EQ(h.total(), 60.0);
  EXPECT_EQ(h.top(2), 40.0);
  EXPECT_EQ(h.entryAt(0), 0u);
  EXPECT_EQ(h.entryAt(9.9), 0u);
  EXPECT_EQ(h.entryAt(10), 1u);
  EXPECT_EQ(h.entryAt(39), 1u);
  EXPECT_EQ(h.entryAt(45), 2u);
  EXPECT_EQ(h.entryAt(1000), 3u);
  h.set(0, 5.0f);
  EXPECT_EQ(h.top(3), 45.0);
  h.resize(6, 1.0f);
  EXPECT_EQ(h.total(), 57.0);
}

TEST(ApprovalCard, OutcomeTextPerDecision) {
  core::ApprovalCard a;
  EXPECT_EQ(approvalOutcome(a), "");
  a.responseSent = true;
  EXPECT_EQ(approvalOutcome(a), "Waiting for the gateway\xE2\x80\xA6");
  a.status = core::ApprovalStatus::Approved;
  EXPECT_EQ(approvalOutcome(a), "Approved");
  a.sessionApprove = true;
  EXPECT_EQ(approvalOutcome(a), "Approved for session");
  a.status = core::ApprovalStatus::Denied;
  EXPECT_EQ(approvalOutcome(a), "Denied");
}


TEST(Format, MultiLineStringMembersShowAsTextBlocks) {
  const nlohmann::json result = {{"exitCode", 0}, {"output", "$ ls\na.txt\nb.txt\n"}};
  const std::string shown = displayJson(result, 10000);
  EXPECT_EQ(shown.find("\\n"), std::string::npos) << shown;  // no escaped newlines
  EXPECT_NE(shown.find("\"output\": |\n    $ ls\n    a.txt\n    b.txt\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("\"exitCode\": 0,"), std::string::npos) << shown;
  // Without multi-line strings it stays plain pretty JSON.
  EXPECT_EQ(displayJson(nlohmann::json{{"a", "x"}}, 100), "{\n  \"a\": \"x\"\n}");
}

}  // namespace
}  // namespace chat::ui
