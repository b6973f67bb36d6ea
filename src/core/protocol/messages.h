// Protocol 1: every message of the wire contract, both directions, declared once.
//
// Each declaration below names the message's wire `type` and lists its fields in wire order,
// each with a rule from field_rules.h (its C++ type, JSON type, presence and limits). From that
// one list come the struct, the encoder, the general and the fast-path decoders (codec.h), and
// the field tables that tests/unit/protocol checks PROTOCOL.md's message tables against.
//
// Adding a message: declare it here, add it to its variant, document it in PROTOCOL.md (a
// section with a field table and an example). Nothing else has to be written for its codec.
//
// Conventions:
// - Field names are the JSON names of the contract (camelCase) so code and wire read alike.
// - Optional wire fields are std::optional; fields with a contract default (e.g.
//   sessionApprove=false) are plain values holding that default.
// - Free-form JSON payloads (tool args, tool results) are kept as nlohmann::json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/protocol/field_rules.h"

namespace chat::proto {

namespace rule {
struct RoleNames { static constexpr const char* kValues[] = {"user"}; };
struct StopReasonNames { static constexpr const char* kValues[] = {"end", "cancelled", "error"}; };
struct RiskNames { static constexpr const char* kValues[] = {"low", "medium", "high"}; };
using Role = OneOf<RoleNames>;
using StopReason = OneOf<StopReasonNames>;
using OptRisk = OptOneOf<RiskNames>;
}  // namespace rule

// ---- shared value types ---------------------------------------------------------------------

#define CHAT_PROTO_USAGE(F) \
  F(Count, inputTokens)     \
  F(Count, outputTokens)    \
  F(Count, totalTokens)
CHAT_PROTO_VALUE(Usage, CHAT_PROTO_USAGE)

#define CHAT_PROTO_COST(F) \
  F(Money, inputCost)      \
  F(Money, outputCost)     \
  F(Money, totalCost)
CHAT_PROTO_VALUE(Cost, CHAT_PROTO_COST)

// createdAt/updatedAt: ms since epoch. archived: only meaningful in thread.list.
#define CHAT_PROTO_SESSION_INFO(F) \
  F(SessionId, sessionId)          \
  F(Text<>, title)                 \
  F(Count, createdAt)              \
  F(Count, updatedAt)              \
  F(Count, lastSeq)                \
  F(FlagIfTrue, archived)
CHAT_PROTO_VALUE(SessionInfo, CHAT_PROTO_SESSION_INFO)

// One model a client may pick (model.list): its id, as chat.send's `model` names it.
#define CHAT_PROTO_MODEL_INFO(F) F(NonEmpty, id)
CHAT_PROTO_VALUE(ModelInfo, CHAT_PROTO_MODEL_INFO)

namespace rule {
using Models = List<ModelInfo>;
// Every entry says whether it is archived.
using Sessions = List<SessionInfo, /*WriteAll=*/true>;
using Threads = List<SessionInfo, /*WriteAll=*/true>;

// The session list (PROTOCOL.md, "The session list").
constexpr int64_t kMaxListPage = 500;          // session.list and session.search pages
constexpr std::size_t kMaxTitleBytes = 800;    // session.rename (kept to 200 characters)
constexpr std::size_t kMaxQueryBytes = 500;    // session.search
constexpr std::size_t kMaxCursorBytes = 200;   // session.list's cursor
struct ChangeNames {
  static constexpr const char* kValues[] = {"created",  "retitled",   "updated",
                                            "archived", "unarchived", "deleted"};
};
struct MatchNames { static constexpr const char* kValues[] = {"title", "message"}; };
struct AuthorNames { static constexpr const char* kValues[] = {"user", "assistant"}; };
using Change = OneOf<ChangeNames>;
using Match = OneOf<MatchNames>;
using OptAuthor = OptOneOf<AuthorNames>;
using PageSize = OptIntIn<1, kMaxListPage, 200>;
using SearchLimit = OptIntIn<1, kMaxListPage, 50>;
using AfterChange = OptIntIn<0, kMaxExactInteger, 0>;
using Cursor = OptText<1, kMaxCursorBytes>;
using Title = Text<1, kMaxTitleBytes>;
using Query = Text<1, kMaxQueryBytes>;
// session.changed's `session`: a SessionInfo, only its sessionId for a `deleted` change (the
// codec reads and writes it by the message's `change`, message_codec.h).
struct ChangedSession : Plain<SessionInfo> { static constexpr bool kFlat = false; };
}  // namespace rule

// One session.search hit. seq, messageId, role and snippet: message matches only.
#define CHAT_PROTO_SEARCH_RESULT(F) \
  F(SessionId, sessionId)           \
  F(Text<>, title)                  \
  F(Flag, archived)                 \
  F(Match, match)                   \
  F(OptInt<1>, seq)                 \
  F(OptId, messageId)               \
  F(OptAuthor, role)                \
  F(OptText<>, snippet)
CHAT_PROTO_VALUE(SearchResult, CHAT_PROTO_SEARCH_RESULT)

namespace rule {
using SearchResults = List<SearchResult>;
}  // namespace rule

// ---- client -> gateway ------------------------------------------------------------------------
// Every client message carries `id`: client-made, unique, 1..64 chars.

// Credentials are optional: a gateway started with --no-auth welcomes an auth with neither (or
// with an empty token), and a gateway that checks answers auth.failed itself, which tells the
// client to stop retrying (a bad_request would not).
#define CHAT_PROTO_AUTH(F) \
  F(Id, id)                \
  F(OptText<>, token)      \
  F(OptNonEmpty, pin)
CHAT_PROTO_MESSAGE(Auth, "auth", CHAT_PROTO_AUTH)

#define CHAT_PROTO_CHAT_SEND(F) \
  F(Id, id)                     \
  F(Content, content)           \
  F(OptSessionId, sessionId)    \
  F(OptText<>, model)           \
  F(OptText<>, agentId)
CHAT_PROTO_MESSAGE(ChatSend, "chat.send", CHAT_PROTO_CHAT_SEND)

// requestId: the chat.send to stop.
#define CHAT_PROTO_CHAT_CANCEL(F) \
  F(Id, id)                       \
  F(Id, requestId)
CHAT_PROTO_MESSAGE(ChatCancel, "chat.cancel", CHAT_PROTO_CHAT_CANCEL)

#define CHAT_PROTO_TOOL_APPROVAL_RESPONSE(F) \
  F(Id, id)                                  \
  F(NonEmpty, toolCallId)                    \
  F(Flag, approved)                          \
  F(OptFlag, sessionApprove)
CHAT_PROTO_MESSAGE(ToolApprovalResponse, "tool.approval.response",
                   CHAT_PROTO_TOOL_APPROVAL_RESPONSE)

// One page of the list, most recently updated first. cursor: the previous page's nextCursor.
#define CHAT_PROTO_SESSION_LIST_REQUEST(F) \
  F(Id, id)                                \
  F(PageSize, limit)                       \
  F(Cursor, cursor)                        \
  F(FlagIfTrue, includeArchived)
CHAT_PROTO_MESSAGE(SessionListRequest, "session.list", CHAT_PROTO_SESSION_LIST_REQUEST)

// lastSeq: the last seq the client applied, 0 = from the start.
#define CHAT_PROTO_SESSION_RESUME(F) \
  F(Id, id)                          \
  F(SessionId, sessionId)            \
  F(Count, lastSeq)
CHAT_PROTO_MESSAGE(SessionResume, "session.resume", CHAT_PROTO_SESSION_RESUME)

#define CHAT_PROTO_THREAD_LIST_REQUEST(F) \
  F(Id, id)                               \
  F(OptFlag, includeArchived)
CHAT_PROTO_MESSAGE(ThreadListRequest, "thread.list", CHAT_PROTO_THREAD_LIST_REQUEST)

#define CHAT_PROTO_PING(F) F(Id, id)
CHAT_PROTO_MESSAGE(Ping, "ping", CHAT_PROTO_PING)

// The session list's requests (PROTOCOL.md, "The session list").
// afterChange: the last list change the client applied (0: every change there is).
#define CHAT_PROTO_SESSION_WATCH(F) \
  F(Id, id)                         \
  F(AfterChange, afterChange)
CHAT_PROTO_MESSAGE(SessionWatch, "session.watch", CHAT_PROTO_SESSION_WATCH)

#define CHAT_PROTO_SESSION_RENAME(F) \
  F(Id, id)                          \
  F(SessionId, sessionId)            \
  F(Title, title)
CHAT_PROTO_MESSAGE(SessionRename, "session.rename", CHAT_PROTO_SESSION_RENAME)

// archived: false unarchives.
#define CHAT_PROTO_SESSION_ARCHIVE(F) \
  F(Id, id)                           \
  F(SessionId, sessionId)             \
  F(OptFlagTrue, archived)
CHAT_PROTO_MESSAGE(SessionArchive, "session.archive", CHAT_PROTO_SESSION_ARCHIVE)

#define CHAT_PROTO_SESSION_DELETE(F) \
  F(Id, id)                          \
  F(SessionId, sessionId)
CHAT_PROTO_MESSAGE(SessionDelete, "session.delete", CHAT_PROTO_SESSION_DELETE)

#define CHAT_PROTO_SESSION_SEARCH_REQUEST(F) \
  F(Id, id)                                  \
  F(Query, query)                            \
  F(SearchLimit, limit)
CHAT_PROTO_MESSAGE(SessionSearchRequest, "session.search", CHAT_PROTO_SESSION_SEARCH_REQUEST)

// A new reply to the session's last user message (regenerate, or retry a failed one).
#define CHAT_PROTO_CHAT_REGENERATE(F) \
  F(Id, id)                           \
  F(SessionId, sessionId)
CHAT_PROTO_MESSAGE(ChatRegenerate, "chat.regenerate", CHAT_PROTO_CHAT_REGENERATE)

// messageId: the session's last user message, which `content` replaces.
#define CHAT_PROTO_CHAT_EDIT(F) \
  F(Id, id)                     \
  F(SessionId, sessionId)       \
  F(Id, messageId)              \
  F(Content, content)
CHAT_PROTO_MESSAGE(ChatEdit, "chat.edit", CHAT_PROTO_CHAT_EDIT)

// Asks for the models the gateway's agent offers (answered by model.list).
#define CHAT_PROTO_MODEL_LIST_REQUEST(F) F(Id, id)
CHAT_PROTO_MESSAGE(ModelListRequest, "model.list", CHAT_PROTO_MODEL_LIST_REQUEST)

using ClientMessage =
    std::variant<Auth, ChatSend, ChatCancel, ToolApprovalResponse, SessionListRequest,
                 SessionResume, ThreadListRequest, Ping, SessionWatch, SessionRename,
                 SessionArchive, SessionDelete, SessionSearchRequest, ChatRegenerate, ChatEdit,
                 ModelListRequest>;

// ---- gateway -> client, connection level ------------------------------------------------------

#define CHAT_PROTO_AUTH_OK(F)  \
  F(NonEmpty, clientId)        \
  F(Int<1>, heartbeatMs)       \
  F(ProtocolVersion, protocol)
CHAT_PROTO_MESSAGE(AuthOk, "auth.ok", CHAT_PROTO_AUTH_OK)

#define CHAT_PROTO_AUTH_FAILED(F) \
  F(NonEmpty, code)               \
  F(Text<>, message)
CHAT_PROTO_MESSAGE(AuthFailed, "auth.failed", CHAT_PROTO_AUTH_FAILED)

#define CHAT_PROTO_ACK(F) F(Id, requestId)
CHAT_PROTO_MESSAGE(Ack, "ack", CHAT_PROTO_ACK)

#define CHAT_PROTO_PONG(F) F(Id, requestId)
CHAT_PROTO_MESSAGE(Pong, "pong", CHAT_PROTO_PONG)

// lastChange: the list feed's number when the page was read (watch from it); nextCursor: only
// when there is a next page.
#define CHAT_PROTO_SESSION_LIST(F) \
  F(Id, requestId)                 \
  F(Sessions, sessions)            \
  F(Count, lastChange)             \
  F(Cursor, nextCursor)
CHAT_PROTO_MESSAGE(SessionList, "session.list", CHAT_PROTO_SESSION_LIST)

#define CHAT_PROTO_THREAD_LIST(F) \
  F(Id, requestId)                \
  F(Threads, threads)
CHAT_PROTO_MESSAGE(ThreadList, "thread.list", CHAT_PROTO_THREAD_LIST)

// The models a chat.send may name, the agent's default first. error: why the upstream's list
// could not be had (the default is still listed).
#define CHAT_PROTO_MODEL_LIST(F) \
  F(Id, requestId)               \
  F(Models, models)              \
  F(OptText<>, error)
CHAT_PROTO_MESSAGE(ModelList, "model.list", CHAT_PROTO_MODEL_LIST)

#define CHAT_PROTO_SESSION_RESUMED(F) \
  F(SessionId, sessionId)             \
  F(Count, lastSeq)
CHAT_PROTO_MESSAGE(SessionResumed, "session.resumed", CHAT_PROTO_SESSION_RESUMED)

// One change of the session list feed (numbered on a gateway-wide counter, not a session's
// seq): the session's latest state, or only its sessionId when it was deleted.
#define CHAT_PROTO_SESSION_CHANGED(F) \
  F(Int<1>, changeSeq)                \
  F(Change, change)                   \
  F(ChangedSession, session)
CHAT_PROTO_MESSAGE(SessionChanged, "session.changed", CHAT_PROTO_SESSION_CHANGED)

// Title matches first, then messages (best first).
#define CHAT_PROTO_SESSION_SEARCH_RESULT(F) \
  F(Id, requestId)                          \
  F(Text<>, query)                          \
  F(SearchResults, results)
CHAT_PROTO_MESSAGE(SessionSearchResult, "session.search", CHAT_PROTO_SESSION_SEARCH_RESULT)

// ---- gateway -> client, session events (sessionId and seq first) -----------------------------

#define CHAT_PROTO_SESSION_CREATED(F) F(Text<>, sessionKey)
CHAT_PROTO_EVENT(SessionCreated, "session.created", CHAT_PROTO_SESSION_CREATED)

// The echo of a chat.send (or chat.edit): messageId is its id; timestamp in ms since epoch;
// edits: the message a chat.edit replaces.
#define CHAT_PROTO_CHAT_MESSAGE(F) \
  F(Id, messageId)                 \
  F(Role, role)                    \
  F(Text<>, content)               \
  F(Count, timestamp)              \
  F(OptId, edits)
CHAT_PROTO_EVENT(ChatMessageEvent, "chat.message", CHAT_PROTO_CHAT_MESSAGE)

#define CHAT_PROTO_STREAM_START(F) \
  F(Id, requestId)                 \
  F(Text<>, model)                 \
  F(OptText<>, routing)
CHAT_PROTO_EVENT(StreamStart, "chat.stream.start", CHAT_PROTO_STREAM_START)

#define CHAT_PROTO_STREAM_DELTA(F) \
  F(Id, requestId)                 \
  F(Text<>, delta)
CHAT_PROTO_EVENT(StreamDelta, "chat.stream.delta", CHAT_PROTO_STREAM_DELTA)

// The next piece of the reply's reasoning (what a reasoning model writes before its answer:
// DeepSeek's `reasoning_content`, vLLM's / llama.cpp's / OpenRouter's `reasoning`). Kept apart
// from the reply text: the client shows it as a collapsed "Thinking" block above the reply.
#define CHAT_PROTO_STREAM_REASONING(F) \
  F(Id, requestId)                     \
  F(Text<>, delta)
CHAT_PROTO_EVENT(StreamReasoning, "chat.stream.reasoning", CHAT_PROTO_STREAM_REASONING)

// cost: absent when the model's price is unknown (not in --prices): shown as unknown, not $0.
#define CHAT_PROTO_STREAM_END(F) \
  F(Id, requestId)               \
  F(Object<Usage>, usage)        \
  F(OptObject<Cost>, cost)       \
  F(StopReason, stopReason)
CHAT_PROTO_EVENT(StreamEnd, "chat.stream.end", CHAT_PROTO_STREAM_END)

#define CHAT_PROTO_TOOL_CALL(F) \
  F(Id, requestId)              \
  F(NonEmpty, toolCallId)       \
  F(NonEmpty, toolName)         \
  F(JsonObject, args)
CHAT_PROTO_EVENT(ToolCall, "tool.call", CHAT_PROTO_TOOL_CALL)

// Live output of a running tool (e.g. a command's stdout).
#define CHAT_PROTO_TOOL_OUTPUT(F) \
  F(Id, requestId)                \
  F(NonEmpty, toolCallId)         \
  F(Text<>, delta)
CHAT_PROTO_EVENT(ToolOutput, "tool.output", CHAT_PROTO_TOOL_OUTPUT)

#define CHAT_PROTO_TOOL_APPROVAL_REQUEST(F) \
  F(Id, requestId)                          \
  F(NonEmpty, toolCallId)                   \
  F(NonEmpty, toolName)                     \
  F(JsonObject, args)                       \
  F(OptRisk, risk)
CHAT_PROTO_EVENT(ToolApprovalRequest, "tool.approval.request", CHAT_PROTO_TOOL_APPROVAL_REQUEST)

#define CHAT_PROTO_TOOL_APPROVAL_RESOLVED(F) \
  F(NonEmpty, toolCallId)                    \
  F(Flag, approved)                          \
  F(Flag, sessionApprove)
CHAT_PROTO_EVENT(ToolApprovalResolved, "tool.approval.resolved",
                 CHAT_PROTO_TOOL_APPROVAL_RESOLVED)

#define CHAT_PROTO_TOOL_RESULT(F) \
  F(Id, requestId)                \
  F(NonEmpty, toolCallId)         \
  F(NonEmpty, toolName)           \
  F(AnyJson, result)
CHAT_PROTO_EVENT(ToolResult, "tool.result", CHAT_PROTO_TOOL_RESULT)

#define CHAT_PROTO_TOOL_ERROR(F) \
  F(Id, requestId)               \
  F(NonEmpty, toolCallId)        \
  F(NonEmpty, toolName)          \
  F(Text<>, error)
CHAT_PROTO_EVENT(ToolError, "tool.error", CHAT_PROTO_TOOL_ERROR)

// `error` is both connection level (no sessionId/seq) and a session event (with both; one
// without the other is malformed: the codec checks the pair). code: see codec.h's code names.
#define CHAT_PROTO_ERROR(F)     \
  F(OptId, requestId)           \
  F(NonEmpty, code)             \
  F(Text<>, message)            \
  F(OptSessionId, sessionId)    \
  F(OptSeq, seq)
CHAT_PROTO_MESSAGE(ErrorEvent, "error", CHAT_PROTO_ERROR)

using GatewayMessage =
    std::variant<AuthOk, AuthFailed, Ack, Pong, SessionList, ThreadList, SessionResumed,
                 SessionChanged, SessionSearchResult, SessionCreated, ChatMessageEvent, StreamStart, StreamDelta, StreamEnd, ToolCall,
                 ToolOutput, ToolApprovalRequest, ToolApprovalResolved, ToolResult, ToolError,
                 ErrorEvent, StreamReasoning, ModelList>;

// ---- helpers ----------------------------------------------------------------------------------

// The wire `type` string of a message ("chat.send", "chat.stream.delta", ...).
const char* typeName(const ClientMessage& m);
const char* typeName(const GatewayMessage& m);

// The client-made id of any client message.
const std::string& messageId(const ClientMessage& m);

// Session events carry (sessionId, seq); connection-level messages do not.
// Returns true and fills the out-params for a session event (ErrorEvent only when it has both).
bool sessionEventKey(const GatewayMessage& m, std::string* sessionId, int64_t* seq);

// Makes `m` the session event (sessionId, seq): what the gateway's event log does to each event
// it stores. False (and `m` unchanged) for messages that are never session events.
bool setSessionEventKey(GatewayMessage& m, const std::string& sessionId, int64_t seq);

}  // namespace chat::proto
