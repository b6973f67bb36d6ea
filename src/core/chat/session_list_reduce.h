// The chat reducer's part for the session list: session.list pages, session.changed changes
// and session.search answers go into ChatState::sessionList / sessionSearch (session_list.h),
// and a request of theirs the gateway refused frees its slot. Called by reduce() (reducer.cpp).
#pragma once

#include <string>

#include "core/chat/chat_state.h"
#include "core/chat/transcript.h"
#include "core/protocol/messages.h"

namespace chat::core::detail {

// Each returns false when the message changed nothing (stale, a duplicate, an old answer).
bool applyListMessage(ChatState& state, const proto::SessionList& m);
// A deleted chat that is on screen emits CurrentSessionDeleted (the client moves on).
bool applyListMessage(ChatState& state, const proto::SessionChanged& m, Step& step);
bool applyListMessage(ChatState& state, const proto::SessionSearchResult& m);

// An error answering `requestId`: a page or search request of the list is over.
void listRequestFailed(ChatState& state, const std::string& requestId, const std::string& text);

}  // namespace chat::core::detail
