#include <gtest/gtest.h>

#include "page/composer_keys.h"

using namespace chat::web;

namespace {

KeyPress key(const std::string& k, const std::string& code = "", int keyCode = 0) {
  KeyPress p;
  p.key = k;
  p.code = code;
  p.keyCode = keyCode;
  return p;
}
KeyPress shift(KeyPress p) { p.shift = true; return p; }
KeyPress ctrl(KeyPress p) { p.ctrlOrMeta = true; return p; }
KeyPress alt(KeyPress p) { p.alt = true; return p; }
KeyPress composing(KeyPress p) { p.composing = true; return p; }

}  // namespace

TEST(ComposerKeys, EnterSendsShiftEnterIsANewlineEscCancels) {
  EXPECT_EQ(composerKeyAction(key("Enter", "Enter", 13)), KeyAction::Send);
  EXPECT_EQ(composerKeyAction(shift(key("Enter", "Enter", 13))), KeyAction::None);
  EXPECT_EQ(composerKeyAction(ctrl(key("Enter", "Enter", 13))), KeyAction::Send);
  EXPECT_EQ(composerKeyAction(key("Escape", "Escape", 27)), KeyAction::CancelStream);
  EXPECT_EQ(composerKeyAction(key("Esc", "Escape", 27)), KeyAction::CancelStream);
  EXPECT_EQ(composerKeyAction(key("a", "KeyA", 65)), KeyAction::None);
  EXPECT_EQ(composerKeyAction(key("Tab", "Tab", 9)), KeyAction::None);  // focus moves on
}

TEST(ComposerKeys, ImeCompositionOwnsEveryKey) {
  EXPECT_EQ(composerKeyAction(composing(key("Enter", "Enter", 13))), KeyAction::None);
  EXPECT_EQ(composerKeyAction(key("Enter", "Enter", 229)), KeyAction::None);
  EXPECT_EQ(composerKeyAction(composing(key("Escape", "Escape", 27))), KeyAction::None);
  EXPECT_EQ(composerKeyAction(composing(key("PageUp", "PageUp", 33))), KeyAction::None);
  EXPECT_EQ(controlKeyAction(composing(key("a", "KeyA", 65)), true), KeyAction::None);
}

TEST(ComposerKeys, PageKeysAndCtrlHomeEndScrollTheTranscript) {
  EXPECT_EQ(composerKeyAction(key("PageUp", "PageUp", 33)), KeyAction::ScrollPageUp);
  EXPECT_EQ(composerKeyAction(key("PageDown", "PageDown", 34)), KeyAction::ScrollPageDown);
  EXPECT_EQ(composerKeyAction(ctrl(key("Home", "Home", 36))), KeyAction::ScrollTop);
  EXPECT_EQ(composerKeyAction(ctrl(key("End", "End", 35))), KeyAction::ScrollBottom);
  // Without Ctrl, Home / End move the caret; with Shift the keys select text.
  EXPECT_EQ(composerKeyAction(key("Home", "Home", 36)), KeyAction::None);
  EXPECT_EQ(composerKeyAction(key("End", "End", 35)), KeyAction::None);
  EXPECT_EQ(composerKeyAction(shift(key("PageUp", "PageUp", 33))), KeyAction::None);
  EXPECT_EQ(composerKeyAction(shift(ctrl(key("End", "End", 35)))), KeyAction::None);
}

TEST(ComposerKeys, AltAFocusesTheOldestApprovalFromAnywhere) {
  EXPECT_EQ(composerKeyAction(alt(key("a", "KeyA", 65))), KeyAction::FocusApproval);
  // A Mac's Option+A types "å": the physical key decides.
  EXPECT_EQ(composerKeyAction(alt(key("\xC3\xA5", "KeyA", 65))), KeyAction::FocusApproval);
  EXPECT_EQ(controlKeyAction(alt(key("a", "KeyA", 65)), false), KeyAction::FocusApproval);
  EXPECT_EQ(controlKeyAction(alt(key("a", "KeyA", 65)), true), KeyAction::FocusApproval);
  EXPECT_EQ(composerKeyAction(ctrl(alt(key("a", "KeyA", 65)))), KeyAction::None);
  EXPECT_EQ(composerKeyAction(alt(key("Enter", "Enter", 13))), KeyAction::None);  // a newline
}

TEST(ComposerKeys, OneKeyAnswersTheFocusedApproval) {
  EXPECT_EQ(controlKeyAction(key("a", "KeyA", 65), true), KeyAction::Approve);
  EXPECT_EQ(controlKeyAction(key("d", "KeyD", 68), true), KeyAction::Deny);
  EXPECT_EQ(controlKeyAction(key("s", "KeyS", 83), true), KeyAction::ApproveSession);
  // Only on an approval, only without modifiers (Ctrl+D is the browser's bookmark key).
  EXPECT_EQ(controlKeyAction(key("a", "KeyA", 65), false), KeyAction::None);
  EXPECT_EQ(controlKeyAction(ctrl(key("d", "KeyD", 68)), true), KeyAction::None);
  EXPECT_EQ(controlKeyAction(shift(key("S", "KeyS", 83)), true), KeyAction::None);
  // Enter and Space stay the button's own (the browser clicks it).
  EXPECT_EQ(controlKeyAction(key("Enter", "Enter", 13), true), KeyAction::None);
  EXPECT_EQ(controlKeyAction(key(" ", "Space", 32), true), KeyAction::None);
}

TEST(ComposerKeys, EscapeStopsTheReplyFromAnyControl) {
  EXPECT_EQ(controlKeyAction(key("Escape", "Escape", 27), false), KeyAction::CancelStream);
  EXPECT_EQ(controlKeyAction(key("Escape", "Escape", 27), true), KeyAction::CancelStream);
  EXPECT_EQ(controlKeyAction(key("Tab", "Tab", 9), false), KeyAction::None);
}

TEST(ComposerKeys, EveryActionButNoneConsumesTheKey) {
  EXPECT_FALSE(consumesKey(KeyAction::None));
  EXPECT_TRUE(consumesKey(KeyAction::Send));
  EXPECT_TRUE(consumesKey(KeyAction::ScrollPageUp));
  EXPECT_TRUE(consumesKey(KeyAction::Approve));
}
