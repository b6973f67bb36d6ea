// The client messages that manage the session list (paged list, watch, rename, archive,
// delete, search) and re-run a reply (regenerate / retry, edit), decoded by the gateway.
//
// Interim home: the core's protocol (src/core/protocol) is being rewritten so that every
// message is declared once; these move there with it. Until then the transports try this
// decoder first and hand every other frame to the core codec. Every field is checked here
// and a bad one is an error value (bad_request), never an exception.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace chat::gateway {

struct ListPageRequest {  // session.list {limit?, cursor?, includeArchived?}
  std::string id;
  std::optional<std::string> cursor;
  std::size_t limit = 200;
  bool includeArchived = false;
};
struct WatchRequest {  // session.watch {afterChange}
  std::string id;
  int64_t afterChange = 0;
};
struct RenameRequest {  // session.rename {sessionId, title}
  std::string id;
  std::string sessionId;
  std::string title;
};
struct ArchiveRequest {  // session.archive {sessionId, archived}
  std::string id;
  std::string sessionId;
  bool archived = true;
};
struct DeleteRequest {  // session.delete {sessionId}
  std::string id;
  std::string sessionId;
};
struct SearchRequest {  // session.search {query, limit?}
  std::string id;
  std::string query;
  std::size_t limit = 50;
};
struct RegenerateRequest {  // chat.regenerate {sessionId}: regenerate, or retry a failed reply
  std::string id;
  std::string sessionId;
};
struct EditRequest {  // chat.edit {sessionId, messageId, content}: the last user message
  std::string id;
  std::string sessionId;
  std::string messageId;
  std::string content;
};

using SessionRequest = std::variant<ListPageRequest, WatchRequest, RenameRequest, ArchiveRequest,
                                    DeleteRequest, SearchRequest, RegenerateRequest, EditRequest>;

struct SessionRequestError {
  std::optional<std::string> id;
  std::string message;  // code is bad_request
};

struct DecodedSessionRequest {
  std::optional<SessionRequest> request;
  std::optional<SessionRequestError> error;
};

// Cheap test on the raw frame, so other frames (chat.send, the hot path) are not parsed twice.
bool mayBeSessionRequest(const std::string& frame);
// nullopt: the frame is not one of these messages (the core codec reads it).
std::optional<DecodedSessionRequest> decodeSessionRequest(const std::string& frame);
const std::string& requestId(const SessionRequest& request);

}  // namespace chat::gateway
