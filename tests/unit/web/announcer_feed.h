// Test helper for the LiveAnnouncer suites: drives a ChatState through the real reducer and
// intents and hands every effect to the announcer, as the app does.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/chat/intents.h"
#include "core/chat/reducer.h"
#include "page/live_announcer.h"

namespace chat::web::testing {

class AnnouncerFeed {
 public:
  explicit AnnouncerFeed(LiveAnnouncer announcer = LiveAnnouncer()) : a(std::move(announcer)) {}

  core::ChatState state;
  LiveAnnouncer a;

  void apply(const proto::GatewayMessage& m) {
    core::Reduced r = core::reduce(std::move(state), m);
    state = std::move(r.state);
    for (const core::Effect& e : r.effects) a.note(state, e);
  }
  void intent(core::IntentResult r) {
    state = std::move(r.state);
    for (const core::Effect& e : r.effects) a.note(state, e);
  }
  std::vector<Announcement> take(bool historyLoading = false) {
    return a.take(state, historyLoading);
  }

  void open(const std::string& sid) { intent(core::switchSession(std::move(state), "c-open", sid)); }
  int64_t next(const std::string& sid) { return ++seqs_[sid]; }
  void chatMessage(const std::string& sid, const std::string& id, const std::string& role,
                   const std::string& content) {
    apply(proto::ChatMessageEvent{sid, next(sid), id, role, content, 1000});
  }
  // A user question and the agent's answer, numbered by the session's message count.
  void turns(const std::string& sid, int n) {
    for (int i = 0; i < n; ++i) {
      const std::string k = std::to_string(count(sid));
      chatMessage(sid, "u" + k, "user", "question " + k);
      chatMessage(sid, "a" + k, "assistant", "answer " + k);
    }
  }
  std::size_t count(const std::string& sid) const {
    auto it = state.sessions.find(sid);
    return it == state.sessions.end() ? 0 : it->second.messages.size();
  }

 private:
  std::map<std::string, int64_t> seqs_;
};

}  // namespace chat::web::testing
