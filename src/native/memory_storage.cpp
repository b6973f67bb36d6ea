#include "native/memory_storage.h"

namespace chat::native {

std::optional<std::string> MemoryStorage::get(const std::string& key) {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void MemoryStorage::set(const std::string& key, const std::string& value) { values_[key] = value; }

void MemoryStorage::remove(const std::string& key) { values_.erase(key); }

}  // namespace chat::native
