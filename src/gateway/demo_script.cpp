#include "gateway/demo_script.h"

#include <cctype>
#include <cstdio>
#include <ctime>

#include "gateway/util.h"

namespace chat::gateway {

namespace {

const char* const kLorem[] = {"lorem", "ipsum", "dolor",      "sit", "amet",
                              "consectetur", "adipiscing", "elit", "sed", "do"};

const char* const kMarkdownReply =
    "Here is some **markdown** from the demo agent.\n"
    "\n"
    "```cpp\n"
    "#include <iostream>\n"
    "\n"
    "int main() {\n"
    "  std::cout << \"hello, chat\" << std::endl;\n"
    "  return 0;\n"
    "}\n"
    "```\n"
    "\n"
    "- a bullet list item\n"
    "- another item with `inline code`\n"
    "- a third item\n";

std::string isoTime(int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// First word of `s` (after leading spaces) and the rest after the following spaces.
std::pair<std::string, std::string> firstWord(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && isSpace(s[i])) ++i;
  std::size_t j = i;
  while (j < s.size() && !isSpace(s[j])) ++j;
  std::size_t k = j;
  while (k < s.size() && isSpace(s[k])) ++k;
  std::string rest = s.substr(k);
  while (!rest.empty() && isSpace(rest.back())) rest.pop_back();
  return {s.substr(i, j - i), rest};
}

}  // namespace

Price priceOf(const std::string& model) {
  if (model == "demo-mini") return Price{0.25, 1.25};
  return Price{3.0, 15.0};  // demo-1 and anything unknown
}

std::vector<std::string> splitWords(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && isSpace(text[i])) ++i;
    if (i == text.size()) {  // trailing whitespace joins the last word
      if (out.empty()) out.push_back(text.substr(start));
      else out.back() += text.substr(start);
      break;
    }
    while (i < text.size() && !isSpace(text[i])) ++i;
    out.push_back(text.substr(start, i - start));
  }
  return out;
}

DemoTurn::DemoTurn(Options options) : o_(std::move(options)) {
  if (o_.model.empty()) o_.model = kDemoModel;
  if (!o_.wallClockMs) o_.wallClockMs = wallClockMs;
  inputWords_ = countWords(o_.prompt);

  auto [command, rest] = firstWord(o_.prompt);
  if (command == "/tool") {
    auto [tool, toolText] = firstWord(rest);
    if (tool == "time") {
      toolName_ = "time";
    } else if (tool == "shell") {
      toolName_ = "shell";
      std::string cmd = toolText.empty() ? "ls -la" : toolText;
      toolArgs_ = {{"command", cmd}};
      outputLines_ = {
          "$ " + cmd + "\n",
          "total 24\n",
          "drwxr-xr-x  4 demo demo 4096 Jan  1 12:00 .\n",
          "drwxr-xr-x 12 demo demo 4096 Jan  1 12:00 ..\n",
          "-rw-r--r--  1 demo demo  512 Jan  1 12:00 README.md\n",
          "drwxr-xr-x  2 demo demo 4096 Jan  1 12:00 src\n",
          "(simulated output: the demo agent never runs commands)\n",
      };
      words_ = splitWords("The command `" + cmd + "` finished with exit code 0 (simulated).");
    }
  } else if (command == "/fail") {
    toolName_ = "fail";
    words_ = splitWords("The tool failed, as /fail asked.");
  } else if (command == "/long") {
    auto [count, ignored] = firstWord(rest);
    (void)ignored;
    int64_t n = 100;
    if (!count.empty() && count.size() <= 9 &&
        count.find_first_not_of("0123456789") == std::string::npos)
      n = std::stoll(count);
    longWords_ = n > kMaxLongWords ? kMaxLongWords : n;
  } else if (command == "/markdown") {
    words_ = splitWords(kMarkdownReply);
  }
  if (words_.empty() && longWords_ < 0 && toolName_ != "time") {
    words_ = splitWords("You said: \"" + o_.prompt +
                        "\". I am the demo agent: I quote your message back word by word. Try "
                        "/tool time, /tool shell ls, /fail, /long 200 or /markdown.");
  }
}

proto::StreamStart DemoTurn::start() const {
  proto::StreamStart e;
  e.requestId = o_.requestId;
  e.model = o_.model;
  return e;
}

proto::ToolCall DemoTurn::toolCall() const {
  proto::ToolCall e;
  e.requestId = o_.requestId;
  e.toolCallId = o_.toolCallId;
  e.toolName = toolName_;
  e.args = toolArgs_;
  return e;
}

proto::ToolError DemoTurn::toolError(const std::string& error) const {
  proto::ToolError e;
  e.requestId = o_.requestId;
  e.toolCallId = o_.toolCallId;
  e.toolName = toolName_;
  e.error = error;
  return e;
}

proto::StreamEnd DemoTurn::end(const std::string& stopReason) const {
  Price price = priceOf(o_.model);
  double inputCost = static_cast<double>(inputWords_) * price.inputPerMillion / 1e6;
  double outputCost = static_cast<double>(outputWords_) * price.outputPerMillion / 1e6;
  proto::StreamEnd e;
  e.requestId = o_.requestId;
  e.usage = {inputWords_, outputWords_, inputWords_ + outputWords_};
  e.cost = {inputCost, outputCost, inputCost + outputCost};
  e.stopReason = stopReason;
  return e;
}

bool DemoTurn::wordsLeft() const {
  if (longWords_ >= 0) return outputWords_ < longWords_;
  return wordIndex_ < words_.size();
}

std::string DemoTurn::nextWord() {
  if (longWords_ >= 0) {
    std::string w = outputWords_ == 0 ? "" : " ";
    w += kLorem[outputWords_ % 10];
    return w;
  }
  return words_[wordIndex_++];
}

std::vector<proto::GatewayMessage> DemoTurn::step() {
  std::vector<proto::GatewayMessage> out;
  if (state_ != State::Running) return out;
  while (out.empty() && phase_ != Phase::Finished) {
    switch (phase_) {
      case Phase::Start: {
        out.push_back(start());
        if (toolName_ == "time" || toolName_ == "fail" ||
            (toolName_ == "shell" && o_.sessionApprovedTools.count("shell"))) {
          out.push_back(toolCall());
          toolInFlight_ = true;
          phase_ = toolName_ == "shell" ? Phase::ToolOutput : Phase::ToolResult;
        } else if (toolName_ == "shell") {
          proto::ToolApprovalRequest request;
          request.requestId = o_.requestId;
          request.toolCallId = o_.toolCallId;
          request.toolName = toolName_;
          request.args = toolArgs_;
          request.risk = "high";
          out.push_back(request);
          toolInFlight_ = true;
          state_ = State::AwaitingApproval;
          phase_ = Phase::ToolOutput;
        } else {
          phase_ = Phase::Words;
        }
        break;
      }
      case Phase::ToolOutput:
        if (outputIndex_ < outputLines_.size()) {
          proto::ToolOutput output;
          output.requestId = o_.requestId;
          output.toolCallId = o_.toolCallId;
          output.delta = outputLines_[outputIndex_++];
          out.push_back(std::move(output));
        } else {
          phase_ = Phase::ToolResult;
        }
        break;
      case Phase::ToolResult: {
        if (toolName_ == "fail") {
          out.push_back(toolError("simulated failure (the /fail demo)"));
        } else {
          proto::ToolResult result;
          result.requestId = o_.requestId;
          result.toolCallId = o_.toolCallId;
          result.toolName = toolName_;
          if (toolName_ == "time") {
            int64_t now = o_.wallClockMs();
            std::string iso = isoTime(now);
            result.result = {{"time", iso}, {"epochMs", now}};
            words_ = splitWords("The gateway's clock says " + iso + ".");
          } else {
            std::string all;
            for (const auto& line : outputLines_) all += line;
            result.result = {{"exitCode", 0}, {"output", all}, {"simulated", true}};
          }
          out.push_back(std::move(result));
        }
        toolInFlight_ = false;
        phase_ = Phase::Words;
        break;
      }
      case Phase::Words:
        if (wordsLeft()) {
          proto::StreamDelta delta;
          delta.requestId = o_.requestId;
          delta.delta = nextWord();
          ++outputWords_;
          out.push_back(std::move(delta));
        } else {
          phase_ = Phase::End;
        }
        break;
      case Phase::End:
        out.push_back(end("end"));
        phase_ = Phase::Finished;
        state_ = State::Done;
        break;
      case Phase::Finished:
        break;
    }
  }
  return out;
}

std::vector<proto::GatewayMessage> DemoTurn::resolveApproval(bool approved, bool sessionApprove) {
  std::vector<proto::GatewayMessage> out;
  if (state_ != State::AwaitingApproval) return out;
  proto::ToolApprovalResolved resolved;
  resolved.toolCallId = o_.toolCallId;
  resolved.approved = approved;
  resolved.sessionApprove = approved && sessionApprove;
  out.push_back(resolved);
  state_ = State::Running;
  if (approved) {
    sessionApproved_ = sessionApprove;
    out.push_back(toolCall());
    phase_ = Phase::ToolOutput;
  } else {
    out.push_back(toolError("denied by user"));
    toolInFlight_ = false;
    words_ = splitWords("The tool call was denied, so nothing ran.");
    wordIndex_ = 0;
    phase_ = Phase::Words;
  }
  return out;
}

std::vector<proto::GatewayMessage> DemoTurn::stop(const std::string& stopReason, const std::string& why) {
  std::vector<proto::GatewayMessage> out;
  if (state_ == State::Done) return out;
  if (phase_ == Phase::Start) {  // not started yet: the turn still gets its start
    out.push_back(start());
  }
  if (toolInFlight_) {
    out.push_back(toolError(why));
    toolInFlight_ = false;
  }
  out.push_back(end(stopReason));
  phase_ = Phase::Finished;
  state_ = State::Done;
  return out;
}

}  // namespace chat::gateway
