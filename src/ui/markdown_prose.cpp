#include "ui/markdown_prose.h"

#include "ui/grapheme.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace chat::ui {

namespace {

constexpr int kMaxListDepth = 3;

bool isEscapable(char c) {
  return c != 0 && std::strchr("\\`*_{}[]()#+-.!>|~", c) != nullptr;
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

bool isWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// The closer of a delimiter run `marker` opened at `open` (the index after the opener), or npos.
// An opener must be followed by a non-blank, a closer preceded by one (CommonMark's flanking
// rule, in short); for underscores and single stars the closer must not be followed by a
// letter or digit either (snake_case_name, 2*3*4 stay as typed).
std::size_t findCloser(std::string_view src, std::size_t open, std::string_view marker, bool wordBound) {
  if (open >= src.size() || isBlank(src[open])) return std::string_view::npos;
  for (std::size_t k = src.find(marker, open + 1); k != std::string_view::npos; k = src.find(marker, k + 1)) {
    if (isBlank(src[k - 1])) continue;
    const std::size_t after = k + marker.size();
    if (wordBound && after < src.size() && isWordChar(src[after])) continue;
    // "**" inside "***" or a longer run is not this closer.
    if (marker.size() == 1 && after < src.size() && src[after] == marker[0]) {
      ++k;
      continue;
    }
    if (k > open) return k;
  }
  return std::string_view::npos;
}

// A bare URL starting at i: the scheme, then up to a blank or '<'; trailing punctuation and an
// unbalanced ')' are not part of it ("see https://x.org/a_(b)." ends after "(b)").
std::size_t bareUrlEnd(std::string_view src, std::size_t i) {
  std::size_t j = i;
  while (j < src.size() && !isBlank(src[j]) && src[j] != '\n' && src[j] != '<' && src[j] != '`') ++j;
  while (j > i) {
    const char c = src[j - 1];
    if (std::strchr(".,;:!?'\"*_~", c) != nullptr) {
      --j;
      continue;
    }
    if (c == ')') {
      const auto opens = std::count(src.begin() + static_cast<std::ptrdiff_t>(i), src.begin() + static_cast<std::ptrdiff_t>(j), '(');
      const auto closes = std::count(src.begin() + static_cast<std::ptrdiff_t>(i), src.begin() + static_cast<std::ptrdiff_t>(j), ')');
      if (closes > opens) {
        --j;
        continue;
      }
    }
    break;
  }
  return j;
}

bool startsUrl(std::string_view s) {
  auto starts = [&](std::string_view p) { return s.substr(0, p.size()) == p; };
  if (starts("https://") || starts("http://")) return s.size() > 8 && !isBlank(s[s.find("//") + 2]);
  return starts("mailto:") && s.size() > 7 && s.find('@') != std::string_view::npos;
}

void addLinkSpan(InlineText& out, uint32_t begin, std::string url) {
  out.links.push_back(std::move(url));
  out.spans.push_back({StyleSpan::Style::Link, begin, static_cast<uint32_t>(out.text.size()),
                       static_cast<uint32_t>(out.links.size() - 1)});
}

void appendInline(std::string_view src, InlineText& out, bool inLink = false) {
  std::size_t i = 0;
  while (i < src.size()) {
    const char c = src[i];
    if (c == '\\' && i + 1 < src.size() && isEscapable(src[i + 1])) {
      out.text += src[i + 1];
      i += 2;
      continue;
    }
    if (c == '`') {  // a run of N backticks closes with the next run of exactly N
      std::size_t n = 1;
      while (i + n < src.size() && src[i + n] == '`') ++n;
      std::size_t close = src.find(std::string(n, '`'), i + n);
      while (close != std::string_view::npos && close + n < src.size() && src[close + n] == '`') {
        close = src.find(std::string(n, '`'), close + n + 1);
      }
      if (close != std::string_view::npos && close > i + n) {
        std::string_view body = src.substr(i + n, close - i - n);
        if (body.size() >= 2 && body.front() == ' ' && body.back() == ' ') body = body.substr(1, body.size() - 2);
        const auto begin = static_cast<uint32_t>(out.text.size());
        out.text.append(body);
        out.spans.push_back({StyleSpan::Style::Code, begin, static_cast<uint32_t>(out.text.size())});
        i = close + n;
        continue;
      }
      out.text.append(n, '`');  // no partner (yet): literal
      i += n;
      continue;
    }
    if (!inLink && c == '[') {  // [text](url)
      const std::size_t mid = src.find("](", i + 1);
      const std::size_t nl = src.find('\n', i + 1);
      if (mid != std::string_view::npos && (nl == std::string_view::npos || mid < nl)) {
        const std::size_t close = src.find(')', mid + 2);
        const std::string_view url = close == std::string_view::npos ? std::string_view() : src.substr(mid + 2, close - mid - 2);
        if (close != std::string_view::npos && !url.empty() && url.find(' ') == std::string_view::npos && mid > i + 1) {
          const auto begin = static_cast<uint32_t>(out.text.size());
          const std::size_t at = out.spans.size();
          appendInline(src.substr(i + 1, mid - i - 1), out, true);
          out.links.emplace_back(url);
          out.spans.insert(out.spans.begin() + static_cast<std::ptrdiff_t>(at),
                           {StyleSpan::Style::Link, begin, static_cast<uint32_t>(out.text.size()),
                            static_cast<uint32_t>(out.links.size() - 1)});
          i = close + 1;
          continue;
        }
      }
    }
    if (!inLink && c == '<') {  // <https://...>
      const std::size_t close = src.find('>', i + 1);
      if (close != std::string_view::npos && startsUrl(src.substr(i + 1, close - i - 1)) &&
          src.substr(i + 1, close - i - 1).find(' ') == std::string_view::npos) {
        const auto begin = static_cast<uint32_t>(out.text.size());
        const std::string_view url = src.substr(i + 1, close - i - 1);
        out.text.append(url);
        addLinkSpan(out, begin, std::string(url));
        i = close + 1;
        continue;
      }
    }
    if (!inLink && (c == 'h' || c == 'm') && (i == 0 || !isWordChar(src[i - 1])) && startsUrl(src.substr(i))) {
      const std::size_t end = bareUrlEnd(src, i);
      const auto begin = static_cast<uint32_t>(out.text.size());
      const std::string_view url = src.substr(i, end - i);
      out.text.append(url);
      addLinkSpan(out, begin, std::string(url));
      i = end;
      continue;
    }
    if (c == '*' || c == '_' || c == '~') {
      std::size_t run = 1;
      while (i + run < src.size() && src[i + run] == c) ++run;
      const bool afterWord = i > 0 && isWordChar(src[i - 1]);
      StyleSpan::Style style = StyleSpan::Style::Bold;
      std::size_t n = 0;
      if (c == '~' && run == 2) {
        n = 2;
        style = StyleSpan::Style::Strike;
      } else if (c != '~' && run >= 2) {
        n = 2;
        style = StyleSpan::Style::Bold;
      } else if (c != '~' && run == 1) {
        n = 1;
        style = StyleSpan::Style::Italic;
      }
      // Underscores never open inside a word; neither does a single star (2*3*4).
      const bool canOpen = n > 0 && !(afterWord && (c == '_' || n == 1));
      const std::string_view marker = src.substr(i, n);
      const std::size_t close = canOpen ? findCloser(src, i + n, marker, c == '_' || n == 1) : std::string_view::npos;
      if (close != std::string_view::npos) {
        const auto begin = static_cast<uint32_t>(out.text.size());
        const std::size_t at = out.spans.size();
        out.spans.push_back({style, begin, begin});
        appendInline(src.substr(i + n, close - i - n), out, inLink);  // spans nest
        out.spans[at].end = static_cast<uint32_t>(out.text.size());
        i = close + n;
        continue;
      }
      out.text.append(src.substr(i, run));  // no partner (yet): literal
      i += run;
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

// "---", "***", "___" (3 or more, spaces between allowed) after up to 3 spaces.
bool isRule(std::string_view line) {
  std::size_t i = leadingSpaces(line);
  if (i > 3 || i >= line.size()) return false;
  const char m = line[i];
  if (m != '-' && m != '*' && m != '_') return false;
  int n = 0;
  for (; i < line.size(); ++i) {
    if (line[i] == m) {
      ++n;
    } else if (!isBlank(line[i])) {
      return false;
    }
  }
  return n >= 3;
}

// Cells of a table row: split at '|' (not "\|"), the outer pipes dropped, each trimmed.
std::vector<std::string> splitCells(std::string_view row) {
  std::vector<std::string> cells;
  std::string cell;
  std::size_t b = 0, e = row.size();
  while (b < e && isBlank(row[b])) ++b;
  while (e > b && isBlank(row[e - 1])) --e;
  if (b < e && row[b] == '|') ++b;
  if (e > b && row[e - 1] == '|' && !(e - 1 > b && row[e - 2] == '\\')) --e;
  for (std::size_t i = b; i < e; ++i) {
    if (row[i] == '\\' && i + 1 < e && row[i + 1] == '|') {
      cell += "\\|";
      ++i;
    } else if (row[i] == '|') {
      cells.push_back(std::move(cell));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  cells.push_back(std::move(cell));
  for (std::string& c : cells) {
    std::size_t cb = 0, ce = c.size();
    while (cb < ce && isBlank(c[cb])) ++cb;
    while (ce > cb && isBlank(c[ce - 1])) --ce;
    c = c.substr(cb, ce - cb);
  }
  return cells;
}

bool isDelimiterRow(std::string_view line) {
  if (line.find('-') == std::string_view::npos) return false;
  for (const std::string& c : splitCells(line)) {
    if (c.empty() || c.find_first_not_of(":-") != std::string::npos || c.find('-') == std::string::npos) return false;
  }
  return true;
}

// The table as monospace text: columns padded to their widest cell (in grapheme clusters),
// separated by " │ ", the header underlined with ─ and ┼. Inline markers are taken out of the
// cells (their styles are not kept: the whole table is drawn as code).
std::string formatTable(const std::vector<std::string>& rows, const std::vector<char>& aligns) {
  std::vector<std::vector<std::string>> cells;
  std::size_t columns = aligns.size();
  for (const std::string& r : rows) {
    cells.push_back({});
    for (const std::string& c : splitCells(r)) cells.back().push_back(parseInline(c).text);
    columns = std::max(columns, cells.back().size());
  }
  std::vector<std::size_t> width(columns, 1);
  for (const auto& row : cells) {
    for (std::size_t k = 0; k < row.size(); ++k) width[k] = std::max(width[k], clusterCount(row[k]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& row) {
    for (std::size_t k = 0; k < columns; ++k) {
      const std::string cell = k < row.size() ? row[k] : "";
      const std::size_t pad = width[k] - std::min(width[k], clusterCount(cell));
      const char a = k < aligns.size() ? aligns[k] : 'l';
      const std::size_t left = a == 'r' ? pad : a == 'c' ? pad / 2 : 0;
      if (k > 0) out += " \xE2\x94\x82 ";  // │
      out.append(left, ' ');
      out += cell;
      if (k + 1 < columns) out.append(pad - left, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  for (std::size_t r = 0; r < cells.size(); ++r) {
    line(cells[r]);
    if (r == 0) {
      for (std::size_t k = 0; k < columns; ++k) {
        if (k > 0) out += "\xE2\x94\x80\xE2\x94\xBC\xE2\x94\x80";  // ─┼─
        for (std::size_t n = 0; n < width[k]; ++n) out += "\xE2\x94\x80";
      }
      out += '\n';
    }
  }
  if (!out.empty()) out.pop_back();
  return out;
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
    if (open_ && current_.kind == ProseBlock::Kind::Table) {
      if (line.find('|') != std::string_view::npos) {
        tableRows_.emplace_back(line);
        return;
      }
      close();
    }
    // A table starts when the line under a one-line paragraph is a delimiter row (|---|:-:|).
    if (open_ && current_.kind == ProseBlock::Kind::Paragraph && source_.find('\n') == std::string::npos &&
        source_.find('|') != std::string::npos && isDelimiterRow(line) &&
        splitCells(source_).size() == splitCells(line).size()) {
      tableRows_.assign(1, source_);
      aligns_.clear();
      for (const std::string& d : splitCells(line)) {
        const bool left = !d.empty() && d.front() == ':';
        const bool right = !d.empty() && d.back() == ':';
        aligns_.push_back(left && right ? 'c' : right ? 'r' : 'l');
      }
      current_.kind = ProseBlock::Kind::Table;
      return;
    }
    const std::size_t indent = leadingSpaces(line);
    std::string_view rest;
    std::string marker;
    if (isRule(line) && !(open_ && current_.kind == ProseBlock::Kind::Paragraph)) {
      close();
      itemIndents_.clear();
      open(ProseBlock::Kind::Rule, 0, "", "");
      close();
      return;
    }
    const bool item = bulletItem(line, indent, &rest) || numberedItem(line, indent, &marker, &rest);
    const bool itemLine = item || (open_ && isItem() && indent >= 2);
    if (!itemLine) itemIndents_.clear();  // anything else ends the list: the next one starts at 0
    if (int level = indent == 0 ? headingLevel(line, &rest) : 0) {
      close();
      open(ProseBlock::Kind::Heading, level, "", rest);
      close();
    } else if (bulletItem(line, indent, &rest)) {
      close();
      const char* bullet = "\xE2\x80\xA2";  // •
      if (rest.size() >= 4 && rest[0] == '[' && rest[2] == ']' && rest[3] == ' ' &&
          (rest[1] == ' ' || rest[1] == 'x' || rest[1] == 'X')) {  // a task item: - [ ] / - [x]
        bullet = rest[1] == ' ' ? "\xE2\x98\x90" : "\xE2\x98\x91";  // ☐ ☑
        rest.remove_prefix(4);
      }
      open(ProseBlock::Kind::Bullet, depthOf(indent), bullet, rest);
    } else if (numberedItem(line, indent, &marker, &rest)) {
      close();
      open(ProseBlock::Kind::Numbered, depthOf(indent), marker, rest);
    } else if (indent == 0 && line[0] == '>') {
      // "> > x" and ">> x" are nested quotes: the depth is the number of '>'.
      int depth = 0;
      std::size_t at = 0;
      while (at < line.size() && line[at] == '>') {
        ++depth;
        ++at;
        if (at < line.size() && line[at] == ' ' && at + 1 < line.size() && line[at + 1] == '>') ++at;
      }
      if (at < line.size() && line[at] == ' ') ++at;
      rest = line.substr(at);
      const int level = std::min(depth, kMaxListDepth + 1) - 1;
      if (open_ && current_.kind == ProseBlock::Kind::Quote && current_.level == level) {
        source_ += '\n';
        source_ += rest;
      } else {
        close();
        open(ProseBlock::Kind::Quote, level, "", rest);
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
    if (current_.kind == ProseBlock::Kind::Table) {
      current_.body.text = formatTable(tableRows_, aligns_);
      blocks_.push_back(std::move(current_));
      open_ = false;
      return;
    }
    appendInline(source_, current_.body);
    blocks_.push_back(std::move(current_));
    open_ = false;
  }

  std::vector<ProseBlock> blocks_;
  ProseBlock current_;
  std::string source_;  // the open block's Markdown, parsed inline when it closes
  std::vector<std::size_t> itemIndents_;  // indents of the open list's items, outermost first
  std::vector<std::string> tableRows_;    // the open table's rows as written (not the delimiter)
  std::vector<char> aligns_;              // its columns: 'l', 'c', 'r'
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

bool isOpenableUrl(std::string_view url) {
  std::string lower;
  for (char c : url.substr(0, 8)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char c : url) {
    if (static_cast<unsigned char>(c) < 0x20) return false;  // no control characters
  }
  return lower.rfind("https://", 0) == 0 || lower.rfind("http://", 0) == 0 || lower.rfind("mailto:", 0) == 0;
}

}  // namespace chat::ui
