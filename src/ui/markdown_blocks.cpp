#include "ui/markdown_blocks.h"

namespace chat::ui {

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trimBlanks(std::string_view s) {
  while (!s.empty() && isBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
  return s;
}

// A fence line: up to 3 spaces of indentation, then at least three backticks. Returns the
// info string through `info`.
bool isFence(std::string_view line, std::string_view* info) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  std::size_t ticks = 0;
  while (i + ticks < line.size() && line[i + ticks] == '`') ++ticks;
  if (ticks < 3) return false;
  const std::string_view rest = trimBlanks(line.substr(i + ticks));
  if (rest.find('`') != std::string_view::npos) return false;  // inline code like ```x```
  if (info) *info = rest;
  return true;
}

// Drops blank lines (and trailing blanks) at both ends of a prose block.
std::string trimProse(std::string_view s) {
  std::size_t b = 0;
  while (true) {
    std::size_t nl = s.find('\n', b);
    if (nl == std::string_view::npos) break;
    if (!trimBlanks(s.substr(b, nl - b)).empty()) break;
    b = nl + 1;
  }
  s.remove_prefix(b);
  while (!s.empty() && (isBlank(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

bool isFenceLine(std::string_view line, std::string_view* info) { return isFence(line, info); }

std::vector<TextBlock> splitBlocks(std::string_view text) {
  std::vector<TextBlock> blocks;
  std::size_t proseStart = 0;
  std::size_t pos = 0;
  auto flushProse = [&](std::size_t end) {
    std::string prose = trimProse(text.substr(proseStart, end - proseStart));
    if (!prose.empty()) blocks.push_back(TextBlock{TextBlock::Kind::Prose, "", std::move(prose), true});
  };
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    const std::size_t lineEnd = nl == std::string_view::npos ? text.size() : nl;
    std::string_view info;
    if (!isFence(text.substr(pos, lineEnd - pos), &info)) {
      pos = nl == std::string_view::npos ? text.size() : nl + 1;
      continue;
    }
    flushProse(pos);
    TextBlock code{TextBlock::Kind::Code, std::string(info), "", false};
    std::size_t bodyStart = nl == std::string_view::npos ? text.size() : nl + 1;
    std::size_t scan = bodyStart;
    std::size_t bodyEnd = text.size();
    std::size_t after = text.size();
    while (scan < text.size()) {
      std::size_t cnl = text.find('\n', scan);
      const std::size_t cEnd = cnl == std::string_view::npos ? text.size() : cnl;
      std::string_view closeInfo;
      if (isFence(text.substr(scan, cEnd - scan), &closeInfo) && closeInfo.empty()) {
        code.closed = true;
        bodyEnd = scan;
        after = cnl == std::string_view::npos ? text.size() : cnl + 1;
        break;
      }
      scan = cnl == std::string_view::npos ? text.size() : cnl + 1;
    }
    std::string_view body = text.substr(bodyStart, bodyEnd - bodyStart);
    if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
    if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
    code.text = std::string(body);
    blocks.push_back(std::move(code));
    pos = after;
    proseStart = after;
  }
  flushProse(text.size());
  return blocks;
}

}  // namespace chat::ui
