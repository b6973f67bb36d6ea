#include "web/local_storage.h"

#include <cstdlib>

#include <emscripten.h>

namespace chat::web {
namespace {

// Returns a malloc'd UTF-8 copy, or null when absent or when storage is unavailable.
EM_JS(char*, chat_ls_get, (const char* key), {
  try {
    var v = window.localStorage.getItem(UTF8ToString(key));
    if (v === null) return 0;
    var n = lengthBytesUTF8(v) + 1;
    var p = _malloc(n);
    stringToUTF8(v, p, n);
    return p;
  } catch (e) {
    return 0;
  }
});

EM_JS(int, chat_ls_set, (const char* key, const char* value, int length), {
  try {
    // Length-delimited: values may contain NUL bytes.
    var v = UTF8ToString(value, length);
    window.localStorage.setItem(UTF8ToString(key), v);
    return 1;
  } catch (e) {
    return 0;
  }
});

EM_JS(int, chat_ls_available, (), {
  try {
    var k = '__chat_probe__';
    window.localStorage.setItem(k, '1');
    window.localStorage.removeItem(k);
    return 1;
  } catch (e) {
    return 0;
  }
});

EM_JS(void, chat_ls_remove, (const char* key), {
  try {
    window.localStorage.removeItem(UTF8ToString(key));
  } catch (e) {
  }
});

}  // namespace

LocalStorage::LocalStorage() : available_(chat_ls_available() != 0) {}

std::optional<std::string> LocalStorage::get(const std::string& key) {
  if (available_) {
    if (char* p = chat_ls_get(key.c_str())) {
      std::string v(p);
      std::free(p);
      return v;
    }
  }
  auto it = memory_.find(key);
  if (it != memory_.end()) return it->second;
  return std::nullopt;
}

void LocalStorage::set(const std::string& key, const std::string& value) {
  // A full quota makes this one value memory-only rather than lost.
  if (!available_ || !chat_ls_set(key.c_str(), value.c_str(), static_cast<int>(value.size())))
    memory_[key] = value;
  else
    memory_.erase(key);
}

void LocalStorage::remove(const std::string& key) {
  memory_.erase(key);
  if (available_) chat_ls_remove(key.c_str());
}

}  // namespace chat::web
