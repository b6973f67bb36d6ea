// Review finding 1 end to end: a precompressed twin that is a symlink out of --static is never
// served (the file itself is), and a Brotli twin inside it is preferred over gzip.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "fixture.h"
#include "raw_tcp.h"

namespace chat::itest {
namespace {

using HardeningStaticTest = GatewayTest;

void writeFile(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST_F(HardeningStaticTest, AGzipTwinLinkedOutOfTheStaticFolderIsNotServed) {
  TempDir dir;
  const std::string root = dir.file("www");
  ASSERT_EQ(::mkdir(root.c_str(), 0755), 0);
  writeFile(root + "/index.html", "<html>");
  writeFile(root + "/notes.txt", "the notes");
  writeFile(dir.file("secret.txt"), "root:x:0:0:secret");
  ASSERT_EQ(::symlink(dir.file("secret.txt").c_str(), (root + "/notes.txt.gz").c_str()), 0);
  GatewayOptions options;
  options.extraArgs = {"--static", root};
  ASSERT_TRUE(startGateway(options));

  auto r = rawRequest(gateway->port(), "GET", "/notes.txt",
                      "Host: 127.0.0.1\r\nAccept-Encoding: gzip\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "the notes");
  EXPECT_EQ(r.headers.count("content-encoding"), 0u);
}

TEST_F(HardeningStaticTest, BrotliTwinsArePreferredOverGzipForBrowsersThatAcceptThem) {
  TempDir dir;
  const std::string root = dir.file("www");
  ASSERT_EQ(::mkdir(root.c_str(), 0755), 0);
  writeFile(root + "/app.js", "plain");
  writeFile(root + "/app.js.gz", "gzipped");
  writeFile(root + "/app.js.br", "brotli");
  GatewayOptions options;
  options.extraArgs = {"--static", root};
  ASSERT_TRUE(startGateway(options));

  auto br = rawRequest(gateway->port(), "GET", "/app.js",
                       "Host: 127.0.0.1\r\nAccept-Encoding: gzip, deflate, br\r\n");
  EXPECT_EQ(br.body, "brotli");
  EXPECT_EQ(br.headers["content-encoding"], "br");
  EXPECT_EQ(br.headers["vary"], "Accept-Encoding");
  auto gz = rawRequest(gateway->port(), "GET", "/app.js",
                       "Host: 127.0.0.1\r\nAccept-Encoding: gzip\r\n");
  EXPECT_EQ(gz.body, "gzipped");
  EXPECT_EQ(gz.headers["content-encoding"], "gzip");
  auto plain = rawRequest(gateway->port(), "GET", "/app.js", "Host: 127.0.0.1\r\n");
  EXPECT_EQ(plain.body, "plain");
  EXPECT_NE(br.headers["etag"], gz.headers["etag"]);
}

}  // namespace
}  // namespace chat::itest
