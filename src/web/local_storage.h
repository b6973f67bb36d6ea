// Storage on window.localStorage. Where the browser refuses it (a sandboxed or third-party
// iframe with storage blocked, a full quota), values live in memory for this page's lifetime:
// the chat still works, it just does not survive a reload.
#pragma once

#include <map>

#include "core/net/platform.h"

namespace chat::web {

class LocalStorage : public net::Storage {
 public:
  LocalStorage();
  bool persistent() const { return available_; }
  std::optional<std::string> get(const std::string& key) override;
  void set(const std::string& key, const std::string& value) override;
  void remove(const std::string& key) override;

 private:
  bool available_;
  std::map<std::string, std::string> memory_;  // when localStorage refuses
};

}  // namespace chat::web
