#include "gateway/workspace_tools.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "gateway/utf8_text.h"

namespace chat::gateway {

namespace fs = std::filesystem;

ToolAnswer timeTool(int64_t nowMs) {
  std::time_t seconds = static_cast<std::time_t>(nowMs / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return {true, {{"utc", text}, {"unixMs", nowMs}}, ""};
}

std::string canonicalWorkspace(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(p, ec)) return "";
  return p.string();
}

std::string resolveInWorkspace(const std::string& workspace, const std::string& relative,
                               std::string* error) {
  fs::path requested(relative.empty() ? "." : relative);
  fs::path joined = requested.is_absolute() ? requested : fs::path(workspace) / requested;
  std::error_code ec;
  fs::path resolved = fs::canonical(joined, ec);  // follows every symlink
  if (ec) {
    *error = "no such file or directory: " + relative;
    return "";
  }
  // Inside means: the workspace's components are a prefix of the resolved path's.
  fs::path root(workspace);
  auto r = resolved.begin();
  for (auto w = root.begin(); w != root.end(); ++w, ++r) {
    if (r == resolved.end() || *r != *w) {
      *error = "outside the workspace: " + relative;
      return "";
    }
  }
  return resolved.string();
}

ToolAnswer listFilesTool(const std::string& workspace, const std::string& path) {
  std::string error;
  std::string dir = resolveInWorkspace(workspace, path, &error);
  if (dir.empty()) return {false, nullptr, error};
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return {false, nullptr, "not a directory: " + path};
  std::vector<nlohmann::json> entries;
  bool truncated = false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (entries.size() >= kListFilesCap) {
      truncated = true;
      break;
    }
    std::error_code sec;
    auto status = it->symlink_status(sec);
    std::string type = fs::is_directory(status) ? "dir" : fs::is_regular_file(status) ? "file"
                                                                                     : "other";
    nlohmann::json entry = {{"name", toValidUtf8(it->path().filename().string())}, {"type", type}};
    if (type == "file") entry["size"] = static_cast<int64_t>(it->file_size(sec));
    entries.push_back(std::move(entry));
  }
  if (ec) return {false, nullptr, "cannot list " + path + ": " + ec.message()};
  std::sort(entries.begin(), entries.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["name"].get<std::string>() < b["name"].get<std::string>();
  });
  return {true,
          {{"path", path.empty() ? "." : path}, {"entries", entries}, {"truncated", truncated}},
          ""};
}

ToolAnswer readFileTool(const std::string& workspace, const std::string& path) {
  if (path.empty()) return {false, nullptr, "path is required"};
  std::string error;
  std::string file = resolveInWorkspace(workspace, path, &error);
  if (file.empty()) return {false, nullptr, error};
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return {false, nullptr, "not a regular file: " + path};
  const auto size = fs::file_size(file, ec);
  std::ifstream in(file, std::ios::binary);
  if (ec || !in) return {false, nullptr, "cannot read " + path};
  std::string bytes(std::min<std::size_t>(size, kReadFileCapBytes), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return {true,
          {{"path", path},
           {"content", toValidUtf8(bytes)},
           {"size", static_cast<int64_t>(size)},
           {"truncated", size > bytes.size()}},
          ""};
}

}  // namespace chat::gateway
