// Storage that lives as long as the object: for tests and for tools that must not persist.
#pragma once

#include <map>
#include <string>

#include "core/net/platform.h"

namespace chat::native {

class MemoryStorage : public net::Storage {
 public:
  std::optional<std::string> get(const std::string& key) override;
  void set(const std::string& key, const std::string& value) override;
  void remove(const std::string& key) override;
  std::size_t size() const { return values_.size(); }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace chat::native
