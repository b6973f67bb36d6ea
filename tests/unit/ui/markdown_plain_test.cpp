#include <gtest/gtest.h>

#include "ui/header.h"
#include "ui/markdown_plain.h"
#include "ui/sidebar.h"

namespace chat::ui {
namespace {

TEST(MarkdownPlain, InlineMarkersAreTakenOut) {
  EXPECT_EQ(plainTextOf("**Fix** the `build`"), "Fix the build");
  EXPECT_EQ(plainTextOf("use ``a `b` c`` and *this* or _that_ ~~not~~ __bold__"),
            "use a `b` c and this or that not bold");
  EXPECT_EQ(plainTextOf("see [the docs](https://example.com/x) now"), "see the docs now");
  EXPECT_EQ(plainTextOf("escaped \\*stars\\*"), "escaped *stars*");
}

TEST(MarkdownPlain, WhatAMessageShowsLiterallyStaysLiteral) {
  EXPECT_EQ(plainTextOf("an **unclosed marker"), "an **unclosed marker");
  EXPECT_EQ(plainTextOf("snake_case_name and 2*3*4"), "snake_case_name and 2*3*4");
  EXPECT_EQ(plainTextOf("#hashtag"), "#hashtag");
  EXPECT_EQ(plainTextOf("plain title"), "plain title");
}

TEST(MarkdownPlain, BlocksBecomeOneLine) {
  EXPECT_EQ(plainTextOf("# Heading\n\nfirst line\nsecond   line"), "Heading first line second line");
  EXPECT_EQ(plainTextOf("- one\n- **two**"), "one two");
  EXPECT_EQ(plainTextOf("1. one\n2. two"), "1. one 2. two");
  EXPECT_EQ(plainTextOf("- [ ] todo"), "\xE2\x98\x90 todo");
  EXPECT_EQ(plainTextOf("> quoted *words*"), "quoted words");
  EXPECT_EQ(plainTextOf("above\n\n---\n\nbelow"), "above below");
  EXPECT_EQ(plainTextOf("run\n```sh\nls -la\n```\nthen"), "run ls -la then");
}

TEST(MarkdownPlain, NothingButMarkersIsEmpty) {
  EXPECT_EQ(plainTextOf(""), "");
  EXPECT_EQ(plainTextOf("   \n\n  "), "");
  EXPECT_EQ(plainTextOf("---"), "");
}

TEST(MarkdownPlain, ScriptsAndBadBytesPassThrough) {
  EXPECT_EQ(plainTextOf("**日本語** 😀"), "日本語 😀");
  const std::string bad = "a\xFF\xC3 **b**";
  EXPECT_EQ(plainTextOf(bad), "a\xFF\xC3 b");
}

// The session title in the header and the sidebar: its text, not its Markdown.
TEST(MarkdownPlain, SessionTitlesShowTheirText) {
  core::ChatState st;
  st.currentSessionId = "s-1";
  st.sessions["s-1"].sessionId = "s-1";
  st.sessions["s-1"].title = "**Fix** the `build`";
  proto::SessionInfo other;
  other.sessionId = "s-2";
  other.title = "Plan a _trip_";
  st.sessionList.rows.push_back(other);
  proto::SessionInfo markersOnly;
  markersOnly.sessionId = "s-3";
  markersOnly.title = "---";
  st.sessionList.rows.push_back(markersOnly);

  EXPECT_EQ(headerModel(st, net::Status{}, 0).title, "Fix the build");
  const std::vector<SidebarItem> items = sidebarItems(st);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].title, "Fix the build");  // the current session, not in the list yet
  EXPECT_EQ(items[1].title, "Plan a trip");
  EXPECT_EQ(items[2].title, "New chat");       // nothing but a rule: the default title
}

}  // namespace
}  // namespace chat::ui
