// The documentation side of the field rules (field_rules.h): what each rule is called in
// PROTOCOL.md's message tables.
#include "core/protocol/message_docs.h"

#include <variant>

#include "core/protocol/messages.h"

namespace chat::proto {
namespace {

std::string bytes(std::size_t n) {
  if (n == 1) return "1 byte";
  if (n % 1024 == 0) return std::to_string(n / 1024) + " KiB";
  return std::to_string(n) + " bytes";
}

std::string choices(rule::Choices c) {
  std::string out = "one of";
  const char* sep = " ";
  for (const char* v : c) {
    out += sep;
    out += '`';
    out += v;
    out += '`';
    sep = ", ";
  }
  return out;
}

struct Row {
  std::string type;
  std::string presence;
};

const char* const kRequired = "required";
const char* const kOptional = "optional";
const char* const kDefaultFalse = "optional, default false";

std::string idText() { return "id, 1 to " + std::to_string(kMaxIdChars) + " bytes"; }
std::string sessionIdText() {
  return "session id, 1 to " + std::to_string(kMaxIdChars) + " characters of `A-Za-z0-9._:-`";
}
template <std::size_t Min, std::size_t Max>
std::string textText() {
  if (Max == kMaxStringBytes) return Min == 0 ? "string" : Min == 1 ? "string, not empty"
                                                                    : "string, at least " + bytes(Min);
  return "string, " + bytes(Min == 0 ? 0 : Min) + " to " + bytes(Max);
}

Row row(rule::Id) { return {idText(), kRequired}; }
Row row(rule::OptId) { return {idText(), kOptional}; }
Row row(rule::SessionId) { return {sessionIdText(), kRequired}; }
Row row(rule::OptSessionId) { return {sessionIdText(), kOptional}; }
template <std::size_t Min, std::size_t Max>
Row row(rule::Text<Min, Max>) { return {textText<Min, Max>(), kRequired}; }
template <std::size_t Min, std::size_t Max>
Row row(rule::OptText<Min, Max>) { return {textText<Min, Max>(), kOptional}; }
template <int64_t Min>
Row row(rule::Int<Min>) { return {"integer >= " + std::to_string(Min), kRequired}; }
template <int64_t Min, int64_t Max, int64_t Default>
Row row(rule::OptIntIn<Min, Max, Default>) {
  return {"integer " + std::to_string(Min) + " to " + std::to_string(Max),
          "optional, default " + std::to_string(Default)};
}
template <int64_t Min>
Row row(rule::OptInt<Min>) { return {"integer >= " + std::to_string(Min), kOptional}; }
Row row(rule::OptSeq) { return {"integer >= 1", "optional, only with `sessionId`"}; }
Row row(rule::ProtocolVersion) { return {"integer >= 1", kRequired}; }
template <int Min>
Row row(rule::Number<Min>) { return {"number >= " + std::to_string(Min), kRequired}; }
Row row(rule::Flag) { return {"boolean", kRequired}; }
Row row(rule::OptFlag) { return {"boolean", kDefaultFalse}; }
Row row(rule::OptFlagTrue) { return {"boolean", "optional, default true"}; }
Row row(rule::FlagIfTrue) { return {"boolean", kDefaultFalse}; }
template <class Set>
Row row(rule::OneOf<Set> tag) { return {choices(tag.choices()), kRequired}; }
template <class Set>
Row row(rule::OptOneOf<Set> tag) { return {choices(tag.choices()), kOptional}; }
Row row(rule::JsonObject) { return {"object", kRequired}; }
Row row(rule::AnyJson) { return {"any JSON value", kRequired}; }
template <class T>
Row row(rule::Object<T>) { return {"object", kRequired}; }
template <class T>
Row row(rule::OptObject<T>) { return {"object", kOptional}; }
Row row(rule::ChangedSession) { return {"object", kRequired}; }
template <class T, bool WriteAll>
Row row(rule::List<T, WriteAll>) { return {"array of objects", kRequired}; }

template <class T>
void addFields(const std::string& prefix, std::vector<FieldDoc>& out);

template <class Tag>
void addNested(const std::string&, Tag, std::vector<FieldDoc>&) {}
template <class T>
void addNested(const std::string& path, rule::Object<T>, std::vector<FieldDoc>& out) {
  addFields<T>(path + ".", out);
}
template <class T>
void addNested(const std::string& path, rule::OptObject<T>, std::vector<FieldDoc>& out) {
  addFields<T>(path + ".", out);
}
template <class T, bool WriteAll>
void addNested(const std::string& path, rule::List<T, WriteAll>, std::vector<FieldDoc>& out) {
  addFields<T>(path + "[].", out);
}
// A deleted session's change holds only the id: every other field says so.
void addNested(const std::string& path, rule::ChangedSession, std::vector<FieldDoc>& out) {
  const std::size_t first = out.size();
  addFields<SessionInfo>(path + ".", out);
  for (std::size_t i = first + 1; i < out.size(); ++i) out[i].presence += ", absent when `deleted`";
}

template <class T>
void addFields(const std::string& prefix, std::vector<FieldDoc>& out) {
  T::forEachField([&](std::string_view name, auto, auto tag) {
    const std::string path = prefix + std::string(name);
    Row r = row(tag);
    out.push_back(FieldDoc{path, std::move(r.type), std::move(r.presence)});
    addNested(path, tag, out);
  });
}

template <class... Ts>
void addMessages(std::variant<Ts...>*, bool fromClient, std::vector<MessageDoc>& out) {
  (
      [&] {
        MessageDoc doc;
        doc.type = Ts::kType;
        doc.fromClient = fromClient;
        addFields<Ts>("", doc.fields);
        out.push_back(std::move(doc));
      }(),
      ...);
}

}  // namespace

std::vector<MessageDoc> messageDocs() {
  std::vector<MessageDoc> out;
  addMessages(static_cast<ClientMessage*>(nullptr), true, out);
  addMessages(static_cast<GatewayMessage*>(nullptr), false, out);
  return out;
}

}  // namespace chat::proto
