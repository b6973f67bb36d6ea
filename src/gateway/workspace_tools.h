// The tools that answer at once: time, list_files and read_file. list_files and read_file act
// only inside the workspace: the path is resolved (symlinks included) and must stay inside
// the resolved workspace directory, so neither "../" nor a link pointing out escapes it.
// Synchronous and small (capped), so they run on the event loop. Results are JSON objects;
// failures are a message for the model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace chat::gateway {

constexpr std::size_t kReadFileCapBytes = 256 * 1024;
constexpr std::size_t kListFilesCap = 1000;

struct ToolAnswer {
  bool ok = false;
  nlohmann::json result;  // when ok
  std::string error;      // when not
};

// {utc: "2026-11-29T22:56:27Z", unixMs}
ToolAnswer timeTool(int64_t nowMs);

// The workspace's canonical path; "" when `dir` is not an existing directory.
std::string canonicalWorkspace(const std::string& dir);

// `relative` (or absolute inside the workspace) resolved; "" and *error when it does not exist
// or resolves outside `workspace` (canonical).
std::string resolveInWorkspace(const std::string& workspace, const std::string& relative,
                               std::string* error);

// {path, entries:[{name, type:"file"|"dir"|"other", size}], truncated}
ToolAnswer listFilesTool(const std::string& workspace, const std::string& path);
// {path, content, size, truncated}: the first kReadFileCapBytes, as valid UTF-8.
ToolAnswer readFileTool(const std::string& workspace, const std::string& path);

}  // namespace chat::gateway
