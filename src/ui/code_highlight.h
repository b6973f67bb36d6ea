// Syntax highlighting for fenced code blocks: a small tokenizer per language family that marks
// keywords, strings, comments, numbers (and, for HTML, tags) as byte ranges of the code text.
// Pure functions, no ImGui, unit tested.
//
// It works line by line with a state carried from one line to the next (inside a block comment,
// a multi-line string), so a block being streamed is tokenized incrementally: IncrementalHighlight
// keeps the state at the start of every line and, when the text only grew, re-tokenizes from the
// last (possibly unfinished) line instead of from the top.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chat::ui {

enum class CodeLang : uint8_t {
  None, C, Cpp, Python, JavaScript, TypeScript, Json, Shell, Go, Rust, Java, Sql, Html,
};

// The language named by a fence's info string ("cpp", "c++", "py", "ts", "sh", "bash", ...;
// case-insensitive, first word only). Unknown names give CodeLang::None (no highlighting).
CodeLang codeLangOf(std::string_view info);

enum class TokenKind : uint8_t { Keyword, String, Comment, Number, Tag };

struct CodeToken {
  uint32_t begin = 0;  // byte range in the whole code text, [begin, end)
  uint32_t end = 0;
  TokenKind kind = TokenKind::Keyword;
};

// What is still open at the end of a line.
struct LineState {
  enum class Mode : uint8_t { Normal, BlockComment, String, HtmlComment };
  Mode mode = Mode::Normal;
  // String mode: the closing delimiter ('"', '\'', '`', or 3 for a Python triple quote of
  // `quote`'s kind); raw: backslashes do not escape (Go raw strings, Rust r"...").
  char quote = 0;
  bool triple = false;
  bool raw = false;
  bool operator==(const LineState& o) const {
    return mode == o.mode && quote == o.quote && triple == o.triple && raw == o.raw;
  }
};

// Tokens of one line (no '\n' inside) starting in `state`; `state` becomes the state at the
// line's end. Offsets are relative to the line plus `base`.
void highlightLine(CodeLang lang, std::string_view line, uint32_t base, LineState& state,
                   std::vector<CodeToken>& out);

// Tokens of a whole text, in order, non-overlapping.
std::vector<CodeToken> highlightCode(CodeLang lang, std::string_view text);

// The same tokens, recomputed only from the first changed line when the text changes.
class IncrementalHighlight {
 public:
  const std::vector<CodeToken>& update(CodeLang lang, std::string_view text);
  // Lines tokenized by the last update (for tests: an append re-tokenizes only the tail).
  std::size_t linesTokenizedLastUpdate() const { return lastWork_; }

 private:
  struct Line {
    uint32_t begin = 0;  // byte offset of the line in text_
    LineState start;     // state at its start
    std::size_t firstToken = 0;
  };
  CodeLang lang_ = CodeLang::None;
  std::string text_;
  std::vector<Line> lines_;
  std::vector<CodeToken> tokens_;
  std::size_t lastWork_ = 0;
};

}  // namespace chat::ui
