// Static file serving helpers: MIME types, safe paths, cache headers, gzip negotiation.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "gateway/static_files.h"
#include "gateway/util.h"

using namespace chat::gateway;

namespace {
class StaticRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = ::testing::TempDir() + "/gw-static-" + randomHex(4);
    root_ = base_ + "/root";
    ::mkdir(base_.c_str(), 0755);
    ::mkdir(root_.c_str(), 0755);
    ::mkdir((root_ + "/sub").c_str(), 0755);
    write(root_ + "/index.html", "<html>");
    write(root_ + "/app.wasm", "wasm");
    write(root_ + "/sub/index.html", "<html>sub");
    write(root_ + "/.secret", "no");
    write(base_ + "/outside.txt", "outside");
    ::symlink((base_ + "/outside.txt").c_str(), (root_ + "/link.txt").c_str());
  }
  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }
  std::string base_, root_;
};
}  // namespace

TEST(StaticFiles, MimeTypes) {
  EXPECT_EQ(mimeTypeFor("/a/chat.wasm"), "application/wasm");
  EXPECT_EQ(mimeTypeFor("index.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("x.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("x.css"), "text/css; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("x.json"), "application/json");
  EXPECT_EQ(mimeTypeFor("x.svg"), "image/svg+xml");
  EXPECT_EQ(mimeTypeFor("noext"), "application/octet-stream");
  EXPECT_EQ(mimeTypeFor("dir.d/noext"), "application/octet-stream");
}

TEST_F(StaticRoot, ResolvesFilesAndDirectoryIndexes) {
  EXPECT_EQ(resolveStaticPath(root_, "/").value_or(""), root_ + "/index.html");
  EXPECT_EQ(resolveStaticPath(root_, "/app.wasm?v=2").value_or(""), root_ + "/app.wasm");
  EXPECT_EQ(resolveStaticPath(root_, "/sub/").value_or(""), root_ + "/sub/index.html");
  EXPECT_EQ(resolveStaticPath(root_, "/sub").value_or(""), root_ + "/sub/index.html");
  EXPECT_EQ(resolveStaticPath(root_, "/%61pp.wasm").value_or(""), root_ + "/app.wasm");
  EXPECT_FALSE(resolveStaticPath(root_, "/missing.js"));
  EXPECT_FALSE(resolveStaticPath("", "/"));
}

TEST_F(StaticRoot, RefusesTraversalDotfilesAndEscapes) {
  EXPECT_FALSE(resolveStaticPath(root_, "/../outside.txt"));
  EXPECT_FALSE(resolveStaticPath(root_, "/sub/../../outside.txt"));
  EXPECT_FALSE(resolveStaticPath(root_, "/%2e%2e/outside.txt"));
  EXPECT_FALSE(resolveStaticPath(root_, "/..%2foutside.txt"));
  EXPECT_FALSE(resolveStaticPath(root_, "/.secret"));
  EXPECT_FALSE(resolveStaticPath(root_, "/sub\\..\\..\\outside.txt"));
  EXPECT_FALSE(resolveStaticPath(root_, "/index.html%00.js"));
  EXPECT_FALSE(resolveStaticPath(root_, "/bad%zz"));
  EXPECT_FALSE(resolveStaticPath(root_, "relative"));
  EXPECT_FALSE(resolveStaticPath(root_, "/link.txt"));  // symlink leading out of the root
}

TEST(StaticFiles, CacheHeaders) {
  EXPECT_EQ(cacheControlFor("/index.html"), "no-cache");
  EXPECT_EQ(cacheControlFor("/app.3f9a1c2b.js"), "public, max-age=31536000, immutable");
  EXPECT_EQ(cacheControlFor("/chunk-0a1b2c3d4e.wasm"), "public, max-age=31536000, immutable");
  EXPECT_NE(cacheControlFor("/chat.js").find("max-age=60"), std::string::npos);
  EXPECT_FALSE(isHashedAssetName("/deadbeefcafe.js"));  // hex letters only: a word, not a hash
  EXPECT_FALSE(isHashedAssetName("/abc123.js"));         // too short
}

TEST(StaticFiles, GzipNegotiation) {
  EXPECT_TRUE(acceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(acceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(acceptsGzip("*"));
  EXPECT_FALSE(acceptsGzip("gzip;q=0"));
  EXPECT_FALSE(acceptsGzip("deflate, br"));
  EXPECT_FALSE(acceptsGzip(""));
}

TEST(StaticFiles, PercentDecode) {
  EXPECT_EQ(percentDecode("a%20b").value_or(""), "a b");
  EXPECT_FALSE(percentDecode("%4"));
  EXPECT_FALSE(percentDecode("%00"));
}

namespace {
std::string readAll(const OpenedStaticFile& f) {
  std::string out(f.size, '\0');
  ssize_t n = ::pread(f.file.get(), out.data(), out.size(), 0);
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}
}  // namespace

TEST(StaticFiles, EncodingNegotiation) {
  EXPECT_TRUE(acceptsEncoding("gzip, deflate, br", "br"));
  EXPECT_TRUE(acceptsEncoding("BR;q=0.5", "br"));
  EXPECT_TRUE(acceptsEncoding("*", "br"));
  EXPECT_FALSE(acceptsEncoding("br;q=0, *", "br"));
  EXPECT_FALSE(acceptsEncoding("gzip", "br"));
}

TEST_F(StaticRoot, ServesTheFileItselfWhenNoTwinIsAccepted) {
  write(root_ + "/notes.txt", "plain");
  write(root_ + "/notes.txt.gz", "gz");
  auto f = openStaticFile(root_, root_ + "/notes.txt", "identity");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->encoding, "");
  EXPECT_EQ(readAll(*f), "plain");
}

TEST_F(StaticRoot, PrefersBrotliOverGzipWhenBothAreAccepted) {
  write(root_ + "/app.js", "plain");
  write(root_ + "/app.js.gz", "gz");
  write(root_ + "/app.js.br", "br");
  auto f = openStaticFile(root_, root_ + "/app.js", "gzip, deflate, br");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->encoding, "br");
  EXPECT_EQ(readAll(*f), "br");
  auto g = openStaticFile(root_, root_ + "/app.js", "gzip");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->encoding, "gzip");
  EXPECT_EQ(readAll(*g), "gz");
}

// Review finding 1: a twin that is a symlink out of the root was served after a plain stat().
TEST_F(StaticRoot, ACompressedTwinLeadingOutOfTheRootIsNeverServed) {
  write(root_ + "/notes.txt", "plain");
  ::symlink((base_ + "/outside.txt").c_str(), (root_ + "/notes.txt.gz").c_str());
  ::symlink((base_ + "/outside.txt").c_str(), (root_ + "/notes.txt.br").c_str());
  auto f = openStaticFile(root_, root_ + "/notes.txt", "gzip, br");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->encoding, "");
  EXPECT_EQ(readAll(*f), "plain");
}

TEST_F(StaticRoot, ATwinThatIsNotARegularFileIsSkipped) {
  write(root_ + "/notes.txt", "plain");
  ::mkdir((root_ + "/notes.txt.br").c_str(), 0755);
  ::mkfifo((root_ + "/notes.txt.gz").c_str(), 0644);  // would block a plain open
  auto f = openStaticFile(root_, root_ + "/notes.txt", "gzip, br");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->encoding, "");
}

TEST_F(StaticRoot, TheFileItselfMustBeInsideTheRoot) {
  EXPECT_FALSE(openStaticFile(root_, root_ + "/link.txt", ""));
  EXPECT_FALSE(openStaticFile(root_, base_ + "/outside.txt", ""));
}
