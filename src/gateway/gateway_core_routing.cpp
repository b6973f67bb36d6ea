// GatewayCore with several nodes (useLeases): approvals and cancels of a turn another node runs
// are sent to that node over the leases (turn_leases.h), applied there like its own clients'
// (deduplicated by message id, committed with their effects), and the owner's answer is sent
// back to the node the client is connected to, which answers the client: after the commit,
// as on one node.
//
// Payloads on a node's channel (JSON):
//   {"apply": "<client frame>", "from": "<node id>"}        a message to apply here
//   {"answer": "<message id>", "frames": [...], "isError": b, "errorCode": "..."}
//                                                           the answer to one sent from here
#include <chrono>

#include "core/protocol/codec.h"
#include "gateway/gateway_core.h"
#include "gateway/util.h"

namespace chat::gateway {

void GatewayCore::routeToOwner(const std::string& id, const MessageIdUse& use,
                               const proto::ClientMessage& message, const std::string& requestId,
                               const std::string& toolCallId, const Reply& reply,
                               std::function<void()> noOwner) {
  // Waiting like a message waiting for its commit: a resend meanwhile gets the same answer.
  inFlight_[id].push_back(reply);
  inFlightUse_[id] = use;
  const std::string payload =
      nlohmann::json{{"apply", proto::encode(message)}, {"from", leases_->nodeId()}}.dump();
  auto delivered = [this, id, noOwner = std::move(noOwner)](bool someoneRunsIt) {
    if (inFlight_.count(id) == 0) return;
    if (!someoneRunsIt) return noOwner();
    // The owner answers once it has applied it; if it dies first, the client is told so
    // (after the time a dead node's turn takes to be closed) and may send it again.
    auto timer = std::make_unique<boost::asio::steady_timer>(ioc_);
    timer->expires_after(std::chrono::milliseconds(2 * leases_->leaseMs() + 1000));
    timer->async_wait([this, id](const boost::system::error_code& ec) {
      if (!ec) routedTimedOut(id);
    });
    routed_[id] = std::move(timer);
  };
  // A cancel of a turn waiting on another node is marked in the store on the way.
  if (toolCallId.empty()) leases_->cancelAtOwner(requestId, payload, std::move(delivered));
  else leases_->sendToToolOwner(toolCallId, payload, std::move(delivered));
}

void GatewayCore::routedTimedOut(const std::string& id) {
  routed_.erase(id);
  if (inFlight_.count(id) == 0) return;
  // Applied after all (its answer was lost)? Then that is the answer.
  std::optional<std::string> stored;
  try {
    stored = store_.processedReply(id);
  } catch (const std::exception&) {
  }
  if (stored) {
    Result r;
    r.frames.push_back(decodeProcessedReply(*stored).frame);
    return answerInFlight(id, r);
  }
  answerInFlight(id, error(id, proto::code::kInternal,
                           "the gateway node running this turn did not answer: send it again"));
}

void GatewayCore::onRouted(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return;  // not from a node of ours: ignored
  if (auto apply = j.find("apply"); apply != j.end() && apply->is_string()) {
    auto from = j.find("from");
    if (from == j.end() || !from->is_string() || from->get<std::string>().empty()) return;
    auto message = proto::decodeClientMessage(std::string_view(apply->get_ref<const std::string&>()));
    if (!message) return;
    return applyRouted(message.value(), from->get<std::string>());
  }
  auto answer = j.find("answer");
  if (answer == j.end() || !answer->is_string()) return;
  const std::string id = answer->get<std::string>();
  if (inFlight_.count(id) == 0) return;  // answered already (timed out)
  routed_.erase(id);
  Result r;
  if (auto frames = j.find("frames"); frames != j.end() && frames->is_array()) {
    for (const auto& f : *frames)
      if (f.is_string()) r.frames.push_back(f.get<std::string>());
  }
  if (r.frames.empty()) r = error(id, proto::code::kInternal, "internal error");
  r.isError = j.value("isError", r.isError);
  r.errorCode = j.value("errorCode", r.errorCode);
  answerInFlight(id, r);
}

void GatewayCore::applyRouted(const proto::ClientMessage& message, const std::string& fromNode) {
  const std::string id = proto::messageId(message);
  auto answered = std::make_shared<bool>(false);
  Reply answer = [this, answered, id, fromNode](Result r) {
    if (*answered) return;
    *answered = true;
    leases_->sendToNode(fromNode, nlohmann::json{{"answer", id},
                                                 {"frames", r.frames},
                                                 {"isError", r.isError},
                                                 {"errorCode", r.errorCode}}
                                      .dump());
  };
  try {
    // Applied as if a client of this node sent it, but never routed on again.
    if (auto* m = std::get_if<proto::ChatCancel>(&message)) return chatCancel(*m, answer, false);
    if (auto* m = std::get_if<proto::ToolApprovalResponse>(&message))
      return approval(*m, answer, false);
  } catch (const std::exception& e) {
    logLine(std::string("error applying a routed ") + proto::typeName(message) + ": " + e.what());
    return answer(error(id, proto::code::kInternal, "internal error"));
  }
  answer(error(id, proto::code::kBadRequest, "only approvals and cancels are routed"));
}

}  // namespace chat::gateway
