// The browser's text engine for what the embedded fonts cannot draw (src/ui/glyph_fallback.h,
// src/web/browser_text.cpp), linked into chat.js with emcc --js-library.
//
// A run (a piece of a line holding CJK, emoji, Arabic, Hebrew, Indic, Thai, combining marks...)
// is drawn once with Canvas2D fillText, which brings the browser's font fallback, shaping, the
// bidi order of mixed-direction text and colour emoji, then copied into a page of a run cache:
// WebGL textures the ImGui backend samples like its font atlas. Only the new run's pixels are
// uploaded (texSubImage2D), so the first frame that needs a run pays for that run only. Runs
// are kept by text, font, size and colour; when every page is full the cache starts over (the
// visible runs are drawn again on the next frame).

var LibraryChatText = {
  $ChatText__deps: ['$GL'],
  $ChatText: {
    PAGE: 1024,       // texture size in device pixels
    MAX_PAGES: 4,
    pages: [],        // {id, tex, x, y, shelfH}
    runs: null,       // Map key -> [id, u0, v0, u1, v1, w, h, top] (made on first use: emcc
                      // copies this object as source text, where a Map would become {})
    scratch: null,
    scratchCtx: null,
    measureCtx: null,
    emojiFace: false,
    stats: { runsDrawn: 0, uploads: 0, resets: 0, texts: [] },

    // Emoji first, by unicode-range, so colour emoji win over the monochrome emoticons some
    // text fonts carry; then the fonts the atlas was built from, then the system's.
    family: function(mono) {
      if (!ChatText.emojiFace && typeof FontFace !== 'undefined' && document.fonts) {
        ChatText.emojiFace = true;
        try {
          var face = new FontFace('ChatEmoji',
              'local("Noto Color Emoji"), local("Apple Color Emoji"), local("Segoe UI Emoji"), local("Twemoji Mozilla")',
              { unicodeRange: 'U+00A9, U+00AE, U+203C, U+2049, U+2122, U+2139, U+2194-21AA, U+231A-23FF, ' +
                              'U+24C2, U+25AA-25FE, U+2600-27BF, U+2934-2935, U+2B05-2B55, U+3030, U+303D, ' +
                              'U+3297, U+3299, U+FE0F, U+200D, U+1F000-1FAFF, U+E0020-E007F' });
          document.fonts.add(face);
          face.load().catch(function() {});
        } catch (e) { /* no such local font: the families below */ }
      }
      return mono ? 'ChatEmoji, "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace'
                  : 'ChatEmoji, "DejaVu Sans", system-ui, -apple-system, "Segoe UI", sans-serif';
    },

    font: function(mono, px) { return px.toFixed(2) + 'px ' + ChatText.family(mono); },

    measure: function(text, mono, size) {
      if (!ChatText.measureCtx) ChatText.measureCtx = document.createElement('canvas').getContext('2d');
      var c = ChatText.measureCtx;
      c.font = ChatText.font(mono, size);
      return c.measureText(text).width;
    },

    newPage: function() {
      var gl = GLctx;
      var tex = gl.createTexture();
      var prev = gl.getParameter(gl.TEXTURE_BINDING_2D);
      gl.bindTexture(gl.TEXTURE_2D, tex);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, ChatText.PAGE, ChatText.PAGE, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
      gl.bindTexture(gl.TEXTURE_2D, prev);
      var id = GL.getNewId(GL.textures);
      tex.name = id;
      GL.textures[id] = tex;
      var page = { id: id, tex: tex, x: 0, y: 0, shelfH: 0 };
      ChatText.pages.push(page);
      return page;
    },

    // Room for w x h device pixels: the current shelf, a new shelf, a new page, or (all pages
    // full) a fresh cache. The old textures are deleted after this frame has been drawn.
    place: function(w, h) {
      var P = ChatText.PAGE;
      if (w > P || h > P) return null;
      var page = ChatText.pages[ChatText.pages.length - 1];
      if (page && page.x + w > P) { page.y += page.shelfH + 1; page.x = 0; page.shelfH = 0; }
      if (!page || page.y + h > P) {
        if (ChatText.pages.length >= ChatText.MAX_PAGES) {
          var old = ChatText.pages;
          ChatText.pages = [];
          ChatText.runs.clear();
          ChatText.stats.resets++;
          setTimeout(function() {
            old.forEach(function(p) { GLctx.deleteTexture(p.tex); GL.textures[p.id] = null; });
          }, 1000);
        }
        page = ChatText.newPage();
      }
      var at = { page: page, x: page.x, y: page.y };
      page.x += w + 1;
      page.shelfH = Math.max(page.shelfH, h);
      return at;
    },

    run: function(text, mono, size, rgba, rtl) {
      var dpr = window.devicePixelRatio || 1;
      if (!ChatText.runs) ChatText.runs = new Map();
      var key = (mono ? 'm' : 's') + size.toFixed(2) + ':' + rgba + ':' + (rtl ? 'r' : 'l') + ':' + dpr + ':' + text;
      var hit = ChatText.runs.get(key);
      if (hit) return hit;
      if (!ChatText.scratch) {
        ChatText.scratch = document.createElement('canvas');
        ChatText.scratchCtx = ChatText.scratch.getContext('2d', { willReadFrequently: false });
      }
      var px = size * dpr;
      var font = ChatText.font(mono, px);
      var c = ChatText.scratchCtx;
      c.font = font;
      var width = Math.ceil(c.measureText(text).width) + 2;
      var top = Math.ceil(size * 0.3 * dpr);        // room above the line for tall marks
      var height = Math.ceil(size * 1.7 * dpr);
      var at = ChatText.place(width, height);
      if (!at) return null;
      var canvas = ChatText.scratch;
      if (canvas.width < width || canvas.height < height) {
        canvas.width = Math.max(canvas.width, width);
        canvas.height = Math.max(canvas.height, height);
      }
      c.clearRect(0, 0, width, height);
      c.font = font;  // resizing a canvas resets its state
      c.direction = rtl ? 'rtl' : 'ltr';
      c.textAlign = 'left';
      c.textBaseline = 'alphabetic';
      var r = rgba & 0xFF, g = (rgba >>> 8) & 0xFF, b = (rgba >>> 16) & 0xFF, a = ((rgba >>> 24) & 0xFF) / 255;
      c.fillStyle = 'rgba(' + r + ',' + g + ',' + b + ',' + a + ')';
      // The atlas font's baseline is 0.928 of its size below the line's top (DejaVu's ascent).
      c.fillText(text, rtl ? width - 1 : 1, top + Math.round(size * 0.928 * dpr));
      var gl = GLctx;
      var prev = gl.getParameter(gl.TEXTURE_BINDING_2D);
      gl.bindTexture(gl.TEXTURE_2D, at.page.tex);
      var img = c.getImageData(0, 0, width, height);
      gl.texSubImage2D(gl.TEXTURE_2D, 0, at.x, at.y, width, height, gl.RGBA, gl.UNSIGNED_BYTE, img.data);
      gl.bindTexture(gl.TEXTURE_2D, prev);
      ChatText.stats.uploads++;
      if (ChatText.stats.texts.length < 200) ChatText.stats.texts.push(text);
      var P = ChatText.PAGE;
      var entry = [at.page.id, at.x / P, at.y / P, (at.x + width) / P, (at.y + height) / P,
                   width / dpr, height / dpr, -top / dpr];
      ChatText.runs.set(key, entry);
      return entry;
    },
  },

  chattext_measure__deps: ['$ChatText'],
  chattext_measure: function(ptr, len, mono, size) {
    return ChatText.measure(UTF8ToString(ptr, len), mono, size);
  },

  chattext_run__deps: ['$ChatText'],
  chattext_run: function(ptr, len, mono, size, rgba, rtl, out) {
    if (typeof GLctx === 'undefined' || !GLctx) return 0;
    var text = UTF8ToString(ptr, len);
    var e = ChatText.run(text, mono, size, rgba >>> 0, rtl);
    if (!e) return 0;
    ChatText.stats.runsDrawn++;
    if (!window.chatTextDebug) window.chatTextDebug = ChatText.stats;
    for (var i = 0; i < 8; i++) HEAPF32[(out >> 2) + i] = e[i];
    return 1;
  },

  // Links (src/ui/links.h). The view only hands over http(s) and mailto URLs; checked again
  // here so nothing else (javascript:, data:) can ever reach window.open.
  chattext_open_link: function(ptr) {
    var url = UTF8ToString(ptr);
    if (!/^(https?:\/\/|mailto:)/i.test(url)) return;
    var w = window.open(url, '_blank', 'noopener,noreferrer');
    if (w) w.opener = null;
  },

  chattext_set_pointer: function(pointer) {
    var canvas = Module['canvas'];
    if (canvas) canvas.style.cursor = pointer ? 'pointer' : '';
  },
};

mergeInto(LibraryManager.library, LibraryChatText);
