// Encoder for client -> gateway messages: exactly the wire contract's field names, absent
// optionals omitted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/protocol/codec.h"
#include "core/protocol/flat_json_writer.h"
#include "core/protocol/json_text.h"
#include "core/protocol/message_names.h"

namespace chat::proto {
namespace {

using nlohmann::json;

// Receives a message's members for toJson(): an nlohmann object. encode() feeds the same member
// lists to detail::FlatJsonWriter, which writes the identical text without the DOM.
class DomSink {
 public:
  void add(std::string_view key, std::string_view value) {
    j_[std::string(key)] = std::string(value);
  }
  void add(std::string_view key, int64_t value) { j_[std::string(key)] = value; }
  void add(std::string_view key, bool value) { j_[std::string(key)] = value; }
  void addOptional(std::string_view key, const std::optional<std::string>& value) {
    if (value) add(key, std::string_view(*value));
  }
  json take() { return std::move(j_); }

 private:
  json j_ = json::object();
};

template <class T, class Sink>
void start(const T& m, Sink& s) {
  s.add("type", std::string_view(detail::WireName<T>::value));
  s.add("id", std::string_view(m.id));
}

template <class Sink>
void fields(const Auth& m, Sink& s) {
  start(m, s);
  s.addOptional("token", m.token);
  s.addOptional("pin", m.pin);
}

template <class Sink>
void fields(const ChatSend& m, Sink& s) {
  start(m, s);
  s.add("content", std::string_view(m.content));
  s.addOptional("sessionId", m.sessionId);
  s.addOptional("model", m.model);
  s.addOptional("agentId", m.agentId);
}

template <class Sink>
void fields(const ChatCancel& m, Sink& s) {
  start(m, s);
  s.add("requestId", std::string_view(m.requestId));
}

template <class Sink>
void fields(const ToolApprovalResponse& m, Sink& s) {
  start(m, s);
  s.add("toolCallId", std::string_view(m.toolCallId));
  s.add("approved", m.approved);
  s.add("sessionApprove", m.sessionApprove);
}

template <class Sink>
void fields(const SessionListRequest& m, Sink& s) {
  start(m, s);
}

template <class Sink>
void fields(const SessionResume& m, Sink& s) {
  start(m, s);
  s.add("sessionId", std::string_view(m.sessionId));
  s.add("lastSeq", static_cast<int64_t>(m.lastSeq));
}

template <class Sink>
void fields(const ThreadListRequest& m, Sink& s) {
  start(m, s);
  s.add("includeArchived", m.includeArchived);
}

template <class Sink>
void fields(const Ping& m, Sink& s) {
  start(m, s);
}

}  // namespace

nlohmann::json toJson(const ClientMessage& m) {
  DomSink sink;
  std::visit([&sink](const auto& v) { fields(v, sink); }, m);
  return sink.take();
}

std::string encode(const ClientMessage& m) {
  detail::FlatJsonWriter writer;
  std::visit([&writer](const auto& v) { fields(v, writer); }, m);
  if (auto text = writer.finish()) return std::move(*text);
  return detail::dumpJson(toJson(m));  // invalid UTF-8 in a value: nlohmann replaces it
}

}  // namespace chat::proto
