// The event log's reads by key, written once: the log runs them on its own connection
// (event_log.cpp, session_catalog.cpp) and CommittedReader on its read-only one
// (committed_reader.h).
#pragma once

namespace chat::gateway::sql {

// ?1 message id -> the stored reply of an applied client message.
inline constexpr char kProcessedReply[] = "SELECT reply FROM processed WHERE message_id = ?1";
// ?1 session id -> its last seq.
inline constexpr char kLastSeq[] = "SELECT last_seq FROM sessions WHERE id = ?1";
// ?1 session id, ?2 after seq, ?3 limit -> seq, json of its events, oldest first.
inline constexpr char kEventsAfter[] =
    "SELECT seq, json FROM events WHERE session_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";
// ?1 session id -> deleted (1) or not (0), when the session list ever saw it.
inline constexpr char kSessionDeleted[] =
    "SELECT deleted FROM session_changes WHERE session_id = ?1";

}  // namespace chat::gateway::sql
