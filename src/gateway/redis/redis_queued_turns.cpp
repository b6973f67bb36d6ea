#include "gateway/redis/redis_queued_turns.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

namespace chat::gateway::redis {

std::string encodeQueuedTurn(const QueuedTurn& turn, const std::string& node, int64_t echoSeq) {
  return nlohmann::json{{"sessionId", turn.sessionId}, {"requestId", turn.requestId},
                        {"content", turn.content},     {"model", turn.model},
                        {"cancelled", turn.cancelled}, {"node", node},
                        {"echoSeq", echoSeq}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<QueuedTurn> decodeQueuedTurns(const std::vector<RedisReply>& values) {
  std::vector<std::pair<int64_t, QueuedTurn>> turns;
  for (const RedisReply& value : values) {
    auto j = nlohmann::json::parse(value.str, nullptr, false);
    if (!j.is_object()) continue;
    QueuedTurn q;
    q.sessionId = j.value("sessionId", "");
    q.requestId = j.value("requestId", "");
    q.content = j.value("content", "");
    q.model = j.value("model", "");
    q.cancelled = j.value("cancelled", false);
    if (q.sessionId.empty() || q.requestId.empty()) continue;
    turns.emplace_back(j.value("echoSeq", int64_t{0}), std::move(q));
  }
  std::stable_sort(turns.begin(), turns.end(), [](const auto& a, const auto& b) {
    return a.second.sessionId != b.second.sessionId ? a.second.sessionId < b.second.sessionId
                                                    : a.first < b.first;
  });
  std::vector<QueuedTurn> out;
  out.reserve(turns.size());
  for (auto& t : turns) out.push_back(std::move(t.second));
  return out;
}

}  // namespace chat::gateway::redis
