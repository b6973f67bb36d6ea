// The wasm client's entry point. main() sets everything up and returns; from then on the page
// drives the client through animation frames, a 250 ms tick and browser events
// (the runtime stays alive: the build does not use EXIT_RUNTIME).
#include "app/app.h"
#include "web/browser_a11y.h"
#include "web/browser_text.h"

int main() {
  chat::web::installBrowserText();  // text the embedded fonts lack is drawn by the browser
  chat::web::installBrowserA11y();  // the controls drawn get focusable DOM twins
  chat::app::App::instance().start();
  return 0;
}
