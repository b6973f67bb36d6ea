// The agent's pure helpers: workspace confinement (symlinks included), the file tools' caps,
// tool argument checks and approvals, the upstream URL, the agent flags, prices, UTF-8.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gateway/agent_config.h"
#include "gateway/config.h"
#include "gateway/openai_agent.h"
#include "gateway/price_table.h"
#include "gateway/tool_runner.h"
#include "gateway/upstream_url.h"
#include "gateway/utf8_text.h"
#include "gateway/workspace_tools.h"

namespace chat::gateway {
namespace {

namespace fs = std::filesystem;

class Workspace : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/agent-ws-XXXXXX";
    root = mkdtemp(pattern);
    outside = root + "-outside";
    fs::create_directories(root + "/ws/sub");
    fs::create_directories(outside);
    std::ofstream(root + "/ws/a.txt") << "hello";
    std::ofstream(root + "/ws/sub/b.txt") << "bee";
    std::ofstream(outside + "/secret.txt") << "secret";
    fs::create_symlink(outside + "/secret.txt", root + "/ws/link-out");
    fs::create_symlink(outside, root + "/ws/dir-out");
    fs::create_symlink(root + "/ws/a.txt", root + "/ws/link-in");
    ws = canonicalWorkspace(root + "/ws");
  }
  void TearDown() override {
    fs::remove_all(root);
    fs::remove_all(outside);
  }
  std::string root, outside, ws;
};

TEST_F(Workspace, PathsInsideResolveOutsideAreRefused) {
  ASSERT_FALSE(ws.empty());
  std::string error;
  EXPECT_EQ(resolveInWorkspace(ws, "a.txt", &error), ws + "/a.txt");
  EXPECT_EQ(resolveInWorkspace(ws, "sub/../a.txt", &error), ws + "/a.txt");
  EXPECT_EQ(resolveInWorkspace(ws, "link-in", &error), ws + "/a.txt");
  EXPECT_EQ(resolveInWorkspace(ws, ".", &error), ws);
  for (const std::string bad : {"../", "../ws-outside", "link-out", "dir-out/secret.txt", "/etc/passwd", "missing"}) {
    error.clear();
    EXPECT_EQ(resolveInWorkspace(ws, bad, &error), "") << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  // A sibling whose name starts with the workspace's is not inside it.
  fs::create_directories(root + "/ws2");
  EXPECT_EQ(resolveInWorkspace(ws, "../ws2", &error), "");
}

TEST_F(Workspace, ReadAndListFiles) {
  auto read = readFileTool(ws, "sub/b.txt");
  ASSERT_TRUE(read.ok) << read.error;
  EXPECT_EQ(read.result["content"], "bee");
  EXPECT_FALSE(readFileTool(ws, "link-out").ok);
  EXPECT_FALSE(readFileTool(ws, "sub").ok);
  auto list = listFilesTool(ws, ".");
  ASSERT_TRUE(list.ok) << list.error;
  std::vector<std::string> names;
  for (const auto& e : list.result["entries"]) names.push_back(e["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"a.txt", "dir-out", "link-in", "link-out", "sub"}));
  EXPECT_FALSE(listFilesTool(ws, "dir-out").ok);
}

TEST_F(Workspace, ReadFileIsCappedAndMadeValidUtf8) {
  std::ofstream(ws + "/big.bin") << std::string(kReadFileCapBytes + 10, 'x');
  auto big = readFileTool(ws, "big.bin");
  ASSERT_TRUE(big.ok);
  EXPECT_EQ(big.result["content"].get<std::string>().size(), kReadFileCapBytes);
  EXPECT_TRUE(big.result["truncated"].get<bool>());
  std::ofstream(ws + "/bad.bin") << "ok\xff\xfe";
  auto bad = readFileTool(ws, "bad.bin");
  ASSERT_TRUE(bad.ok);
  EXPECT_EQ(bad.result["content"], "ok\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_NO_THROW(bad.result.dump());
}

TEST(ToolRunner, OffersByFlagsAndChecksArguments) {
  boost::asio::io_context ioc;
  ToolRunner none(ioc, {}, {}, [] { return int64_t(0); });
  EXPECT_EQ(none.definitions().size(), 1u);  // time only
  EXPECT_FALSE(none.offers("shell"));
  EXPECT_FALSE(none.check("shell", R"({"command":"ls"})").error.empty());

  ToolRunner all(ioc, {"/tmp", true, 1000}, {}, [] { return int64_t(0); });
  EXPECT_EQ(all.definitions().size(), 4u);
  EXPECT_TRUE(all.check("shell", R"({"command":"ls"})").error.empty());
  EXPECT_TRUE(all.check("time", "").error.empty());
  EXPECT_FALSE(all.check("shell", R"({"command":)").error.empty());
  EXPECT_FALSE(all.check("shell", R"({"cmd":"ls"})").error.empty());
  EXPECT_FALSE(all.check("shell", R"({"command":""})").error.empty());
  EXPECT_FALSE(all.check("read_file", R"({"path":3})").error.empty());
  EXPECT_FALSE(all.check("rm_rf", "{}").error.empty());
  EXPECT_EQ(all.risk("shell"), "high");
  EXPECT_EQ(all.risk("read_file"), "low");
}

TEST(ToolRunner, ShellNeedsApprovalUnlessApprovedForTheSession) {
  boost::asio::io_context ioc;
  std::set<std::string> persisted;
  ToolRunner r(ioc, {"/tmp", true, 1000}, [&](const std::string& s) {
    return s == "s-old" ? std::set<std::string>{"shell"} : std::set<std::string>{};
  }, [] { return int64_t(0); });
  EXPECT_FALSE(r.needsApproval("s-1", "time"));
  EXPECT_TRUE(r.needsApproval("s-1", "shell"));
  EXPECT_FALSE(r.needsApproval("s-old", "shell"));  // from the log (a restart)
  r.approveForSession("s-1", "shell");
  EXPECT_FALSE(r.needsApproval("s-1", "shell"));
  EXPECT_TRUE(r.needsApproval("s-2", "shell"));
}

TEST(ToolRunner, ShellRunsInTheWorkspaceStreamsOutputAndReportsTheExitCode) {
  boost::asio::io_context ioc;
  char pattern[] = "/tmp/agent-sh-XXXXXX";
  std::string dir = canonicalWorkspace(mkdtemp(pattern));
  ToolRunner r(ioc, {dir, true, 5000}, {}, [] { return int64_t(0); });
  std::string streamed;
  std::optional<ToolRunner::Result> result;
  r.run("shell", {{"command", "pwd; echo err >&2; exit 3"}},
        [&](const std::string& t) { streamed += t; }, [&](const ToolRunner::Result& x) { result = x; });
  ioc.run();
  ASSERT_TRUE(result.has_value());
  ASSERT_TRUE(result->ok) << result->error;
  EXPECT_EQ(result->result["exitCode"], 3);
  EXPECT_NE(streamed.find(dir + "\n"), std::string::npos) << streamed;
  EXPECT_NE(streamed.find("err\n"), std::string::npos);
  EXPECT_EQ(result->result["output"], streamed);
  fs::remove_all(dir);
}

TEST(ToolRunner, ShellTimeoutKillsTheProcessGroup) {
  boost::asio::io_context ioc;
  ToolRunner r(ioc, {"/tmp", true, 300}, {}, [] { return int64_t(0); });
  std::optional<ToolRunner::Result> result;
  // The grandchild holds the pipe open: only killing the group ends it.
  r.run("shell", {{"command", "sleep 30 & sleep 30"}}, {},
        [&](const ToolRunner::Result& x) { result = x; });
  ioc.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->ok);
  EXPECT_NE(result->error.find("timed out"), std::string::npos);
}

TEST(ToolRunner, StoppedShellCallsNothingAndIsReaped) {
  boost::asio::io_context ioc;
  ToolRunner r(ioc, {"/tmp", true, 60000}, {}, [] { return int64_t(0); });
  bool called = false;
  auto run = r.run("shell", {{"command", "sleep 30"}}, [&](const std::string&) { called = true; },
                   [&](const ToolRunner::Result&) { called = true; });
  run->stop();
  ioc.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(ioc.stopped()) << "the stopped command was not collected";
  EXPECT_FALSE(called);
}

TEST(UpstreamUrl, Parses) {
  std::string e;
  auto u = parseUpstreamUrl("http://127.0.0.1:11434/v1/", &e);
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "11434");
  EXPECT_EQ(u->target("/chat/completions"), "/v1/chat/completions");
  EXPECT_EQ(u->hostHeader(), "127.0.0.1:11434");
  auto s = parseUpstreamUrl("https://api.openai.com/v1", &e);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->tls);
  EXPECT_EQ(s->port, "443");
  EXPECT_EQ(s->hostHeader(), "api.openai.com");
  auto v6 = parseUpstreamUrl("http://[::1]:8000", &e);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target("/models"), "/models");
  for (const char* bad : {"ftp://x", "http://", "http://h:0", "http://h:99999", "http://h/v1?x=1",
                          "http://user:pw@h/v1", "http://[::1/v1", "127.0.0.1:8000"})
    EXPECT_FALSE(parseUpstreamUrl(bad, &e)) << bad;
}

TEST(AgentConfig, FlagsParseAndCombinationsAreChecked) {
  auto ok = parseArgs({"--upstream", "http://127.0.0.1:1/v1", "--model", "m", "--workspace", "/tmp",
                       "--allow-shell", "--tool-timeout-s=5", "--max-tool-rounds", "2",
                       "--context-tokens", "4000", "--upstream-idle-s", "3"});
  ASSERT_EQ(ok.kind, ParseOutcome::Kind::Run) << ok.error;
  EXPECT_EQ(ok.config.agent.model, "m");
  EXPECT_TRUE(ok.config.agent.allowShell);
  EXPECT_EQ(ok.config.agent.toolTimeoutS, 5);
  EXPECT_EQ(ok.config.agent.maxToolRounds, 2);
  EXPECT_EQ(ok.config.agent.upstreamIdleS, 3);
  EXPECT_EQ(parseArgs({}).config.agent.upstream, "");  // the demo agent by default
  EXPECT_EQ(parseArgs({"--upstream", "http://h/v1"}).kind, ParseOutcome::Kind::Error);  // no model
  EXPECT_EQ(parseArgs({"--upstream", "nope", "--model", "m"}).kind, ParseOutcome::Kind::Error);
  EXPECT_EQ(parseArgs({"--upstream", "http://h", "--model", "m", "--allow-shell"}).kind,
            ParseOutcome::Kind::Error);
  EXPECT_EQ(parseArgs({"--allow-shell", "--workspace", "/tmp"}).kind, ParseOutcome::Kind::Error);
  EXPECT_NE(helpText().find("--upstream URL"), std::string::npos);
}

TEST(PriceTable, ParsesAndUnknownModelsHaveNoPrice) {
  std::string e;
  auto t = PriceTable::parse(R"({"gpt-4o-mini":{"input":0.15,"output":0.6}})", &e);
  ASSERT_TRUE(t) << e;
  ASSERT_TRUE(t->find("gpt-4o-mini"));
  EXPECT_DOUBLE_EQ(t->find("gpt-4o-mini")->outputPerMillion, 0.6);
  EXPECT_FALSE(t->find("other"));
  EXPECT_FALSE(PriceTable::parse("[]", &e));
  EXPECT_FALSE(PriceTable::parse(R"({"m":{"input":1}})", &e));
  EXPECT_FALSE(PriceTable::parse(R"({"m":{"input":-1,"output":1}})", &e));
}

TEST(UpstreamError, MessageFromTheJsonBody) {
  EXPECT_EQ(upstreamErrorMessage(400, R"({"error":{"message":"model not found","type":"x"}})"),
            "the upstream answered HTTP 400: model not found");
  EXPECT_EQ(upstreamErrorMessage(500, R"({"error":"boom"})"), "the upstream answered HTTP 500: boom");
  EXPECT_EQ(upstreamErrorMessage(502, "Bad Gateway"), "the upstream answered HTTP 502: Bad Gateway");
  EXPECT_EQ(upstreamErrorMessage(503, ""), "the upstream answered HTTP 503");
}

TEST(Utf8Stream, SequencesSplitAcrossReadsAndInvalidBytes) {
  Utf8Stream s;
  std::string euro = "\xE2\x82\xAC";
  EXPECT_EQ(s.feed("a" + euro.substr(0, 1)), "a");
  EXPECT_EQ(s.feed(euro.substr(1)), euro);
  EXPECT_EQ(s.feed("\xC3"), "");
  EXPECT_EQ(s.finish(), "\xEF\xBF\xBD");
  EXPECT_EQ(toValidUtf8("x\x80y\xED\xA0\x80"), "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace chat::gateway

namespace chat::gateway {
namespace {

TEST(ModelList, IdsWithTheDefaultFirst) {
  auto m = parseModelList(R"({"object":"list","data":[{"id":"b"},{"id":"a"},{"id":"b"},{"x":1},7]})", "a");
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(parseModelList("[]", "a"));
  EXPECT_FALSE(parseModelList(R"({"data":{}})", "a"));
  EXPECT_EQ(*parseModelList(R"({"data":[]})", ""), std::vector<std::string>{});
}

}  // namespace
}  // namespace chat::gateway
