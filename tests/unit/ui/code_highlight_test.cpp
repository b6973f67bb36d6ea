#include "ui/code_highlight.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace chat::ui {
namespace {

// "kind:text" for every token, so expectations read like the code.
std::vector<std::string> show(CodeLang lang, std::string_view text) {
  std::vector<std::string> out;
  for (const CodeToken& t : highlightCode(lang, text)) {
    const char* k = t.kind == TokenKind::Keyword   ? "kw"
                    : t.kind == TokenKind::String  ? "str"
                    : t.kind == TokenKind::Comment ? "com"
                    : t.kind == TokenKind::Number  ? "num"
                                                   : "tag";
    out.push_back(std::string(k) + ":" + std::string(text.substr(t.begin, t.end - t.begin)));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(CodeHighlight, LanguageNamesFromInfoStrings) {
  EXPECT_EQ(codeLangOf("cpp"), CodeLang::Cpp);
  EXPECT_EQ(codeLangOf("C++"), CodeLang::Cpp);
  EXPECT_EQ(codeLangOf("py"), CodeLang::Python);
  EXPECT_EQ(codeLangOf("ts"), CodeLang::TypeScript);
  EXPECT_EQ(codeLangOf("bash"), CodeLang::Shell);
  EXPECT_EQ(codeLangOf("rust {.numberLines}"), CodeLang::Rust);
  EXPECT_EQ(codeLangOf("golang"), CodeLang::Go);
  EXPECT_EQ(codeLangOf("Java"), CodeLang::Java);
  EXPECT_EQ(codeLangOf("SQL"), CodeLang::Sql);
  EXPECT_EQ(codeLangOf("html"), CodeLang::Html);
  EXPECT_EQ(codeLangOf("json"), CodeLang::Json);
  EXPECT_EQ(codeLangOf("brainfuck"), CodeLang::None);
  EXPECT_EQ(codeLangOf(""), CodeLang::None);
}

TEST(CodeHighlight, CppKeywordsStringsCommentsNumbers) {
  EXPECT_EQ(show(CodeLang::Cpp, "int x = 42; // the answer"),
            (V{"kw:int", "num:42", "com:// the answer"}));
  EXPECT_EQ(show(CodeLang::Cpp, "return \"a\\\"b\" + 'c';"),
            (V{"kw:return", "str:\"a\\\"b\"", "str:'c'"}));
  EXPECT_EQ(show(CodeLang::Cpp, "#include <vector>"), (V{"kw:#include", "str:<vector>"}));
  EXPECT_EQ(show(CodeLang::Cpp, "x1 = 0x1F + 1.5e-3;"), (V{"num:0x1F", "num:1.5e-3"}));
  // An identifier containing a keyword is not a keyword.
  EXPECT_EQ(show(CodeLang::Cpp, "interval integer"), V{});
}

TEST(CodeHighlight, BlockCommentsSpanLines) {
  EXPECT_EQ(show(CodeLang::C, "a /* one\ntwo */ int"), (V{"com:/* one", "com:two */", "kw:int"}));
}

TEST(CodeHighlight, PythonTripleQuotesPrefixesAndHashComments) {
  EXPECT_EQ(show(CodeLang::Python, "def f():\n    \"\"\"doc\n    more\"\"\"\n    return r'\\d' # x"),
            (V{"kw:def", "str:\"\"\"doc", "str:    more\"\"\"", "kw:return", "str:r'\\d'", "com:# x"}));
  EXPECT_EQ(show(CodeLang::Python, "None if x else True"), (V{"kw:None", "kw:if", "kw:else", "kw:True"}));
}

TEST(CodeHighlight, JavaScriptTemplateStringsSpanLines) {
  EXPECT_EQ(show(CodeLang::JavaScript, "const s = `a\nb`; let n = null;"),
            (V{"kw:const", "str:`a", "str:b`", "kw:let", "kw:null"}));
  EXPECT_EQ(show(CodeLang::TypeScript, "interface A { x: number }"), (V{"kw:interface", "kw:number"}));
}

TEST(CodeHighlight, JsonKeysValuesAndLiterals) {
  EXPECT_EQ(show(CodeLang::Json, "{\"a\": [1, -2.5, true, null]}"),
            (V{"str:\"a\"", "num:1", "num:2.5", "kw:true", "kw:null"}));
}

TEST(CodeHighlight, ShellCommentsOnlyAtWordStart) {
  EXPECT_EQ(show(CodeLang::Shell, "echo $# 'raw \\' # not a comment"),
            (V{"kw:echo", "str:'raw \\'", "com:# not a comment"}));
  EXPECT_EQ(show(CodeLang::Shell, "if [ -f a ]; then ls; fi"), (V{"kw:if", "kw:then", "kw:fi"}));
}

TEST(CodeHighlight, GoRawStringsAndRustLifetimes) {
  EXPECT_EQ(show(CodeLang::Go, "func f() string { return `a\\` }"),
            (V{"kw:func", "kw:string", "kw:return", "str:`a\\`"}));
  EXPECT_EQ(show(CodeLang::Rust, "fn f<'a>(x: &'a str) -> char { 'c' }"),
            (V{"kw:fn", "kw:str", "str:'c'"}));
}

TEST(CodeHighlight, JavaAndSqlCaseInsensitive) {
  EXPECT_EQ(show(CodeLang::Java, "public static void main(String[] a)"),
            (V{"kw:public", "kw:static", "kw:void", "kw:String"}));
  EXPECT_EQ(show(CodeLang::Sql, "SELECT name FROM t WHERE id = 'x' -- note"),
            (V{"kw:SELECT", "kw:FROM", "kw:WHERE", "str:'x'", "com:-- note"}));
}

TEST(CodeHighlight, HtmlTagsAttributesComments) {
  EXPECT_EQ(show(CodeLang::Html, "<a href=\"x\">hi</a> <!-- c\n-->"),
            (V{"tag:<a", "str:\"x\"", "tag:>", "tag:</a", "tag:>", "com:<!-- c", "com:-->"}));
}

TEST(CodeHighlight, UnclosedSingleLineStringEndsAtTheLine) {
  EXPECT_EQ(show(CodeLang::Cpp, "\"open\nint"), (V{"str:\"open", "kw:int"}));
}

TEST(CodeHighlight, UnknownLanguageHasNoTokens) { EXPECT_TRUE(show(CodeLang::None, "int x = 1;").empty()); }

TEST(CodeHighlight, NonAsciiAndGarbageNeverBreakIt) {
  std::string junk;
  for (int i = 0; i < 512; ++i) junk += static_cast<char>((i * 37) & 0xFF);
  for (int l = 0; l <= static_cast<int>(CodeLang::Html); ++l) {
    for (const CodeToken& t : highlightCode(static_cast<CodeLang>(l), junk)) {
      EXPECT_LT(t.begin, t.end);
      EXPECT_LE(t.end, junk.size());
    }
  }
  EXPECT_EQ(show(CodeLang::Python, "héllo = 'wörld'"), (V{"str:'wörld'"}));
}

TEST(CodeHighlight, IncrementalMatchesFullAndRetokenizesOnlyTheTail) {
  const std::string code =
      "/* header\n comment */\n#include <x>\nint main() {\n  const char* s = \"hi\";\n  return 0;\n}\n";
  IncrementalHighlight inc;
  std::size_t maxWorkLate = 0;
  for (std::size_t n = 0; n <= code.size(); ++n) {  // streamed one byte at a time
    const auto& tokens = inc.update(CodeLang::Cpp, std::string_view(code).substr(0, n));
    const auto full = highlightCode(CodeLang::Cpp, std::string_view(code).substr(0, n));
    ASSERT_EQ(tokens.size(), full.size()) << "at " << n;
    for (std::size_t k = 0; k < full.size(); ++k) {
      EXPECT_EQ(tokens[k].begin, full[k].begin);
      EXPECT_EQ(tokens[k].end, full[k].end);
      EXPECT_EQ(tokens[k].kind, full[k].kind);
    }
    if (n > code.size() / 2) maxWorkLate = std::max(maxWorkLate, inc.linesTokenizedLastUpdate());
  }
  EXPECT_LE(maxWorkLate, 2u);  // the unfinished line (and a new empty one after a '\n')
  // An edit in the middle re-tokenizes from there and still matches.
  std::string edited = code;
  edited[3] = 'X';
  const auto& tokens = inc.update(CodeLang::Cpp, edited);
  EXPECT_EQ(tokens.size(), highlightCode(CodeLang::Cpp, edited).size());
  // A language change starts over.
  EXPECT_TRUE(inc.update(CodeLang::None, edited).empty());
}

}  // namespace
}  // namespace chat::ui
