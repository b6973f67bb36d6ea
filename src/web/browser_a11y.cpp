#include "web/browser_a11y.h"

#include <string>

#include "ui/a11y_report.h"

extern "C" {
// web/library_a11y.js.
void chata11y_apply(const char* json);
int chata11y_focus(const char* id);
}

namespace chat::web {

namespace {

class BrowserA11y : public ui::A11yHost {
 public:
  void apply(const ui::A11yDelta& delta, float displayWidth) override {
    const std::string json = ui::a11yDeltaJson(delta, displayWidth);
    chata11y_apply(json.c_str());
  }
};

}  // namespace

void installBrowserA11y() {
  static BrowserA11y host;
  ui::setA11yHost(&host);
}

bool focusA11yControl(const char* id) { return chata11y_focus(id) != 0; }

}  // namespace chat::web
