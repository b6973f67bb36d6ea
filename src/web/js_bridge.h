// The DOM side of the client (web/library_chat.js, linked with --js-library): composer
// textarea, sign-in field, live regions, clipboard, window.chatClient, postMessage, page location.
// All strings are UTF-8; JS copies them before returning.
#pragma once

extern "C" {
// Creates the composer textarea and live regions and registers the page's listeners. Must run
// before glfwInit: its capture-phase key listener has to come before GLFW's.
void chatjs_init(void);
// 0 = location.origin, 1 = location.search, 2 = location.hash; malloc'd, the caller frees.
char* chatjs_location(int part);
void chatjs_strip_fragment(void);
void chatjs_set_composer_rect(double x, double y, double w, double h, int visible);
void chatjs_focus_composer(void);
void chatjs_set_composer_text(const char* text);
// The sign-in field (a password <input> over the sign-in panel). Hiding it while it has the
// focus hands the focus to the composer.
void chatjs_set_signin_rect(double x, double y, double w, double h, int visible);
void chatjs_focus_signin(void);
void chatjs_set_signin_text(const char* text);
// The sidebar's one-line fields ("search", "rename"), made on first use; hiding one that has
// the focus hands the focus to the composer. Their events call chat_field_input / _focus / _key.
void chatjs_field_place(const char* name, double x, double y, double w, double h, int visible);
void chatjs_field_focus(const char* name);
void chatjs_field_set_text(const char* name, const char* text);
void chatjs_set_theme(int dark);
int chatjs_prefers_dark(void);
int chatjs_pointer_coarse(void);  // 1: the primary pointer is a finger (pointer: coarse)
void chatjs_copy(const char* text);
void chatjs_announce(const char* text, int assertive);
// Calls the window.chatClient.on(type) listeners with JSON.parse(json).
void chatjs_publish(const char* type, const char* json);
void chatjs_post_parent(const char* origin, const char* json);
void chatjs_show_error(const char* text);
void chatjs_expose_api(void);
}
