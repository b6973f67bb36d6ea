// Serving the web client's files: safe path resolution (no traversal, no dotfiles, no escape
// through symlinks), MIME types (application/wasm included), precompressed .gz variants and
// cache headers. Pure functions, plus one that builds the answer for a request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::gateway {

// The Content-Type for a file name (by extension); application/octet-stream when unknown.
std::string mimeTypeFor(std::string_view path);

// Decodes %XX escapes; nullopt for a malformed escape or a decoded NUL byte.
std::optional<std::string> percentDecode(std::string_view s);

// Maps a request target ("/a/b.js?x=1") to a regular file under `root`: "/" and directories
// map to their index.html. nullopt when the path is unsafe (.., dotfiles, backslashes, escape
// from root through a symlink) or names no regular file.
std::optional<std::string> resolveStaticPath(const std::string& root, std::string_view target);

// True for names with a content hash, e.g. "app.3f9a1c2b.js" or "chunk-3f9a1c2b7d.wasm":
// a segment of 8+ hex digits that also has a digit.
bool isHashedAssetName(std::string_view path);

// "no-cache" for HTML; a year, immutable, for hashed assets; a short max-age otherwise.
std::string cacheControlFor(std::string_view path);

// Whether an Accept-Encoding header value accepts gzip (and does not refuse it with q=0).
bool acceptsGzip(std::string_view acceptEncoding);

bool isHtml(std::string_view path);

// A weak validator from size and modification time.
std::string etagFor(uint64_t size, int64_t mtimeNs);

}  // namespace chat::gateway
