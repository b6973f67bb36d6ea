#include "ui/markdown_prose.h"

#include <algorithm>
#include <cstring>

namespace chat::ui {

namespace {

constexpr int kMaxListDepth = 3;

bool isEscapable(char c) {
  return c != 0 && std::strchr("\\`*_{}[]()#+-.!>|~", c) != nullptr;
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

void appendInline(std::string_view src, InlineText& out) {
  std::size_t i = 0;
  while (i < src.size()) {
    const char c = src[i];
    if (c == '\\' && i + 1 < src.size() && isEscapable(src[i + 1])) {
      out.text += src[i + 1];
      i += 2;
      continue;
    }
    if (c == '`') {
      const std::size_t close = src.find('`', i + 1);
      if (close != std::string_view::npos && close > i + 1) {
        const auto begin = static_cast<uint32_t>(out.text.size());
        out.text.append(src.substr(i + 1, close - i - 1));
        out.spans.push_back({StyleSpan::Style::Code, begin, static_cast<uint32_t>(out.text.size())});
        i = close + 1;
        continue;
      }
    }
    if (c == '*' && src.substr(i, 2) == "**") {
      // An opener is followed by a non-blank and a closer follows one, so "a ** b ** c" and a
      // lone "** " stay as typed (CommonMark's flanking rule, in short).
      std::size_t close = std::string_view::npos;
      if (i + 2 < src.size() && !isBlank(src[i + 2])) {
        for (std::size_t k = src.find("**", i + 3); k != std::string_view::npos; k = src.find("**", k + 1)) {
          if (!isBlank(src[k - 1])) {
            close = k;
            break;
          }
        }
      }
      if (close != std::string_view::npos && close > i + 2) {
        const auto begin = static_cast<uint32_t>(out.text.size());
        const std::size_t at = out.spans.size();
        out.spans.push_back({StyleSpan::Style::Bold, begin, begin});
        appendInline(src.substr(i + 2, close - i - 2), out);  // code spans inside bold
        out.spans[at].end = static_cast<uint32_t>(out.text.size());
        i = close + 2;
        continue;
      }
      out.text += "**";  // no partner (yet): literal
      i += 2;
      continue;
    }
    out.text += c;
    ++i;
  }
}

std::size_t leadingSpaces(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

// "# Title" .. "###### Title": the level, and the title in *rest.
int headingLevel(std::string_view line, std::string_view* rest) {
  std::size_t n = 0;
  while (n < line.size() && n < 7 && line[n] == '#') ++n;
  if (n == 0 || n > 6 || n >= line.size() || line[n] != ' ') return 0;
  *rest = line.substr(n + 1);
  return static_cast<int>(n);
}

// "- item", "* item", "+ item" after `indent` spaces.
bool bulletItem(std::string_view line, std::size_t indent, std::string_view* rest) {
  if (line.size() < indent + 2) return false;
  const char m = line[indent];
  if ((m != '-' && m != '*' && m != '+') || line[indent + 1] != ' ') return false;
  *rest = line.substr(indent + 2);
  return true;
}

// "12. item" or "12) item" after `indent` spaces.
bool numberedItem(std::string_view line, std::size_t indent, std::string* marker,
                  std::string_view* rest) {
  std::size_t n = indent;
  while (n < line.size() && n - indent < 9 && line[n] >= '0' && line[n] <= '9') ++n;
  if (n == indent || n + 1 >= line.size()) return false;
  if ((line[n] != '.' && line[n] != ')') || line[n + 1] != ' ') return false;
  *marker = std::string(line.substr(indent, n + 1 - indent));
  *rest = line.substr(n + 2);
  return true;
}

class ProseReader {
 public:
  std::vector<ProseBlock> read(std::string_view prose) {
    std::size_t start = 0;
    while (start <= prose.size()) {
      std::size_t end = prose.find('\n', start);
      if (end == std::string_view::npos) end = prose.size();
      std::string_view line = prose.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      take(line);
      start = end + 1;
    }
    close();
    return std::move(blocks_);
  }

 private:
  void take(std::string_view line) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) {  // blank: ends the block
      close();
      return;
    }
    const std::size_t indent = leadingSpaces(line);
    std::string_view rest;
    std::string marker;
    const bool item = bulletItem(line, indent, &rest) || numberedItem(line, indent, &marker, &rest);
    const bool itemLine = item || (open_ && isItem() && indent >= 2);
    if (!itemLine) itemIndents_.clear();  // anything else ends the list: the next one starts at 0
    if (int level = indent == 0 ? headingLevel(line, &rest) : 0) {
      close();
      open(ProseBlock::Kind::Heading, level, "", rest);
      close();
    } else if (bulletItem(line, indent, &rest)) {
      close();
      open(ProseBlock::Kind::Bullet, depthOf(indent), "\xE2\x80\xA2", rest);
    } else if (numberedItem(line, indent, &marker, &rest)) {
      close();
      open(ProseBlock::Kind::Numbered, depthOf(indent), marker, rest);
    } else if (indent == 0 && line[0] == '>') {
      rest = line.substr(line.size() > 1 && line[1] == ' ' ? 2 : 1);
      if (open_ && current_.kind == ProseBlock::Kind::Quote) {
        source_ += '\n';
        source_ += rest;
      } else {
        close();
        open(ProseBlock::Kind::Quote, 0, "", rest);
      }
    } else if (open_ && isItem() && indent >= 2) {  // the item's next line
      source_ += ' ';
      source_ += line.substr(indent);
    } else if (open_ && current_.kind == ProseBlock::Kind::Paragraph) {
      source_ += '\n';
      source_ += line;
    } else {
      close();
      open(ProseBlock::Kind::Paragraph, 0, "", line);
    }
  }

  // The nesting of an item indented `indent` spaces, from the indents of the items above it:
  // deeper than its parent by 2 or more spaces is one level down, whether the reply indents by
  // 2, 3 or 4 spaces a level; a space off a sibling is still a sibling.
  int depthOf(std::size_t indent) {
    while (!itemIndents_.empty() && itemIndents_.back() > indent) itemIndents_.pop_back();
    const bool sibling = !itemIndents_.empty() && indent < itemIndents_.back() + 2;
    if (!sibling && static_cast<int>(itemIndents_.size()) <= kMaxListDepth) itemIndents_.push_back(indent);
    if (itemIndents_.empty()) itemIndents_.push_back(indent);
    return static_cast<int>(itemIndents_.size()) - 1;
  }
  bool isItem() const {
    return current_.kind == ProseBlock::Kind::Bullet || current_.kind == ProseBlock::Kind::Numbered;
  }

  void open(ProseBlock::Kind kind, int level, std::string marker, std::string_view text) {
    current_ = ProseBlock{};
    current_.kind = kind;
    current_.level = level;
    current_.marker = std::move(marker);
    source_.assign(text.data(), text.size());
    open_ = true;
  }

  void close() {
    if (!open_) return;
    appendInline(source_, current_.body);
    blocks_.push_back(std::move(current_));
    open_ = false;
  }

  std::vector<ProseBlock> blocks_;
  ProseBlock current_;
  std::string source_;  // the open block's Markdown, parsed inline when it closes
  std::vector<std::size_t> itemIndents_;  // indents of the open list's items, outermost first
  bool open_ = false;
};

}  // namespace

InlineText parseInline(std::string_view source) {
  InlineText out;
  out.text.reserve(source.size());
  appendInline(source, out);
  return out;
}

std::vector<ProseBlock> parseProse(std::string_view prose) { return ProseReader().read(prose); }

bool isListItemLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const std::size_t indent = leadingSpaces(line);
  std::string_view rest;
  std::string marker;
  return bulletItem(line, indent, &rest) || numberedItem(line, indent, &marker, &rest);
}

}  // namespace chat::ui
