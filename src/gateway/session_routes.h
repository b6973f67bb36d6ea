// The session list over HTTP (the polling fallback's view of it):
//   GET /api/sessions?limit=N&cursor=C&includeArchived=1  one page, like session.list
//   GET /api/session-changes?after=N&waitMs=W             the list feed after change N,
//       long-polled like /api/events: {changes:[session.changed...], lastChange}
//   GET /api/search?q=TEXT&limit=N                        like session.search
// Management messages (rename, archive, delete, regenerate, edit) go through POST /api/send
// like every other client message.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "gateway/api_routes.h"

namespace chat::gateway {

bool isSessionRoute(const std::string& path);

// `respond` adds the CORS headers and is called exactly once (later for a long poll).
// `json(status, body)` builds a response to `req`.
void handleSessionRoute(
    ServerContext& ctx, const ApiRequest& req, const std::string& path,
    std::map<std::string, std::string>& query,
    const std::function<ApiResponse(unsigned status, std::string body)>& json,
    std::function<void(ApiResponse&&)> respond);

}  // namespace chat::gateway
