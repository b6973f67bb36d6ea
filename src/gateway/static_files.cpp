#include "gateway/static_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <cstdlib>
#include <map>
#include <vector>

namespace chat::gateway {

namespace {

std::string lowerExtension(std::string_view path) {
  auto slash = path.find_last_of('/');
  auto dot = path.find_last_of('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  std::string ext(path.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

bool isRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool isDirectory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::optional<std::string> realPath(const std::string& path) {
  char buf[PATH_MAX];
  if (!::realpath(path.c_str(), buf)) return std::nullopt;
  return std::string(buf);
}

}  // namespace

std::string mimeTypeFor(std::string_view path) {
  static const std::map<std::string, std::string> types = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"wasm", "application/wasm"},
      {"data", "application/octet-stream"},
      {"txt", "text/plain; charset=utf-8"},
      {"md", "text/markdown; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"webmanifest", "application/manifest+json"},
  };
  auto it = types.find(lowerExtension(path));
  return it == types.end() ? "application/octet-stream" : it->second;
}

bool isHtml(std::string_view path) {
  auto ext = lowerExtension(path);
  return ext == "html" || ext == "htm";
}

std::optional<std::string> percentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
        return std::nullopt;
      int v = std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16);
      if (v == 0) return std::nullopt;
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      if (c == '\0') return std::nullopt;
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> resolveStaticPath(const std::string& root, std::string_view target) {
  if (root.empty()) return std::nullopt;
  auto cut = target.find_first_of("?#");
  std::string_view rawPath = target.substr(0, cut);
  if (rawPath.empty() || rawPath.front() != '/') return std::nullopt;
  auto decoded = percentDecode(rawPath);
  if (!decoded) return std::nullopt;

  std::vector<std::string> segments;
  std::size_t start = 1;
  const std::string& p = *decoded;
  while (start <= p.size()) {
    auto end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    std::string segment = p.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == ".") continue;
    // "..", hidden files (.git, .env) and Windows separators are never served.
    if (segment.front() == '.' || segment.find('\\') != std::string::npos) return std::nullopt;
    segments.push_back(segment);
  }

  std::string path = root;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  for (const auto& segment : segments) path += "/" + segment;
  if (isDirectory(path)) path += "/index.html";
  if (!isRegularFile(path)) return std::nullopt;

  // A symlink inside root must not lead outside it.
  auto realRoot = realPath(root);
  auto realFile = realPath(path);
  if (!realRoot || !realFile) return std::nullopt;
  std::string prefix = *realRoot == "/" ? "/" : *realRoot + "/";
  if (realFile->compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  return path;
}

bool isHashedAssetName(std::string_view path) {
  auto slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::size_t run = 0;
  bool digit = false;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    char c = i < name.size() ? name[i] : '.';
    bool hex = std::isxdigit(static_cast<unsigned char>(c)) != 0 &&
               !std::isupper(static_cast<unsigned char>(c));
    if (hex) {
      ++run;
      digit = digit || std::isdigit(static_cast<unsigned char>(c));
      continue;
    }
    bool separator = c == '.' || c == '-' || c == '_';
    if (separator && run >= 8 && digit) return true;
    run = 0;
    digit = false;
    if (!separator) {
      // a hex run glued to other letters ("deadbeefy") does not count: skip to a separator
      while (i < name.size() && name[i] != '.' && name[i] != '-' && name[i] != '_') ++i;
    }
  }
  return false;
}

std::string cacheControlFor(std::string_view path) {
  if (isHtml(path)) return "no-cache";
  if (isHashedAssetName(path)) return "public, max-age=31536000, immutable";
  return "public, max-age=60, must-revalidate";
}

bool acceptsEncoding(std::string_view header, std::string_view wanted) {
  std::size_t i = 0;
  while (i < header.size()) {
    auto comma = header.find(',', i);
    if (comma == std::string_view::npos) comma = header.size();
    std::string item(header.substr(i, comma - i));
    i = comma + 1;
    for (char& c : item) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto semi = item.find(';');
    std::string coding = item.substr(0, semi);
    auto trim = [](std::string s) {
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
      return s;
    };
    coding = trim(coding);
    if (coding != wanted && coding != "*") continue;
    if (semi != std::string::npos) {
      std::string params = trim(item.substr(semi + 1));
      if (params.rfind("q=", 0) == 0 && std::strtod(params.c_str() + 2, nullptr) <= 0.0) {
        if (coding == wanted) return false;
        continue;
      }
    }
    return true;
  }
  return false;
}

bool acceptsGzip(std::string_view header) { return acceptsEncoding(header, "gzip"); }

FileHandle::~FileHandle() {
  if (fd_ >= 0) ::close(fd_);
}

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

namespace {

// Opens `path` read-only and keeps it only if what was opened is a regular file inside
// `realRootPrefix` ("/real/root/"). The check reads the descriptor's own link, so it judges
// the file being served, not a path that could change between a check and an open.
std::optional<OpenedStaticFile> openConfined(const std::string& realRootPrefix,
                                             const std::string& path) {
  FileHandle fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (fd.get() < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  auto real = realPath("/proc/self/fd/" + std::to_string(fd.get()));
  if (!real || real->compare(0, realRootPrefix.size(), realRootPrefix) != 0) return std::nullopt;
  // O_NONBLOCK only kept a FIFO from blocking the open; reads of a regular file ignore it.
  OpenedStaticFile out;
  out.file = std::move(fd);
  out.size = static_cast<uint64_t>(st.st_size);
  out.mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return out;
}

}  // namespace

std::optional<OpenedStaticFile> openStaticFile(const std::string& root, const std::string& path,
                                               std::string_view acceptEncoding) {
  auto realRoot = realPath(root);
  if (!realRoot) return std::nullopt;
  const std::string prefix = *realRoot == "/" ? "/" : *realRoot + "/";
  auto file = openConfined(prefix, path);
  if (!file) return std::nullopt;  // the file itself must pass before a twin is considered
  static const struct {
    const char* coding;
    const char* suffix;
  } kTwins[] = {{"br", ".br"}, {"gzip", ".gz"}};  // smallest first
  for (const auto& twin : kTwins) {
    if (!acceptsEncoding(acceptEncoding, twin.coding)) continue;
    if (auto opened = openConfined(prefix, path + twin.suffix)) {
      opened->encoding = twin.coding;
      return opened;
    }
  }
  return file;
}

std::string etagFor(uint64_t size, int64_t mtimeNs) {
  return "W/\"" + std::to_string(size) + "-" + std::to_string(mtimeNs) + "\"";
}

}  // namespace chat::gateway
