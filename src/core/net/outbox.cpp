#include "core/net/outbox.h"

#include <nlohmann/json.hpp>

#include "core/protocol/codec.h"

namespace chat::net {

Outbox::Outbox(std::size_t maxMessages, std::size_t maxBytes)
    : maxMessages_(maxMessages), maxBytes_(maxBytes) {}

std::string Outbox::add(const proto::ClientMessage& m) {
  const std::string& id = proto::messageId(m);
  if (find(id) != nullptr) return "";  // same id = same message: queueing it twice is a no-op
  std::string frame = proto::encode(m);
  if (entries_.size() + 1 > maxMessages_ || bytes_ + frame.size() > maxBytes_) {
    return "outbox full";
  }
  append(m, std::move(frame));
  return "";
}

void Outbox::append(const proto::ClientMessage& m, std::string frame) {
  bytes_ += frame.size();
  OutboxEntry e;
  e.id = proto::messageId(m);
  e.message = m;
  e.frame = std::move(frame);
  entries_.push_back(std::move(e));
}

bool Outbox::remove(const std::string& id) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->id == id) {
      bytes_ -= it->frame.size();
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

OutboxEntry* Outbox::find(const std::string& id) {
  for (OutboxEntry& e : entries_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::string Outbox::serialize() const {
  nlohmann::json array = nlohmann::json::array();
  for (const OutboxEntry& e : entries_) array.push_back(proto::toJson(e.message));
  // replace: invalid UTF-8 must never make persisting throw
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Outbox::load(const std::string& persisted) {
  entries_.clear();
  bytes_ = 0;
  nlohmann::json array = nlohmann::json::parse(persisted, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return;
  for (const nlohmann::json& item : array) {
    proto::Decoded<proto::ClientMessage> decoded = proto::decodeClientMessage(item);
    if (!decoded.ok()) continue;
    const std::string& id = proto::messageId(decoded.value());
    if (id.empty() || find(id) != nullptr) continue;
    append(decoded.value(), proto::encode(decoded.value()));
  }
}

}  // namespace chat::net
