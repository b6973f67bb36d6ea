// The wasm client's entry point. main() sets everything up and returns; from then on the page
// drives the client through animation frames, a 250 ms tick and browser events
// (the runtime stays alive: the build does not use EXIT_RUNTIME).
#include "app/app.h"

int main() {
  chat::app::App::instance().start();
  return 0;
}
