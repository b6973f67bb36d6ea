#include "core/client/transcript_edit.h"

#include <utility>

namespace chat::client {

std::optional<core::Message> detachMessage(core::SessionState& session, const std::string& key) {
  auto found = session.messageById.find(key);
  if (found == session.messageById.end() || found->second >= session.messages.size()) {
    return std::nullopt;
  }
  const std::size_t index = found->second;
  core::Message message = std::move(session.messages[index]);
  session.messages.erase(session.messages.begin() + static_cast<std::ptrdiff_t>(index));
  session.messageById.erase(found);
  for (auto& entry : session.messageById) {
    if (entry.second > index) --entry.second;
  }
  for (auto it = session.timeline.begin(); it != session.timeline.end();) {
    if (it->kind == core::EntryKind::Message && it->index == index) {
      it = session.timeline.erase(it);
      continue;
    }
    if (it->kind == core::EntryKind::Message && it->index > index) --it->index;
    ++it;
  }
  return message;
}

void appendMessage(core::SessionState& session, core::Message message) {
  const std::size_t index = session.messages.size();
  session.messageById[message.id] = index;
  session.messages.push_back(std::move(message));
  session.timeline.push_back(core::Entry{core::EntryKind::Message, index});
}

}  // namespace chat::client
