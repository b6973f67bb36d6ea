// The browser's text engine for what the embedded fonts cannot draw (src/ui/glyph_fallback.h,
// src/web/browser_text.cpp), linked into chat.js with emcc --js-library.
//
// A run (a piece of a line holding CJK, emoji, Arabic, Hebrew, Indic, Thai, combining marks...)
// is drawn once with Canvas2D fillText, which brings the browser's font fallback, shaping, the
// bidi order of mixed-direction text and colour emoji, then copied into a page of a run cache:
// WebGL textures the ImGui backend samples like its font atlas. Only the new run's pixels are
// uploaded (texSubImage2D), so the first frame that needs a run pays for that run only, and a
// frame draws new runs only while its budget lasts (src/ui/raster_budget.h: the C++ side says
// `mayDraw`; a new run asked for without it is left for the next frame). Runs
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
    measureFont: '',
    emojiFace: false,
    // rasterMs / measureMs: time spent drawing new runs and measuring widths (the benchmark's view).
    stats: { runsDrawn: 0, uploads: 0, resets: 0, texts: [], rasterMs: 0, measures: 0, measureMs: 0 },

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
      var font = ChatText.font(mono, size);
      if (ChatText.measureFont !== font) {  // setting ctx.font parses CSS: only when it changes
        c.font = font;
        ChatText.measureFont = font;
      }
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

    // The region of a run: [entry, true] when drawn now, [entry, false] when drawn before;
    // 'deferred' when it is new and `mayDraw` is false (the frame's raster budget is spent).
    run: function(text, mono, size, rgba, rtl, mayDraw) {
      var dpr = window.devicePixelRatio || 1;
      if (!ChatText.runs) ChatText.runs = new Map();
      var key = (mono ? 'm' : 's') + size.toFixed(2) + ':' + rgba + ':' + (rtl ? 'r' : 'l') + ':' + dpr + ':' + text;
      var hit = ChatText.runs.get(key);
      if (hit) return [hit, false];
      if (!mayDraw) return 'deferred';
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
      return [entry, true];
    },
  },

  chattext_measure__deps: ['$ChatText'],
  chattext_measure: function(ptr, len, mono, size) {
    var t0 = performance.now();
    var w = ChatText.measure(UTF8ToString(ptr, len), mono, size);
    ChatText.stats.measures++;
    ChatText.stats.measureMs += performance.now() - t0;
    if (!window.chatTextDebug) window.chatTextDebug = ChatText.stats;
    return w;
  },

  chattext_run__deps: ['$ChatText'],
  // 1: drawn before, 2: drawn now, 3: new but not allowed this frame, 0: cannot be drawn.
  chattext_run: function(ptr, len, mono, size, rgba, rtl, mayDraw, out) {
    if (typeof GLctx === 'undefined' || !GLctx) return 0;
    var text = UTF8ToString(ptr, len);
    var t0 = performance.now();
    var got = ChatText.run(text, mono, size, rgba >>> 0, rtl, mayDraw);
    if (got && got !== 'deferred' && got[1]) ChatText.stats.rasterMs += performance.now() - t0;
    if (got === 'deferred') return 3;
    if (!got) return 0;
    var e = got[0];
    ChatText.stats.runsDrawn++;
    if (!window.chatTextDebug) window.chatTextDebug = ChatText.stats;
    for (var i = 0; i < 8; i++) HEAPF32[(out >> 2) + i] = e[i];
    return got[1] ? 2 : 1;
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

// ---- The selectable text layer (src/ui/text_layer.h) ------------------------------------------
// A transparent copy of the visible lines over the canvas: one absolutely placed element per
// visual line, same font and size, stretched to the drawn width (like PDF.js), with a <br>
// after each so a copy puts line breaks where the lines end. The browser selects and copies
// it; pointer and wheel events that land on it are passed on to the canvas, so hovering,
// clicking and scrolling work as if it were not there.
var LibraryChatTextLayer = {
  $ChatLayer__deps: ['$ChatText', '$ChatTouch'],
  $ChatLayer: {
    root: null,
    inner: null,
    spans: null,   // Map key -> {el, br, line, lx, ly (its place inside `inner`)}
    dx: 0, dy: 0,  // the offset of `inner` (its transform, offsetCss)
    offsetCss: '',

    ensure: function() {
      if (ChatLayer.root) return;
      var canvas = Module['canvas'];
      var style = document.createElement('style');
      style.textContent =
        '.chat-text-layer{position:absolute;overflow:hidden;pointer-events:none;z-index:1}' +
        '.chat-text-layer span{position:absolute;white-space:pre;color:transparent;pointer-events:auto;' +
        'cursor:text;transform-origin:0 0;-webkit-user-select:text;user-select:text}' +
        '.chat-text-layer span::selection{background:rgba(59,130,246,0.35);color:transparent}' +
        '.chat-text-layer br::selection{background:transparent}';
      document.head.appendChild(style);
      var root = document.createElement('div');
      root.className = 'chat-text-layer';
      root.id = 'chat-text-layer';
      // For the mouse and the clipboard only: screen readers read the transcript from its list
      // twin (web/library_a11y.js), where each message starts with its author, not twice.
      root.setAttribute('aria-hidden', 'true');
      var inner = document.createElement('div');
      inner.style.position = 'absolute';
      inner.style.left = '0';
      inner.style.top = '0';
      root.appendChild(inner);
      canvas.parentNode.insertBefore(root, canvas.nextSibling);
      ChatLayer.root = root;
      ChatLayer.inner = inner;
      ChatLayer.spans = new Map();
      var forward = function(e) {
        var init = { clientX: e.clientX, clientY: e.clientY, screenX: e.screenX, screenY: e.screenY,
                     button: e.button, buttons: e.buttons, bubbles: true, cancelable: true,
                     ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, altKey: e.altKey, metaKey: e.metaKey };
        var copy;
        if (e.type === 'wheel') {
          init.deltaX = e.deltaX; init.deltaY = e.deltaY; init.deltaMode = e.deltaMode;
          copy = new WheelEvent('wheel', init);
          e.preventDefault();
        } else {
          copy = new MouseEvent(e.type, init);
        }
        canvas.dispatchEvent(copy);
        // The canvas's own pointer events ask for a frame; these copies must too (a release
        // is only seen by ImGui on the frame after the press).
        if (Module['_chat_on_input']) Module['_chat_on_input']();
      };
      ['mousemove', 'mousedown', 'mouseup', 'wheel'].forEach(function(t) {
        root.addEventListener(t, forward, { passive: false });
      });
      ChatTouch.install(root, canvas);  // swipes over text scroll like swipes over the canvas
      ChatLayer.place();
    },

    place: function() {
      var canvas = Module['canvas'];
      var r = ChatLayer.root;
      r.style.left = canvas.offsetLeft + 'px';
      r.style.top = canvas.offsetTop + 'px';
      r.style.width = canvas.clientWidth + 'px';
      r.style.height = canvas.clientHeight + 'px';
    },

    // True while the user holds a selection inside the layer: its elements must not move in
    // the DOM then (a replace only updates positions).
    selecting: function() {
      var sel = window.getSelection && window.getSelection();
      return !!(sel && sel.rangeCount && !sel.isCollapsed && ChatLayer.root.contains(sel.anchorNode));
    },

    // Lines are placed inside `inner` at their position less the container's offset (dx, dy).
    // While scrolling, the lines still shown have all moved by the same amount: the offset takes
    // that move (one transform on the container) and those lines get no style write at all;
    // only the lines that come into view are placed.
    replace: function(lines) {
      ChatLayer.ensure();
      ChatLayer.place();
      for (var f = 0; f < lines.length; f++) {  // the move of the first line still shown
        var seen = ChatLayer.spans.get(lines[f][0]);
        if (seen && seen.line) {
          ChatLayer.dx += lines[f][1] - (seen.lx + ChatLayer.dx);
          ChatLayer.dy += lines[f][2] - (seen.ly + ChatLayer.dy);
          break;
        }
      }
      // Far from the origin (a long scroll) the offsets are folded back in, so positions stay
      // exact in the browser's float transforms.
      var rebase = Math.abs(ChatLayer.dx) > 50000 || Math.abs(ChatLayer.dy) > 50000 || lines.length === 0;
      if (rebase) { ChatLayer.dx = 0; ChatLayer.dy = 0; }
      var offset = 'translate(' + ChatLayer.dx + 'px,' + ChatLayer.dy + 'px)';
      if (ChatLayer.offsetCss !== offset) {
        ChatLayer.inner.style.transform = offset;
        ChatLayer.offsetCss = offset;
      }
      var keep = new Map();
      var order = [];
      for (var i = 0; i < lines.length; i++) {
        var l = lines[i];
        var key = l[0];
        var item = ChatLayer.spans.get(key);
        if (!item) {
          var el = document.createElement('span');
          el.textContent = l[8];
          if (l[7]) el.dir = 'rtl';
          item = { el: el, br: document.createElement('br'), line: null, lx: 0, ly: 0 };
        }
        var prev = item.line;
        // The font and the stretch (a measure: the costly part) only when the line's look
        // changed; a line that only moved gets a new transform, no layout.
        if (!prev || prev[3] !== l[3] || prev[4] !== l[4] || prev[5] !== l[5] || prev[6] !== l[6]) {
          var st = item.el.style;
          st.left = '0';
          st.top = '0';
          st.height = l[4] + 'px';
          st.font = ChatText.font(l[6], l[5]);
          st.lineHeight = l[4] + 'px';
          var natural = ChatText.measure(l[8], l[6], l[5]);
          item.scale = natural > 0 && l[3] > 0 ? (l[3] / natural).toFixed(4) : '1';
          prev = null;
        }
        var lx = l[1] - ChatLayer.dx, ly = l[2] - ChatLayer.dy;
        if (!prev || rebase || Math.abs(lx - item.lx) > 0.01 || Math.abs(ly - item.ly) > 0.01) {
          item.el.style.transform = 'translate(' + lx + 'px,' + ly + 'px) scaleX(' + item.scale + ')';
          item.lx = lx;
          item.ly = ly;
        }
        item.line = l;
        keep.set(key, item);
        order.push(item);
      }
      ChatLayer.spans.forEach(function(item, key) {
        if (!keep.has(key)) { item.el.remove(); item.br.remove(); }
      });
      ChatLayer.spans = keep;
      // DOM order = reading order, so a selection runs through the lines as they are drawn.
      // While a selection is being made the existing nodes stay where they are.
      var inner = ChatLayer.inner;
      if (!ChatLayer.selecting()) {
        var at = inner.firstChild;
        for (var k = 0; k < order.length; k++) {
          var it = order[k];
          if (at !== it.el) inner.insertBefore(it.el, at);
          if (it.el.nextSibling !== it.br) inner.insertBefore(it.br, it.el.nextSibling);
          at = it.br.nextSibling;
        }
      } else {
        order.forEach(function(it) {
          if (!it.el.parentNode) { inner.appendChild(it.el); inner.appendChild(it.br); }
        });
      }
    },

    shift: function(dx, dy) {
      ChatLayer.ensure();
      ChatLayer.dx += dx;
      ChatLayer.dy += dy;
      ChatLayer.offsetCss = 'translate(' + ChatLayer.dx + 'px,' + ChatLayer.dy + 'px)';
      ChatLayer.inner.style.transform = ChatLayer.offsetCss;
    },
  },

  chattext_layer_replace__deps: ['$ChatLayer'],
  chattext_layer_replace: function(ptr) {
    var lines;
    try { lines = JSON.parse(UTF8ToString(ptr)); } catch (e) { return; }
    ChatLayer.replace(lines);
  },

  chattext_layer_shift__deps: ['$ChatLayer'],
  chattext_layer_shift: function(dx, dy) { ChatLayer.shift(dx, dy); },
};

mergeInto(LibraryManager.library, LibraryChatText);
mergeInto(LibraryManager.library, LibraryChatTextLayer);
