// Serving the web client's files: safe path resolution (no traversal, no dotfiles, no escape
// through symlinks), MIME types (application/wasm included), precompressed .br/.gz twins and
// cache headers. Pure functions, plus openStaticFile, which opens what is served.
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

// Whether an Accept-Encoding header value accepts `coding` ("gzip", "br"; "*" counts) and
// does not refuse it with q=0.
bool acceptsEncoding(std::string_view acceptEncoding, std::string_view coding);
bool acceptsGzip(std::string_view acceptEncoding);

// An open file descriptor (closed when destroyed unless released).
class FileHandle {
 public:
  explicit FileHandle(int fd = -1) : fd_(fd) {}
  ~FileHandle();
  FileHandle(FileHandle&& other) noexcept : fd_(other.release()) {}
  FileHandle& operator=(FileHandle&& other) noexcept;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// A file opened for serving: the descriptor, what fstat says of it, and its Content-Encoding
// ("" for the file itself, "br" or "gzip" for a precompressed twin).
struct OpenedStaticFile {
  FileHandle file;
  uint64_t size = 0;
  int64_t mtimeNs = 0;
  std::string encoding;
};

// Opens `path` (from resolveStaticPath) or its best precompressed twin the client accepts
// (path + ".br" before path + ".gz"). Every candidate passes the same confinement: the file
// actually opened (its /proc/self/fd link, so no symlink swap between check and open) is a
// regular file inside realpath(root). A twin that fails it is skipped; nullopt when the file
// itself fails it.
std::optional<OpenedStaticFile> openStaticFile(const std::string& root, const std::string& path,
                                               std::string_view acceptEncoding);

bool isHtml(std::string_view path);

// A weak validator from size and modification time.
std::string etagFor(uint64_t size, int64_t mtimeNs);

}  // namespace chat::gateway
