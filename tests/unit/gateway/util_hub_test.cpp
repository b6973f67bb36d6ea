// Small helpers and the event fan-out hub.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gateway/hub.h"
#include "gateway/util.h"

using namespace chat::gateway;

TEST(Util, TruncateUtf8NeverCutsACharacter) {
  EXPECT_EQ(truncateUtf8("hello", 3), "hel");
  EXPECT_EQ(truncateUtf8("héllo", 2), "h\xC3\xA9");
  EXPECT_EQ(truncateUtf8("\xE2\x82\xAC\xE2\x82\xAC", 1), "\xE2\x82\xAC");
  EXPECT_EQ(truncateUtf8("ab\xE2\x82", 5), "ab");  // a truncated sequence is dropped
  EXPECT_EQ(truncateUtf8("", 10), "");
}

TEST(Util, CountWordsAndIds) {
  EXPECT_EQ(countWords("  one two\nthree\t "), 3);
  EXPECT_EQ(countWords(""), 0);
  EXPECT_TRUE(isValidSessionId("s-0123456789abcdef"));
  EXPECT_TRUE(isValidSessionId("A.b_c:d-9"));
  EXPECT_FALSE(isValidSessionId(""));
  EXPECT_FALSE(isValidSessionId(std::string(65, 'a')));
  EXPECT_FALSE(isValidSessionId("has space"));
  EXPECT_FALSE(isValidSessionId("slash/no"));
  EXPECT_EQ(randomHex(8).size(), 16u);
  EXPECT_NE(randomHex(8), randomHex(8));
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
}

namespace {
struct Recorder : EventSubscriber {
  std::vector<std::pair<std::string, int64_t>> got;
  void onSessionEvent(const std::string& sessionId, int64_t seq,
                      const std::shared_ptr<const std::string>&) override {
    got.emplace_back(sessionId, seq);
  }
};
std::vector<LoggedEvent> events(std::initializer_list<int64_t> seqs) {
  std::vector<LoggedEvent> out;
  for (auto s : seqs) out.push_back(LoggedEvent{s, "{}"});
  return out;
}
}  // namespace

TEST(Hub, DeliversToTheSubscribersOfTheSessionOnly) {
  Hub hub;
  Recorder a, b;
  hub.subscribe("s1", &a);
  hub.subscribe("s1", &b);
  hub.subscribe("s2", &b);
  hub.publish("s1", events({1, 2}));
  hub.publish("s2", events({7}));
  EXPECT_EQ(a.got, (std::vector<std::pair<std::string, int64_t>>{{"s1", 1}, {"s1", 2}}));
  EXPECT_EQ(b.got.size(), 3u);
  hub.unsubscribeAll(&b);
  hub.publish("s1", events({3}));
  EXPECT_EQ(b.got.size(), 3u);
  EXPECT_EQ(a.got.size(), 3u);
  EXPECT_EQ(hub.subscriberCount("s2"), 0u);
}

TEST(Hub, WakesWaitersOnceWhenALaterEventArrives) {
  Hub hub;
  int woken = 0, late = 0;
  hub.addWaiter("s", 5, [&] { ++woken; });
  hub.addWaiter("s", 9, [&] { ++late; });
  hub.publish("s", events({4, 5}));  // nothing after 5 yet
  EXPECT_EQ(woken, 0);
  hub.publish("s", events({6}));
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(late, 0);
  hub.publish("s", events({7}));
  EXPECT_EQ(woken, 1);  // removed after waking
  EXPECT_EQ(hub.waiterCount(), 1u);
  auto id = hub.addWaiter("s", 0, [&] { ++woken; });
  hub.removeWaiter(id);
  hub.publish("s", events({8, 9, 10}));
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(late, 1);
  EXPECT_EQ(hub.waiterCount(), 0u);
}

TEST(Hub, WakeAllWaitersAnswersEveryWaiterOnceWhateverItWaitsFor) {
  Hub hub;
  int a = 0, b = 0, c = 0;
  hub.addWaiter("s1", 100, [&] { ++a; });
  hub.addWaiter("s1", 0, [&] { ++b; });
  hub.addWaiter("s2", 7, [&] { ++c; });
  hub.wakeAllWaiters();
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 1);
  EXPECT_EQ(c, 1);
  EXPECT_EQ(hub.waiterCount(), 0u);
  hub.publish("s1", events({200}));  // already removed: never woken twice
  hub.wakeAllWaiters();
  EXPECT_EQ(a + b + c, 3);
}

TEST(Hub, WaiterAddedWhileWakingAllIsKeptForLater) {
  Hub hub;
  int later = 0;
  hub.addWaiter("s", 0, [&] { hub.addWaiter("s", 0, [&] { ++later; }); });
  hub.wakeAllWaiters();
  EXPECT_EQ(later, 0);
  EXPECT_EQ(hub.waiterCount(), 1u);
  hub.publish("s", events({1}));
  EXPECT_EQ(later, 1);
}
