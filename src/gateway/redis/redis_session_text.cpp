#include "gateway/redis/redis_session_text.h"

#include <algorithm>
#include <cctype>

#include "gateway/redis/redis_reply.h"

namespace chat::gateway::redis {

namespace {
constexpr std::size_t kSnippetWords = 12;

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string lowered(const std::string& s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
}  // namespace

bool isListChange(const proto::GatewayMessage& event) {
  return !std::holds_alternative<proto::StreamDelta>(event) &&
         !std::holds_alternative<proto::StreamReasoning>(event) &&
         !std::holds_alternative<proto::ToolOutput>(event);
}

void SessionTextOps::add(int64_t seq, const proto::GatewayMessage& event) {
  auto push = [this](const char* op, std::string a, std::string b) {
    args_.push_back(op);
    args_.push_back(std::move(a));
    args_.push_back(std::move(b));
  };
  if (const auto* d = std::get_if<proto::StreamDelta>(&event)) {
    if (d->delta.empty()) return;
    if (!args_.empty() && deltaOf_ == d->requestId) {
      args_.back() += d->delta;
    } else {
      push("D", d->requestId, d->delta);
      deltaOf_ = d->requestId;
    }
    return;
  }
  deltaOf_.clear();
  if (const auto* m = std::get_if<proto::ChatMessageEvent>(&event)) {
    const std::string role = m->role.empty() ? "user" : m->role;
    push("M", std::to_string(seq), role + "\n" + m->messageId + "\n" + m->content);
  } else if (const auto* s = std::get_if<proto::StreamStart>(&event)) {
    push("S", s->requestId, std::to_string(seq));
  } else if (const auto* e = std::get_if<proto::StreamEnd>(&event)) {
    push("E", e->requestId, std::to_string(seq));
  }
}

void SessionTextOps::grant(const std::string& tool) {
  args_.push_back("G");
  args_.push_back(tool);
  args_.push_back("");
  deltaOf_.clear();
}

bool parseSessionText(const std::string& field, const std::string& value, SessionTextEntry* out) {
  const std::optional<int64_t> seq = decimalOf(field);
  if (!seq) return false;
  auto first = value.find('\n');
  if (first == std::string::npos) return false;
  auto second = value.find('\n', first + 1);
  if (second == std::string::npos) return false;
  out->seq = *seq;
  out->role = value.substr(0, first);
  out->messageId = value.substr(first + 1, second - first - 1);
  out->text = value.substr(second + 1);
  return true;
}

std::vector<std::string> searchWords(const std::string& typed) {
  std::vector<std::string> words;
  std::string word;
  for (char c : typed) {
    if (isSpace(c)) {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else if (c != '"') {
      word += lower(c);
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

bool containsNoCase(const std::string& text, const std::string& needle) {
  if (needle.empty()) return true;
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return lower(a) == lower(b); });
  return it != text.end();
}

bool matchesAll(const std::string& text, const std::vector<std::string>& words) {
  if (words.empty()) return false;
  for (const auto& w : words)
    if (!containsNoCase(text, w)) return false;
  return true;
}

std::string snippetOf(const std::string& text, const std::vector<std::string>& words) {
  // The text's words (runs of non-space), and the first that holds a match.
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (std::size_t i = 0; i < text.size();) {
    while (i < text.size() && isSpace(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !isSpace(text[i])) ++i;
    if (i > start) spans.emplace_back(start, i);
  }
  if (spans.empty()) return "";
  const std::string low = lowered(text);
  std::size_t hit = 0;
  bool found = false;
  for (std::size_t k = 0; k < spans.size() && !found; ++k) {
    const std::string w = low.substr(spans[k].first, spans[k].second - spans[k].first);
    for (const auto& q : words)
      if (w.find(q) != std::string::npos) {
        hit = k;
        found = true;
        break;
      }
  }
  std::size_t from = hit >= kSnippetWords / 4 ? hit - kSnippetWords / 4 : 0;
  std::size_t to = std::min(spans.size(), from + kSnippetWords);
  if (to - from < kSnippetWords && to == spans.size()) from = to > kSnippetWords ? to - kSnippetWords : 0;
  std::string out = from > 0 ? "…" : "";
  out += text.substr(spans[from].first, spans[to - 1].second - spans[from].first);
  if (to < spans.size()) out += "…";
  return out;
}

}  // namespace chat::gateway::redis
