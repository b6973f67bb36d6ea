// RecordingSink: an EngineSink that applies the seq rule itself and records everything, so
// engine tests can compare what was applied with the FakeGateway's log frame by frame.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/net/connection_engine.h"
#include "core/protocol/codec.h"

namespace chat::fakes {

class RecordingSink : public net::EngineSink {
 public:
  proto::Outcome apply(const proto::GatewayMessage& m) override {
    std::string session;
    int64_t seq = 0;
    if (!proto::sessionEventKey(m, &session, &seq)) {
      connection.push_back(m);
      if (auto* ack = std::get_if<proto::Ack>(&m)) acks.push_back(ack->requestId);
      if (auto* err = std::get_if<proto::ErrorEvent>(&m)) errors.push_back(*err);
      return proto::Outcome::Applied;
    }
    int64_t& last = lastSeq[session];
    if (seq <= last) {
      ++duplicates;
      return proto::Outcome::Duplicate;
    }
    if (seq > last + 1) {
      ++gaps;
      return proto::Outcome::Gap;
    }
    last = seq;
    applied[session].push_back(proto::encode(m));
    return proto::Outcome::Applied;
  }
  int64_t lastAppliedSeq(const std::string& sessionId) override {
    auto it = lastSeq.find(sessionId);
    return it == lastSeq.end() ? 0 : it->second;
  }
  void onStatus(const net::Status& s) override { statuses.push_back(s); }

  std::map<std::string, std::vector<std::string>> applied;  // session -> encoded events
  std::map<std::string, int64_t> lastSeq;
  std::vector<proto::GatewayMessage> connection;
  std::vector<std::string> acks;
  std::vector<proto::ErrorEvent> errors;
  std::vector<net::Status> statuses;
  int duplicates = 0;
  int gaps = 0;
};

}  // namespace chat::fakes
