// chat.stream.reasoning: the reply's reasoning, kept apart from its text, and the "Thinking"
// block's open / closed state (toggleThinking).
#include <gtest/gtest.h>

#include "chat_test_helpers.h"

namespace chat::core {
namespace {

using testing::Driver;

Driver withSession(const std::string& sid = "s-a") {
  Driver d;
  d.state = testing::stateWithSession(sid);
  d.created(sid);
  return d;
}

const Message& reply(const Driver& d, const std::string& sid = "s-a") {
  const SessionState& s = d.session(sid);
  return s.messages.at(s.messageById.at("reply:c-1"));
}

TEST(ChatReducerReasoning, ReasoningGrowsApartFromTheText) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  EXPECT_EQ(d.reasoning("s-a", "c-1", "The user "), Outcome::Applied);
  EXPECT_EQ(d.reasoning("s-a", "c-1", "wants a greeting."), Outcome::Applied);
  EXPECT_EQ(reply(d).reasoning, "The user wants a greeting.");
  EXPECT_EQ(reply(d).content, "");
  EXPECT_TRUE(reply(d).thinking());
  EXPECT_FALSE(reply(d).reasoningOpen);  // collapsed until the user opens it

  d.delta("s-a", "c-1", "Hello");
  EXPECT_EQ(d.streamText("s-a"), "Hello");
  EXPECT_EQ(reply(d).reasoning, "The user wants a greeting.");
  EXPECT_FALSE(reply(d).thinking());  // the answer started: the thinking is over

  d.end("s-a", "c-1");
  EXPECT_EQ(reply(d).status, MessageStatus::Complete);
  EXPECT_EQ(reply(d).reasoning, "The user wants a greeting.");
}

TEST(ChatReducerReasoning, FirstReasoningPlacesTheReplyAndRevisesIt) {
  Driver d = withSession();
  d.userEcho("s-a", "c-1", "hi");
  d.start("s-a", "c-1");
  d.reasoning("s-a", "c-1", "Hmm");
  const SessionState& s = d.session("s-a");
  ASSERT_EQ(s.timeline.size(), 2u);  // the user's message, then the reply holding the reasoning
  EXPECT_EQ(s.streamingReplyIndex(), s.messageById.at("reply:c-1"));
  bool revised = false;
  for (const Effect& e : d.lastEffects)
    if (std::holds_alternative<EntryRevised>(e)) revised = true;
  EXPECT_TRUE(revised);  // the list lays the reply out again
}

TEST(ChatReducerReasoning, ReasoningAfterTheEndIsNotAppended) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  d.reasoning("s-a", "c-1", "a");
  d.end("s-a", "c-1");
  d.reasoning("s-a", "c-1", "late");  // a gateway bug: the finished reply stays as it was
  EXPECT_EQ(reply(d).reasoning, "a");
}

TEST(ChatReducerReasoning, ReplayedReasoningIsDroppedAsDuplicate) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  d.reasoning("s-a", "c-1", "once");
  const int64_t seq = d.session("s-a").lastSeq;
  EXPECT_EQ(d.feed(proto::StreamReasoning{"s-a", seq, "c-1", "once"}), Outcome::Duplicate);
  EXPECT_EQ(reply(d).reasoning, "once");
}

TEST(ChatReducerReasoning, ToggleThinkingOpensAndClosesAndRevises) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  d.reasoning("s-a", "c-1", "thinking");
  d.delta("s-a", "c-1", "answer");
  const uint64_t before = reply(d).revision;

  IntentResult r = toggleThinking(std::move(d.state), "c-1");
  d.state = std::move(r.state);
  EXPECT_TRUE(r.error.empty());
  EXPECT_FALSE(r.outgoing.has_value());  // local: nothing goes to the gateway
  EXPECT_TRUE(reply(d).reasoningOpen);
  EXPECT_GT(reply(d).revision, before);
  ASSERT_EQ(r.effects.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<EntryRevised>(r.effects[0]));

  r = toggleThinking(std::move(d.state), "c-1");
  d.state = std::move(r.state);
  EXPECT_FALSE(reply(d).reasoningOpen);
}

TEST(ChatReducerReasoning, ToggleThinkingOfAReplyWithoutReasoningIsRefused) {
  Driver d = withSession();
  d.start("s-a", "c-1");
  d.delta("s-a", "c-1", "plain answer");
  IntentResult r = toggleThinking(std::move(d.state), "c-1");
  EXPECT_FALSE(r.error.empty());
  r = toggleThinking(std::move(r.state), "c-unknown");
  EXPECT_FALSE(r.error.empty());
}

}  // namespace
}  // namespace chat::core
