#include "ui/code_highlight.h"

#include <algorithm>
#include <cctype>

namespace chat::ui {

namespace {

using Mode = LineState::Mode;

// Keywords (and the literals and built-in type names people expect coloured like them),
// space separated; split and sorted once.
const char* keywordList(CodeLang lang) {
  switch (lang) {
    case CodeLang::C:
      return "auto break case char const continue default do double else enum extern float for goto "
             "if inline int long register restrict return short signed sizeof static struct switch "
             "typedef union unsigned void volatile while bool true false NULL size_t uint8_t "
             "uint16_t uint32_t uint64_t int8_t int16_t int32_t int64_t";
    case CodeLang::Cpp:
      return "alignas alignof auto bool break case catch char char8_t char16_t char32_t class concept "
             "const consteval constexpr constinit const_cast continue co_await co_return co_yield "
             "decltype default delete do double dynamic_cast else enum explicit export extern false "
             "final float for friend goto if inline int long mutable namespace new noexcept nullptr "
             "operator override private protected public register reinterpret_cast requires return "
             "short signed sizeof static static_assert static_cast struct switch template this "
             "thread_local throw true try typedef typeid typename union unsigned using virtual void "
             "volatile wchar_t while size_t std string vector uint8_t uint16_t uint32_t uint64_t "
             "int8_t int16_t int32_t int64_t";
    case CodeLang::Python:
      return "False None True and as assert async await break class continue def del elif else "
             "except finally for from global if import in is lambda nonlocal not or pass raise "
             "return try while with yield self print len range int str float list dict set tuple";
    case CodeLang::JavaScript:
      return "async await break case catch class const continue debugger default delete do else "
             "export extends false finally for from function if import in instanceof let new null "
             "of return static super switch this throw true try typeof undefined var void while "
             "with yield";
    case CodeLang::TypeScript:
      return "abstract any as async await boolean break case catch class const constructor continue "
             "debugger declare default delete do else enum export extends false finally for from "
             "function get if implements import in infer instanceof interface is keyof let module "
             "namespace never new null number object of private protected public readonly return "
             "set static string super switch symbol this throw true try type typeof undefined "
             "unknown var void while with yield";
    case CodeLang::Json: return "false null true";
    case CodeLang::Shell:
      return "case do done elif else esac exit export fi for function if in local read return "
             "select set shift source then unset until while echo cd";
    case CodeLang::Go:
      return "append bool break byte case chan const continue default defer else error fallthrough "
             "false float32 float64 for func go goto if import int int32 int64 interface iota len "
             "make map new nil package panic range return rune select string struct switch true "
             "type uint uint32 uint64 var";
    case CodeLang::Rust:
      return "as async await bool break const continue crate dyn else enum extern f32 f64 false fn "
             "for i8 i16 i32 i64 i128 if impl in isize let loop match mod move mut pub ref return "
             "self Self static str String struct super trait true type u8 u16 u32 u64 u128 unsafe "
             "use usize Vec where while Option Some None Result Ok Err";
    case CodeLang::Java:
      return "abstract assert boolean break byte case catch char class const continue default do "
             "double else enum extends false final finally float for goto if implements import "
             "instanceof int interface long native new null package private protected public "
             "record return short static strictfp super switch synchronized this throw throws "
             "transient true try var void volatile while String";
    case CodeLang::Sql:  // matched case-insensitively: listed in lower case
      return "add all alter and as asc begin between by case check column commit constraint create "
             "cross default delete desc distinct drop else end exists false foreign from full group "
             "having if in index inner insert integer into is join key left like limit not null "
             "offset on or order outer primary references returning right rollback select set "
             "table text then true union unique update values varchar view when where with";
    case CodeLang::Html:
    case CodeLang::None: return "";
  }
  return "";
}

class KeywordSet {
 public:
  explicit KeywordSet(const char* list) {
    std::string_view s(list);
    while (!s.empty()) {
      const std::size_t sp = s.find(' ');
      const std::string_view w = s.substr(0, sp);
      if (!w.empty()) words_.push_back(w);
      if (sp == std::string_view::npos) break;
      s.remove_prefix(sp + 1);
    }
    std::sort(words_.begin(), words_.end());
  }
  bool has(std::string_view w) const { return std::binary_search(words_.begin(), words_.end(), w); }

 private:
  std::vector<std::string_view> words_;
};

const KeywordSet& keywordsOf(CodeLang lang) {
  static const KeywordSet sets[] = {
      KeywordSet(keywordList(CodeLang::None)),       KeywordSet(keywordList(CodeLang::C)),
      KeywordSet(keywordList(CodeLang::Cpp)),        KeywordSet(keywordList(CodeLang::Python)),
      KeywordSet(keywordList(CodeLang::JavaScript)), KeywordSet(keywordList(CodeLang::TypeScript)),
      KeywordSet(keywordList(CodeLang::Json)),       KeywordSet(keywordList(CodeLang::Shell)),
      KeywordSet(keywordList(CodeLang::Go)),         KeywordSet(keywordList(CodeLang::Rust)),
      KeywordSet(keywordList(CodeLang::Java)),       KeywordSet(keywordList(CodeLang::Sql)),
      KeywordSet(keywordList(CodeLang::Html)),
  };
  return sets[static_cast<int>(lang)];
}

bool cFamily(CodeLang l) {
  return l == CodeLang::C || l == CodeLang::Cpp || l == CodeLang::JavaScript ||
         l == CodeLang::TypeScript || l == CodeLang::Go || l == CodeLang::Rust || l == CodeLang::Java;
}
bool hashComments(CodeLang l) { return l == CodeLang::Python || l == CodeLang::Shell; }
bool identStart(unsigned char c) { return std::isalpha(c) || c == '_' || c == '$' || c >= 0x80; }
bool identChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class LineTokenizer {
 public:
  LineTokenizer(CodeLang lang, std::string_view line, uint32_t base, LineState& st,
                std::vector<CodeToken>& out)
      : lang_(lang), s_(line), base_(base), st_(st), out_(out) {}

  void run() {
    std::size_t i = 0;
    if (st_.mode != Mode::Normal) i = continueOpen(0);
    bool inTag = false;  // HTML: between '<name' and '>'
    while (i < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i]);
      if (lang_ == CodeLang::Html) {
        if (s_.compare(i, 4, "<!--") == 0) {
          st_.mode = Mode::HtmlComment;
          i = continueOpen(i, i + 4);
          continue;
        }
        if (c == '<' && i + 1 < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[i + 1])) || s_[i + 1] == '/' || s_[i + 1] == '!')) {
          std::size_t j = i + 1;
          while (j < s_.size() && (identChar(static_cast<unsigned char>(s_[j])) || s_[j] == '/' || s_[j] == '!' || s_[j] == '-')) ++j;
          emit(i, j, TokenKind::Tag);
          inTag = true;
          i = j;
          continue;
        }
        if (inTag && (c == '>' || (c == '/' && i + 1 < s_.size() && s_[i + 1] == '>'))) {
          const std::size_t j = c == '>' ? i + 1 : i + 2;
          emit(i, j, TokenKind::Tag);
          inTag = false;
          i = j;
          continue;
        }
        if (inTag && (c == '"' || c == '\'')) {
          i = string(i, i + 1, static_cast<char>(c), false, false);
          continue;
        }
        ++i;
        continue;
      }
      if (cFamily(lang_) || lang_ == CodeLang::Sql || lang_ == CodeLang::Json) {
        if (s_.compare(i, 2, "/*") == 0 && lang_ != CodeLang::Json) {
          st_.mode = Mode::BlockComment;
          i = continueOpen(i, i + 2);
          continue;
        }
      }
      if ((cFamily(lang_) && s_.compare(i, 2, "//") == 0) ||
          (lang_ == CodeLang::Sql && s_.compare(i, 2, "--") == 0) ||
          (hashComments(lang_) && c == '#' && (lang_ != CodeLang::Shell || i == 0 || std::isspace(static_cast<unsigned char>(s_[i - 1]))))) {
        emit(i, s_.size(), TokenKind::Comment);
        return;
      }
      if ((lang_ == CodeLang::C || lang_ == CodeLang::Cpp) && c == '#' && firstNonBlank(i)) {
        std::size_t j = i + 1;  // a preprocessor directive: "#include", "# define"
        while (j < s_.size() && s_[j] == ' ') ++j;
        while (j < s_.size() && std::isalpha(static_cast<unsigned char>(s_[j]))) ++j;
        emit(i, j, TokenKind::Keyword);
        i = j;
        if ((s_.compare(i, 2, " <") == 0) && s_.find('>', i) != std::string_view::npos) {
          const std::size_t close = s_.find('>', i) + 1;  // #include <header>
          emit(i + 1, close, TokenKind::String);
          i = close;
        }
        continue;
      }
      if (c == '"' || c == '\'' || c == '`') {
        i = quote(i);
        continue;
      }
      if (std::isdigit(c) || (c == '.' && i + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i + 1])))) {
        i = number(i);
        continue;
      }
      if (identStart(c)) {
        std::size_t j = i;
        while (j < s_.size() && identChar(static_cast<unsigned char>(s_[j]))) ++j;
        const std::string_view word = s_.substr(i, j - i);
        if (j < s_.size() && (s_[j] == '"' || s_[j] == '\'') && stringPrefix(word)) {
          const bool raw = word.find_first_of("rR") != std::string_view::npos;
          i = quote(j, i, raw);
          continue;
        }
        const bool kw = lang_ == CodeLang::Sql ? keywordsOf(lang_).has(lower(word)) : keywordsOf(lang_).has(word);
        if (kw) emit(i, j, TokenKind::Keyword);
        i = j;
        continue;
      }
      ++i;
    }
  }

 private:
  bool firstNonBlank(std::size_t i) const {
    for (std::size_t k = 0; k < i; ++k) {
      if (s_[k] != ' ' && s_[k] != '\t') return false;
    }
    return true;
  }

  // Python's r"", b"", f"", rb"" ...; Rust's r"" and b"".
  bool stringPrefix(std::string_view w) const {
    if (lang_ == CodeLang::Python) {
      const std::string l = lower(w);
      return l == "r" || l == "b" || l == "f" || l == "u" || l == "rb" || l == "br" || l == "fr" || l == "rf";
    }
    if (lang_ == CodeLang::Rust) return w == "r" || w == "b" || w == "br";
    return false;
  }

  // A quote at `i`; the token starts at `start` (before a prefix like r or b).
  std::size_t quote(std::size_t i, std::size_t start = npos, bool rawPrefix = false) {
    if (start == npos) start = i;
    const char q = s_[i];
    if (lang_ == CodeLang::Python && s_.compare(i, 3, std::string(3, q)) == 0) {
      return string(start, i + 3, q, rawPrefix, true);
    }
    if (rawPrefix || start != i) return string(start, i + 1, q, rawPrefix, false);
    if (q == '`') {
      if (lang_ == CodeLang::JavaScript || lang_ == CodeLang::TypeScript) return string(i, i + 1, q, false, false, true);
      if (lang_ == CodeLang::Go) return string(i, i + 1, q, true, false, true);
      if (lang_ == CodeLang::Shell) return string(i, i + 1, q, false, false);
      return i + 1;
    }
    if (q == '\'' && (lang_ == CodeLang::Rust || lang_ == CodeLang::Json)) {
      // Rust: 'x' or '\n' is a char; 'a in <'a> is a lifetime, not a string.
      const std::size_t close = s_.find('\'', i + 1);
      const bool isChar = close != std::string_view::npos &&
                          (close - i <= 5 || (i + 1 < s_.size() && s_[i + 1] == '\\' && close - i <= 12));
      if (!isChar) return i + 1;
    }
    // Shell single quotes are raw; SQL doubles them to escape, which reads as two strings.
    const bool raw = (lang_ == CodeLang::Shell && q == '\'') || lang_ == CodeLang::Sql;
    const bool multiLine = lang_ == CodeLang::Shell;
    return string(i, i + 1, q, raw, false, multiLine);
  }

  // A string opened at `start` whose body begins at `body`. Single-line strings of C-like
  // languages end at the line's end when unclosed (a typo must not colour the rest of the block).
  std::size_t string(std::size_t start, std::size_t body, char q, bool raw, bool triple,
                     bool multiLine = false) {
    st_.mode = Mode::String;
    st_.quote = q;
    st_.raw = raw;
    st_.triple = triple;
    const std::size_t end = continueOpen(start, body);
    if (st_.mode == Mode::String && !multiLine && !triple) st_ = LineState{};
    return end;
  }

  // Continues the open comment or string from `from` (the token starts at `start`); returns
  // the index after it, leaving the state Normal if it closed on this line.
  std::size_t continueOpen(std::size_t start, std::size_t from = npos) {
    if (from == npos) from = start;
    std::size_t i = from;
    switch (st_.mode) {
      case Mode::BlockComment:
      case Mode::HtmlComment: {
        const char* close = st_.mode == Mode::BlockComment ? "*/" : "-->";
        const std::size_t at = s_.find(close, i);
        if (at == std::string_view::npos) {
          emit(start, s_.size(), TokenKind::Comment);
          return s_.size();
        }
        const std::size_t end = at + std::char_traits<char>::length(close);
        emit(start, end, TokenKind::Comment);
        st_ = LineState{};
        return end;
      }
      case Mode::String: {
        while (i < s_.size()) {
          if (s_[i] == '\\' && !st_.raw) {
            i += 2;
            continue;
          }
          if (s_[i] == st_.quote) {
            if (!st_.triple) {
              emit(start, i + 1, TokenKind::String);
              st_ = LineState{};
              return i + 1;
            }
            if (s_.compare(i, 3, std::string(3, st_.quote)) == 0) {
              emit(start, i + 3, TokenKind::String);
              st_ = LineState{};
              return i + 3;
            }
          }
          ++i;
        }
        emit(start, s_.size(), TokenKind::String);
        return s_.size();
      }
      case Mode::Normal: break;
    }
    return i;
  }

  std::size_t number(std::size_t i) {
    if (i > 0 && identChar(static_cast<unsigned char>(s_[i - 1]))) return i + 1;  // x1
    std::size_t j = i;
    const bool hex = s_.compare(i, 2, "0x") == 0 || s_.compare(i, 2, "0X") == 0;
    while (j < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[j]);
      if (std::isalnum(c) || c == '.' || c == '_' || c == '\'') {
        if ((c == 'e' || c == 'E') && !hex && j + 1 < s_.size() && (s_[j + 1] == '-' || s_[j + 1] == '+')) ++j;
        if (c == '.' && (j + 1 >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[j + 1])))) break;  // 1..2, x.y()
        ++j;
        continue;
      }
      break;
    }
    emit(i, j, TokenKind::Number);
    return j;
  }

  void emit(std::size_t b, std::size_t e, TokenKind k) {
    if (e <= b) return;
    out_.push_back(CodeToken{static_cast<uint32_t>(base_ + b), static_cast<uint32_t>(base_ + e), k});
  }

  static constexpr std::size_t npos = std::string_view::npos;
  CodeLang lang_;
  std::string_view s_;
  uint32_t base_;
  LineState& st_;
  std::vector<CodeToken>& out_;
};

}  // namespace

CodeLang codeLangOf(std::string_view info) {
  const std::size_t end = info.find_first_of(" \t{,");
  const std::string l = lower(info.substr(0, end));
  struct Name { const char* name; CodeLang lang; };
  static const Name names[] = {
      {"c", CodeLang::C},           {"h", CodeLang::C},
      {"cpp", CodeLang::Cpp},       {"c++", CodeLang::Cpp},         {"cc", CodeLang::Cpp},
      {"cxx", CodeLang::Cpp},       {"hpp", CodeLang::Cpp},
      {"python", CodeLang::Python}, {"py", CodeLang::Python},       {"python3", CodeLang::Python},
      {"javascript", CodeLang::JavaScript}, {"js", CodeLang::JavaScript}, {"jsx", CodeLang::JavaScript},
      {"mjs", CodeLang::JavaScript}, {"node", CodeLang::JavaScript},
      {"typescript", CodeLang::TypeScript}, {"ts", CodeLang::TypeScript}, {"tsx", CodeLang::TypeScript},
      {"json", CodeLang::Json},     {"jsonc", CodeLang::Json},
      {"sh", CodeLang::Shell},      {"bash", CodeLang::Shell},      {"shell", CodeLang::Shell},
      {"zsh", CodeLang::Shell},     {"console", CodeLang::Shell},
      {"go", CodeLang::Go},         {"golang", CodeLang::Go},
      {"rust", CodeLang::Rust},     {"rs", CodeLang::Rust},
      {"java", CodeLang::Java},
      {"sql", CodeLang::Sql},       {"sqlite", CodeLang::Sql},      {"postgresql", CodeLang::Sql},
      {"html", CodeLang::Html},     {"xml", CodeLang::Html},        {"svg", CodeLang::Html},
  };
  for (const Name& n : names) {
    if (l == n.name) return n.lang;
  }
  return CodeLang::None;
}

void highlightLine(CodeLang lang, std::string_view line, uint32_t base, LineState& state,
                   std::vector<CodeToken>& out) {
  if (lang == CodeLang::None) return;
  LineTokenizer(lang, line, base, state, out).run();
}

std::vector<CodeToken> highlightCode(CodeLang lang, std::string_view text) {
  IncrementalHighlight h;
  return h.update(lang, text);
}

const std::vector<CodeToken>& IncrementalHighlight::update(CodeLang lang, std::string_view text) {
  // Keep every line that ends before the first changed byte; the line holding it (an
  // unfinished last line while streaming) and everything after are tokenized again.
  std::size_t keep = 0;  // lines kept
  if (lang == lang_) {
    const std::size_t n = std::min(text.size(), text_.size());
    const std::size_t same = static_cast<std::size_t>(
        std::mismatch(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(n), text_.begin()).first - text.begin());
    while (keep < lines_.size()) {
      const std::size_t nextBegin = keep + 1 < lines_.size() ? lines_[keep + 1].begin : std::string::npos;
      // Line `keep` is intact if its '\n' (at nextBegin - 1) is within the common prefix.
      if (nextBegin == std::string::npos || nextBegin > same) break;
      ++keep;
    }
  }
  lang_ = lang;
  text_.assign(text.data(), text.size());
  LineState state;
  std::size_t pos = 0;
  if (keep < lines_.size()) {
    tokens_.resize(lines_[keep].firstToken);
    state = lines_[keep].start;
    pos = lines_[keep].begin;
  } else {
    tokens_.clear();
    keep = 0;
  }
  lines_.resize(keep);
  lastWork_ = 0;
  while (true) {
    std::size_t nl = text_.find('\n', pos);
    const std::size_t end = nl == std::string::npos ? text_.size() : nl;
    lines_.push_back(Line{static_cast<uint32_t>(pos), state, tokens_.size()});
    std::string_view line(text_.data() + pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    highlightLine(lang_, line, static_cast<uint32_t>(pos), state, tokens_);
    ++lastWork_;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return tokens_;
}

}  // namespace chat::ui
