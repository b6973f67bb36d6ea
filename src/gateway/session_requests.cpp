#include "gateway/session_requests.h"

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"
#include "gateway/session_catalog.h"
#include "gateway/util.h"

namespace chat::gateway {

namespace {

// Reads the fields of one message; the first problem is kept.
class Fields {
 public:
  explicit Fields(const nlohmann::json& j) : j_(j) {}
  std::string string(const char* name, std::size_t minBytes, std::size_t maxBytes) {
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_string()) {
      fail(std::string(name) + ": required string");
      return {};
    }
    std::string v = it->get<std::string>();
    if (v.size() < minBytes || v.size() > maxBytes)
      fail(std::string(name) + ": " + std::to_string(minBytes) + ".." + std::to_string(maxBytes) +
           " bytes");
    return v;
  }
  std::string sessionId(const char* name) {
    std::string v = string(name, 1, 64);
    if (ok() && !isValidSessionId(v)) fail(std::string(name) + ": 1..64 chars of [A-Za-z0-9._:-]");
    return v;
  }
  std::optional<std::string> optString(const char* name, std::size_t maxBytes) {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return std::nullopt;
    return string(name, 1, maxBytes);
  }
  int64_t integer(const char* name, int64_t min, int64_t max, int64_t fallback) {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return fallback;
    if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
      fail(std::string(name) + ": an integer " + std::to_string(min) + ".." + std::to_string(max));
      return fallback;
    }
    return it->get<int64_t>();
  }
  bool boolean(const char* name, bool fallback) {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) {
      fail(std::string(name) + ": true or false");
      return fallback;
    }
    return it->get<bool>();
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }
  const nlohmann::json& j_;
  std::string error_;
};

constexpr const char* kTypes[] = {"session.list",   "session.watch",   "session.rename",
                                  "session.archive", "session.delete", "session.search",
                                  "chat.regenerate", "chat.edit"};
constexpr int64_t kMaxChange = 9007199254740991;  // 2^53 - 1: exact in every JSON reader

}  // namespace

bool mayBeSessionRequest(const std::string& frame) {
  // Three scans of the frame, not one per type (every chat.send passes here).
  return frame.find("\"session.") != std::string::npos ||
         frame.find("\"chat.regenerate\"") != std::string::npos ||
         frame.find("\"chat.edit\"") != std::string::npos;
}

std::optional<DecodedSessionRequest> decodeSessionRequest(const std::string& frame) {
  if (!mayBeSessionRequest(frame)) return std::nullopt;
  auto j = nlohmann::json::parse(frame, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto typeIt = j.find("type");
  if (typeIt == j.end() || !typeIt->is_string()) return std::nullopt;
  const std::string type = typeIt->get<std::string>();
  bool known = false;
  for (const char* t : kTypes) known = known || type == t;
  if (!known) return std::nullopt;

  Fields f(j);
  const std::string id = f.string("id", 1, proto::kMaxIdChars);
  DecodedSessionRequest out;
  auto limit = [&](int64_t fallback) {
    return static_cast<std::size_t>(
        f.integer("limit", 1, static_cast<int64_t>(SessionCatalog::kMaxPage), fallback));
  };
  if (type == "session.list") {
    ListPageRequest r{id, f.optString("cursor", 200), limit(200),
                      f.boolean("includeArchived", false)};
    out.request = r;
  } else if (type == "session.watch") {
    out.request = WatchRequest{id, f.integer("afterChange", 0, kMaxChange, 0)};
  } else if (type == "session.rename") {
    std::string sessionId = f.sessionId("sessionId");
    std::string title = f.string("title", 1, 4 * SessionCatalog::kMaxTitleChars);
    out.request = RenameRequest{id, sessionId, title};
  } else if (type == "session.archive") {
    std::string sessionId = f.sessionId("sessionId");
    out.request = ArchiveRequest{id, sessionId, f.boolean("archived", true)};
  } else if (type == "session.delete") {
    out.request = DeleteRequest{id, f.sessionId("sessionId")};
  } else if (type == "session.search") {
    std::string query = f.string("query", 1, 500);
    out.request = SearchRequest{id, query, limit(50)};
  } else if (type == "chat.regenerate") {
    out.request = RegenerateRequest{id, f.sessionId("sessionId")};
  } else {  // chat.edit
    std::string sessionId = f.sessionId("sessionId");
    std::string messageId = f.string("messageId", 1, proto::kMaxIdChars);
    std::string content = f.string("content", 1, proto::kMaxContentBytes);
    out.request = EditRequest{id, sessionId, messageId, content};
  }
  if (!f.ok()) {
    out.request.reset();
    std::optional<std::string> usableId;
    if (!id.empty() && id.size() <= proto::kMaxIdChars) usableId = id;
    out.error = SessionRequestError{usableId, f.error()};
  }
  return out;
}

const std::string& requestId(const SessionRequest& request) {
  return std::visit([](const auto& r) -> const std::string& { return r.id; }, request);
}

}  // namespace chat::gateway
