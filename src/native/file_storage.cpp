#include "native/file_storage.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

namespace chat::native {

FileStorage::FileStorage(std::string path) : path_(std::move(path)) { load(); }

std::optional<std::string> FileStorage::get(const std::string& key) {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void FileStorage::set(const std::string& key, const std::string& value) {
  values_[key] = value;
  save();
}

void FileStorage::remove(const std::string& key) {
  if (values_.erase(key) > 0) save();
}

void FileStorage::load() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return;  // no file yet: empty store
  std::stringstream text;
  text << in.rdbuf();
  in.close();
  const auto parsed = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    std::rename(path_.c_str(), (path_ + ".corrupt").c_str());
    lastError_ = "corrupt storage file moved to " + path_ + ".corrupt";
    return;
  }
  for (const auto& [key, value] : parsed.items()) {
    if (value.is_string()) values_[key] = value.get<std::string>();
  }
}

void FileStorage::save() {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : values_) object[key] = value;
  const std::string text = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  const std::string temp = path_ + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      lastError_ = "cannot write " + temp;
      return;
    }
  }
  if (std::rename(temp.c_str(), path_.c_str()) != 0) {
    lastError_ = "cannot replace " + path_;
    return;
  }
  lastError_.clear();
}

}  // namespace chat::native
