// Storage persisted as one JSON object {key: value} in a file: the native counterpart of the
// browser's localStorage, so a restarted native client resends its unacked outbox.
//
// Every change rewrites the file atomically (temporary file + rename), so a crash leaves either
// the old or the new content, never half of it. Values are text: as with localStorage, a value
// that is not valid UTF-8 is stored with its invalid bytes replaced by U+FFFD.
#pragma once

#include <map>
#include <string>

#include "core/net/platform.h"

namespace chat::native {

class FileStorage : public net::Storage {
 public:
  // Loads the file if it exists. A missing file is an empty store; an unreadable or corrupt
  // one is moved aside to PATH.corrupt (kept for inspection) and the store starts empty.
  explicit FileStorage(std::string path);

  std::optional<std::string> get(const std::string& key) override;
  void set(const std::string& key, const std::string& value) override;
  void remove(const std::string& key) override;

  // "" while the last write succeeded, else why it failed (the value stays in memory).
  const std::string& lastError() const { return lastError_; }
  const std::string& path() const { return path_; }

 private:
  void load();
  void save();

  std::string path_;
  std::map<std::string, std::string> values_;
  std::string lastError_;
};

}  // namespace chat::native
