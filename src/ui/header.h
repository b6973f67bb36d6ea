// The bar above the messages: sidebar toggle (narrow windows), the session's title and model,
// and the connection pill with "Retry now" when a retry can be forced.
#pragma once

#include <string>
#include <vector>

#include "core/chat/chat_state.h"
#include "core/net/status.h"
#include "ui/connection_pill.h"
#include "ui/view_context.h"

namespace chat::ui {

constexpr float kHeaderHeight = 52.0f;

struct HeaderModel {
  std::string title;  // "New chat" when the session has none
  std::string model;  // "" when unknown
  // The model picker: the models the gateway offers (its default first; empty, or only one:
  // no picker, the model is shown as text) and the one the session's next turns use.
  std::vector<std::string> models;
  std::string chosenModel;  // what the picker shows: the session's pick, else the default
  PillInfo pill;
  bool showToggle = false;
  bool drawerOpen = false;  // the narrow sidebar is open over the page (no tooltip over it)
};

HeaderModel headerModel(const core::ChatState& state, const net::Status& status, int64_t retryInMs);

// Draws at the cursor, `width` wide. Returns true when the sidebar toggle was clicked.
// Emits RetryNow, and SetModel (text = the model) when a model is picked.
bool drawHeader(const HeaderModel& model, ViewContext& ctx, float width);

}  // namespace chat::ui
