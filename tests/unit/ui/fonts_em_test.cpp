// The browser draws and measures text by its em, ImGui by its line height (ascent - descent):
// kDejaVuEmPerPixelHeight converts one into the other. Checked against the font files, and
// against what drawText and the layout ask the browser's engine for.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ui/fonts.h"
#include "ui/glyph_fallback.h"
#include "ui_fixture.h"

namespace chat::ui {
namespace {

uint32_t be(const std::vector<unsigned char>& b, std::size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | b.at(at + static_cast<std::size_t>(i));
  return v;
}

// units per em / (hhea ascent - hhea descent) of a TrueType file; 0 when it cannot be read.
double emPerPixelHeight(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  const std::vector<unsigned char> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (b.size() < 12) return 0;
  const uint32_t tables = be(b, 4, 2);
  std::size_t head = 0, hhea = 0;
  for (uint32_t i = 0; i < tables; ++i) {
    const std::size_t rec = 12 + 16 * static_cast<std::size_t>(i);
    const std::string tag(b.begin() + static_cast<long>(rec), b.begin() + static_cast<long>(rec) + 4);
    if (tag == "head") head = be(b, rec + 8, 4);
    if (tag == "hhea") hhea = be(b, rec + 8, 4);
  }
  if (head == 0 || hhea == 0) return 0;
  const double upem = be(b, head + 18, 2);
  const double ascent = static_cast<int16_t>(be(b, hhea + 4, 2));
  const double descent = static_cast<int16_t>(be(b, hhea + 6, 2));
  return upem / (ascent - descent);
}

TEST(FontsEm, TheConstantIsTheFontFilesRatio) {
  for (const char* name : {"DejaVuSans.ttf", "DejaVuSansMono.ttf"}) {
    const double r = emPerPixelHeight(std::string(test::kFontDir) + "/" + name);
    ASSERT_GT(r, 0) << name;
    EXPECT_NEAR(r, kDejaVuEmPerPixelHeight, 1e-5) << name;
  }
}

// Records the sizes the view asks the browser for.
class SizeEngine : public TextRunEngine {
 public:
  float measure(std::string_view, bool, float size) override {
    measured.push_back(size);
    return size;
  }
  RunResult run(std::string_view, bool, float size, ImU32, bool, bool, RunImage* out) override {
    drawn.push_back(size);
    out->texture = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(7));
    out->width = out->height = 10;
    return RunResult::Cached;
  }
  std::vector<float> measured, drawn;
};

class FontsEmView : public test::ViewTest {
 protected:
  void TearDown() override {
    setTextRunEngine(nullptr);
    ViewTest::TearDown();
  }
};

TEST_F(FontsEmView, TheBrowserIsAskedForTheEmSizeOfTheAtlasText) {
  SizeEngine engine;
  setTextRunEngine(&engine);
  view.loadFonts(test::kFontDir, 1.0f);  // registers the fonts with the engine present
  buildAtlas();
  core::SessionState& s = test::addSession(state, "s-1", "t");
  state.currentSessionId = "s-1";
  test::addMessage(s, core::Role::User, "mixed \xE6\x97\xA5\xE6\x9C\xAC line");
  frames(2);
  ASSERT_FALSE(engine.drawn.empty());
  ASSERT_FALSE(engine.measured.empty());
  const float em = kSansPx * kDejaVuEmPerPixelHeight;  // 12.88 CSS px for the 15 px atlas font
  bool sawSans = false;
  for (float size : engine.drawn) sawSans = sawSans || std::abs(size - em) < 0.01f;
  EXPECT_TRUE(sawSans) << "a message line drawn at the em size " << em;
  for (float size : engine.measured) EXPECT_LT(size, kSansPx) << "measured at the em size, not the line height";
}

}  // namespace
}  // namespace chat::ui
