// The bar above the messages: sidebar toggle (narrow windows), the session's title and model,
// and the connection pill with "Retry now" when a retry can be forced.
#pragma once

#include <string>

#include "core/chat/chat_state.h"
#include "core/net/status.h"
#include "ui/connection_pill.h"
#include "ui/view_context.h"

namespace chat::ui {

constexpr float kHeaderHeight = 52.0f;

struct HeaderModel {
  std::string title;  // "New chat" when the session has none
  std::string model;  // "" when unknown
  PillInfo pill;
  bool showToggle = false;
  bool drawerOpen = false;  // the narrow sidebar is open over the page (no tooltip over it)
};

HeaderModel headerModel(const core::ChatState& state, const net::Status& status, int64_t retryInMs);

// Draws at the cursor, `width` wide. Returns true when the sidebar toggle was clicked.
// Emits RetryNow.
bool drawHeader(const HeaderModel& model, ViewContext& ctx, float width);

}  // namespace chat::ui
