// The sign-in panel: a card over the message list while the gateway refuses the page's
// credentials. ImGui draws the card (title, what happened, the field's frame, "Sign in"); the
// field itself is a DOM <input> the app lays over the returned rect, so paste and password
// managers work. The button emits SignIn; the app submits what the field holds.
#pragma once

#include "ui/chat_view.h"
#include "ui/view_context.h"

namespace chat::ui {

struct SignInPanelLayout {
  Rect card;   // the whole card
  Rect frame;  // the field's drawn frame
  Rect field;  // where the DOM input goes (inside the frame)
  Rect button; // "Sign in"
  float messageY = 0;  // top of the message, relative to the card
};

// Where everything goes for this prompt inside `area` (the message list's rect).
SignInPanelLayout signInPanelLayout(const SignInPrompt& prompt, const ViewContext& ctx, Rect area);

// Draws the panel as its own window above the chat; takeFocus gives that window ImGui's
// keyboard navigation (Tab reaches "Sign in"). Returns the field's rect.
Rect drawSignInPanel(const SignInPrompt& prompt, ViewContext& ctx, Rect area, bool takeFocus);

}  // namespace chat::ui
