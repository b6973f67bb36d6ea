// The browser side of the chat client, linked into chat.js with emcc --js-library.
//
// C++ decides (config, embed policy, what to announce, snapshot JSON, sign-in); this file only
// touches the DOM: the composer <textarea> and the sign-in <input> laid over the canvas, the
// screen-reader live regions, the
// clipboard, window.chatClient, postMessage, and the browser events the client reacts to.
// Exports called from here (_chat_*) are defined in src/app/js_exports.cpp.

var LibraryChat = {
  // ---- Touch: swipe scrolling with momentum (issue 12) ---------------------------------------
  // Emscripten's GLFW presses the mouse button on touchstart but never moves the cursor to the
  // finger (its touch positions are read only for SDL), so the list scrolled only when the last
  // tap had been inside it. Here the cursor is moved to the finger first, a swipe scrolls the
  // window under it and keeps going with momentum after the finger lifts, and neither the end
  // of a swipe nor the tap that stops a moving list is a click.
  $ChatTouch: {
    y: 0, t: 0, v: 0, startX: 0, startY: 0, x: 0, moved: false, fling: 0, swallow: false,

    mouse: function(canvas, type, x, y) {
      canvas.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y, bubbles: true, button: 0 }));
    },

    stopFling: function() {
      if (ChatTouch.fling) cancelAnimationFrame(ChatTouch.fling);
      ChatTouch.fling = 0;
    },

    // The finger's last speed (px/ms), decaying with a 325 ms time constant (iOS-like).
    startFling: function() {
      var last = performance.now();
      var step = function(now) {
        var dt = Math.min(50, Math.max(0, now - last));
        last = now;
        ChatTouch.v *= Math.exp(-dt / 325);
        if (Math.abs(ChatTouch.v) < 0.03) { ChatTouch.fling = 0; return; }
        Module['_chat_on_touch_scroll'](ChatTouch.v * dt);
        ChatTouch.fling = requestAnimationFrame(step);
      };
      ChatTouch.fling = requestAnimationFrame(step);
    },

    // Registered before GLFW's listeners (chatjs_init runs before glfwInit), so it can keep a
    // touch from reaching GLFW as a press or a release.
    // `target` gets the listeners (the canvas, or the text layer over it); the synthetic mouse
    // events go to the canvas.
    install: function(target, canvas) {
      canvas = canvas || target;
      var T = ChatTouch;
      target.addEventListener('touchstart', function(e) {
        if (e.touches.length !== 1) return;
        var t = e.touches[0];
        var wasMoving = T.fling !== 0;
        T.stopFling();
        T.startX = T.x = t.clientX;
        T.startY = T.y = t.clientY;
        T.t = e.timeStamp;
        T.v = 0;
        T.moved = false;
        T.swallow = wasMoving;
        T.mouse(canvas, 'mousemove', t.clientX, t.clientY);
        if (wasMoving) {  // this tap only stops the list
          e.stopImmediatePropagation();
          e.preventDefault();
        }
      }, { capture: true, passive: false });
      target.addEventListener('touchmove', function(e) {
        if (e.touches.length !== 1) return;
        var t = e.touches[0];
        var dy = t.clientY - T.y;
        var dt = Math.max(1, e.timeStamp - T.t);
        if (!T.moved && Math.abs(t.clientY - T.startY) + Math.abs(t.clientX - T.startX) > 8) T.moved = true;
        if (T.moved) {
          Module['_chat_on_touch_scroll'](dy);
          T.v = 0.8 * (dy / dt) + 0.2 * T.v;
        }
        T.x = t.clientX;
        T.y = t.clientY;
        T.t = e.timeStamp;
        e.preventDefault();
      }, { capture: true, passive: false });
      var end = function(e) {
        if (T.swallow) {
          e.stopImmediatePropagation();
          e.preventDefault();
        } else if (T.moved) {
          // Release the button away from every widget (no click), then put the cursor back
          // under the finger so the momentum scrolls the same list.
          e.stopImmediatePropagation();
          e.preventDefault();
          T.mouse(canvas, 'mousemove', -10000, -10000);
          T.mouse(canvas, 'mouseup', -10000, -10000);
          T.mouse(canvas, 'mousemove', T.x, T.y);
          var still = e.timeStamp - T.t;
          window.chatTouchDebug = { lastLiftMs: still, v: T.v, flings: (window.chatTouchDebug || {}).flings || 0 };
          if (still < 100) {  // a finger that stopped before lifting does not fling
            window.chatTouchDebug.flings++;
            T.startFling();
          }
        }
        T.swallow = false;
      };
      target.addEventListener('touchend', end, { capture: true, passive: false });
      target.addEventListener('touchcancel', end, { capture: true, passive: false });
    },
  },

  $ChatDom: {
    composer: null,
    signIn: null,
    log: null,
    alert: null,
    listeners: {},
    readyFired: false,
    composing: false,

    // Lays a DOM field over the canvas rect (CSS pixels relative to the canvas) where the view
    // drew its frame, and shows it.
    place: function(el, x, y, w, h) {
      var canvas = Module['canvas'];
      // Beside the canvas, or inside the accessible twin's layer (which sits where the canvas does).
      var beside = el.parentNode === canvas.parentNode;
      el.style.display = 'block';
      el.style.left = ((beside ? canvas.offsetLeft : 0) + x) + 'px';
      el.style.top = ((beside ? canvas.offsetTop : 0) + y) + 'px';
      el.style.width = w + 'px';
      el.style.height = h + 'px';
    },

    // Calls an exported C function with JS strings; returns the C string result as a JS string
    // when asString is set.
    call: function(name, args, asString) {
      var ptrs = [];
      var cargs = args.map(function(a) {
        if (typeof a === 'string') {
          var n = lengthBytesUTF8(a) + 1;
          var p = _malloc(n);
          stringToUTF8(a, p, n);
          ptrs.push(p);
          return p;
        }
        return a;
      });
      var r;
      try {
        r = Module['_' + name].apply(null, cargs);
      } finally {
        ptrs.forEach(function(p) { _free(p); });
      }
      return asString ? (r ? UTF8ToString(r) : '') : r;
    },

    emit: function(type, payload) {
      var list = ChatDom.listeners[type] || [];
      list.slice().forEach(function(cb) {
        try { cb(payload); } catch (e) { console.warn('chatClient listener for "' + type + '" threw:', e); }
      });
    },

    input: function() { if (Module['_chat_on_input']) Module['_chat_on_input'](); },

    // The composer: a real textarea over the composer area ImGui draws, for paste, IME and
    // virtual keyboards.
    makeComposer: function(host) {
      var ta = document.createElement('textarea');
      ta.id = 'chat-composer';
      ta.className = 'chat-composer';
      ta.rows = 1;
      ta.placeholder = 'Message';
      ta.setAttribute('aria-label', 'Message');
      ta.setAttribute('autocomplete', 'off');
      ta.setAttribute('spellcheck', 'true');
      ta.style.display = 'none';
      ta.addEventListener('input', function() {
        ChatDom.call('chat_composer_input', [ta.value]);
      });
      ta.addEventListener('compositionstart', function() { ChatDom.composing = true; });
      ta.addEventListener('compositionend', function() {
        ChatDom.composing = false;
        ChatDom.call('chat_composer_input', [ta.value]);
      });
      ta.addEventListener('focus', function() { ChatDom.call('chat_composer_focus', [1]); });
      ta.addEventListener('blur', function() { ChatDom.call('chat_composer_focus', [0]); });
      host.appendChild(ta);
      return ta;
    },

    // The sign-in field: a password input over the sign-in panel ImGui draws (paste and password
    // managers work there). Its value never goes into the URL; C++ hands it to the engine.
    makeSignIn: function(host) {
      var el = document.createElement('input');
      el.id = 'chat-signin';
      el.className = 'chat-signin';
      el.type = 'password';
      el.placeholder = 'Token or PIN';
      el.setAttribute('aria-label', 'Token or PIN');
      el.setAttribute('autocomplete', 'off');
      el.setAttribute('autocapitalize', 'off');
      el.setAttribute('spellcheck', 'false');
      el.setAttribute('enterkeyhint', 'go');
      el.style.display = 'none';
      el.addEventListener('input', function() { ChatDom.call('chat_signin_input', [el.value]); });
      el.addEventListener('compositionstart', function() { ChatDom.signInComposing = true; });
      el.addEventListener('compositionend', function() {
        ChatDom.signInComposing = false;
        ChatDom.call('chat_signin_input', [el.value]);
      });
      el.addEventListener('focus', function() { ChatDom.call('chat_signin_focus', [1]); });
      el.addEventListener('blur', function() { ChatDom.call('chat_signin_focus', [0]); });
      host.appendChild(el);
      return el;
    },
    signInComposing: false,

    // The sidebar's one-line fields ("search", "rename": a chat's new title), made on first
    // use and laid over the frames the view draws; edits, focus and keys go back by name.
    fields: {},
    fieldComposing: false,
    field: function(name) {
      var el = ChatDom.fields[name];
      if (el) return el;
      el = document.createElement('input');
      el.type = 'text';
      el.id = 'chat-field-' + name;
      el.className = 'chat-field';
      var label = name === 'search' ? 'Search chats' : 'Chat title';
      if (name === 'search') el.placeholder = 'Search chats';
      el.setAttribute('aria-label', label);
      el.setAttribute('autocomplete', 'off');
      el.setAttribute('spellcheck', 'false');
      el.style.display = 'none';
      el.chatFieldName = name;
      el.addEventListener('input', function() { ChatDom.call('chat_field_input', [name, el.value]); });
      el.addEventListener('compositionstart', function() { ChatDom.fieldComposing = true; });
      el.addEventListener('compositionend', function() {
        ChatDom.fieldComposing = false;
        ChatDom.call('chat_field_input', [name, el.value]);
      });
      el.addEventListener('focus', function() { ChatDom.call('chat_field_focus', [name, 1]); });
      el.addEventListener('blur', function() { ChatDom.call('chat_field_focus', [name, 0]); });
      var canvas = Module['canvas'];
      (canvas && canvas.parentNode ? canvas.parentNode : document.body).appendChild(el);
      ChatDom.fields[name] = el;
      return el;
    },

    // Keys typed into the composer or the sign-in field belong to them. Emscripten's GLFW listens
    // for keys on window in the capture phase and cancels Backspace/Tab there; this listener is
    // registered first (before glfwInit) and keeps their keys away from it.
    onKey: function(e) {
      var fname = e.target && e.target.chatFieldName;
      if (fname && ChatDom.fields[fname] === e.target) {
        e.stopImmediatePropagation();
        if (e.type !== 'keydown') return;
        var handled = ChatDom.call('chat_field_key',
            [fname, e.key || '', (e.isComposing || ChatDom.fieldComposing) ? 1 : 0]);
        if (handled === 1) e.preventDefault();
        return;
      }
      var si = ChatDom.signIn;
      if (si && e.target === si) {
        e.stopImmediatePropagation();
        if (e.type !== 'keydown') return;
        var submit = ChatDom.call('chat_signin_key',
            [e.key || '', (e.isComposing || ChatDom.signInComposing) ? 1 : 0, e.keyCode | 0]);
        if (submit === 1) e.preventDefault();
        return;
      }
      var ta = ChatDom.composer;
      var mods = (e.shiftKey ? 1 : 0) | ((e.ctrlKey || e.metaKey) ? 2 : 0) | (e.altKey ? 4 : 0);
      if (!ta || e.target !== ta) {
        // A key on one of the canvas's accessible twins (web/library_a11y.js) is theirs (Tab,
        // Enter, Space, A/D/S on an approval), kept from GLFW, which would cancel Tab. On the
        // page itself the shortcuts that work everywhere (Alt+A, Escape) come first.
        var twin = typeof ChatA11y !== 'undefined' ? ChatA11y.idOf(e.target) : null;
        if (twin !== null) e.stopImmediatePropagation();
        var onPage = twin !== null || e.target === document.body || e.target === Module['canvas'];
        // Tab from the page itself moves the browser's focus into the twins (GLFW would cancel it
        // and move ImGui's own highlight instead, which no screen reader follows).
        if (onPage && e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey) e.stopImmediatePropagation();
        if (onPage && e.type === 'keydown' &&
            ChatDom.call('chat_a11y_key', [twin || '', e.key || '', e.code || '', mods | (e.isComposing ? 8 : 0), e.keyCode | 0]) === 1) {
          e.preventDefault();
          e.stopImmediatePropagation();
          return;
        }
        ChatDom.input();
        return;
      }
      e.stopImmediatePropagation();
      if (e.type !== 'keydown') return;
      var action = ChatDom.call('chat_composer_key',
          [e.key || '', e.code || '', mods | ((e.isComposing || ChatDom.composing) ? 8 : 0), e.keyCode | 0]);
      if (action === 1 || action === 2) e.preventDefault();
    },

    liveRegion: function(politeness, role) {
      var d = document.createElement('div');
      d.className = 'chat-sr-only';
      d.setAttribute('role', role);
      d.setAttribute('aria-live', politeness);
      d.setAttribute('aria-relevant', 'additions');
      document.body.appendChild(d);
      return d;
    },
  },

  chatjs_init__deps: ['$ChatTouch', '$ChatDom'],
  chatjs_init: function() {
    var canvas = Module['canvas'] || document.getElementById('canvas');
    var host = canvas.parentNode || document.body;
    ChatDom.composer = ChatDom.makeComposer(host);
    ChatDom.signIn = ChatDom.makeSignIn(host);
    // The sidebar's fields exist from the start (hidden): the accessible twin adopts them by id
    // in the frame that first reports them, before they are first laid out.
    ChatDom.field('search');
    ChatDom.field('rename');
    ChatDom.log = ChatDom.liveRegion('polite', 'log');
    ChatDom.log.setAttribute('aria-label', 'Chat messages');
    ChatDom.alert = ChatDom.liveRegion('assertive', 'alert');

    ['keydown', 'keyup', 'keypress'].forEach(function(t) {
      window.addEventListener(t, ChatDom.onKey, true);
    });
    ['pointerdown', 'pointerup', 'pointermove', 'wheel', 'touchstart', 'touchmove', 'touchend', 'mouseleave']
      .forEach(function(t) { canvas.addEventListener(t, ChatDom.input, { passive: true, capture: true }); });
    ChatTouch.install(canvas);
    // A click on the canvas outside the composer (or the sign-in field) moves focus away from
    // it, so keyboard navigation reaches the ImGui widgets again.
    canvas.addEventListener('pointerdown', function() {
      var a = document.activeElement;
      if (a === ChatDom.composer || a === ChatDom.signIn || (a && a.chatFieldName)) a.blur();
    }, true);
    canvas.addEventListener('contextmenu', function(e) { e.preventDefault(); });

    var resized = function() { Module['_chat_on_resize'](); };
    window.addEventListener('resize', resized);
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(resized).observe(host);

    window.addEventListener('online', function() { Module['_chat_on_online'](1); });
    window.addEventListener('offline', function() { Module['_chat_on_online'](0); });
    document.addEventListener('visibilitychange', function() {
      Module['_chat_on_visible'](document.visibilityState === 'visible' ? 1 : 0);
    });
    if (window.matchMedia) {
      var mq = window.matchMedia('(prefers-color-scheme: dark)');
      var schemeChanged = function() { Module['_chat_on_color_scheme'](mq.matches ? 1 : 0); };
      if (mq.addEventListener) mq.addEventListener('change', schemeChanged);
      else if (mq.addListener) mq.addListener(schemeChanged);
    }

    // postMessage from an embedding page: C++ checks origin, source and the allowlist.
    window.addEventListener('message', function(e) {
      var text;
      try { text = typeof e.data === 'string' ? e.data : JSON.stringify(e.data); } catch (err) { return; }
      if (typeof text !== 'string' || text.length > 262144) return;
      ChatDom.call('chat_on_host_message', [String(e.origin || ''), e.source === window.parent && window.parent !== window ? 1 : 0, text]);
    });
  },

  chatjs_location: function(part) {
    var s = part === 0 ? location.origin : part === 1 ? location.search : location.hash;
    var n = lengthBytesUTF8(s || '') + 1;
    var p = _malloc(n);
    stringToUTF8(s || '', p, n);
    return p;
  },

  // The secret came in the fragment: take it out of the address bar (and history).
  chatjs_strip_fragment: function() {
    try { history.replaceState(history.state, '', location.pathname + location.search); } catch (e) {}
  },

  chatjs_set_composer_rect__deps: ['$ChatDom'],
  chatjs_set_composer_rect: function(x, y, w, h, visible) {
    var ta = ChatDom.composer;
    if (!ta) return;
    if (!visible || w < 4 || h < 4) { ta.style.display = 'none'; return; }
    ChatDom.place(ta, x, y, w, h);
  },

  chatjs_focus_composer__deps: ['$ChatDom'],
  chatjs_focus_composer: function() {
    if (ChatDom.composer && ChatDom.composer.style.display !== 'none') ChatDom.composer.focus();
  },

  chatjs_set_composer_text__deps: ['$ChatDom'],
  chatjs_set_composer_text: function(text) {
    if (ChatDom.composer) ChatDom.composer.value = UTF8ToString(text);
  },

  chatjs_set_signin_rect__deps: ['$ChatDom'],
  chatjs_set_signin_rect: function(x, y, w, h, visible) {
    var el = ChatDom.signIn;
    if (!el) return;
    if (!visible || w < 4 || h < 4) {
      if (el.style.display === 'none') return;
      var hadFocus = document.activeElement === el;
      el.style.display = 'none';
      // Signed in: typing goes on in the composer.
      if (hadFocus && ChatDom.composer && ChatDom.composer.style.display !== 'none') ChatDom.composer.focus();
      return;
    }
    ChatDom.place(el, x, y, w, h);
  },

  chatjs_focus_signin__deps: ['$ChatDom'],
  chatjs_focus_signin: function() {
    if (ChatDom.signIn && ChatDom.signIn.style.display !== 'none') ChatDom.signIn.focus();
  },

  chatjs_set_signin_text__deps: ['$ChatDom'],
  chatjs_set_signin_text: function(text) {
    if (ChatDom.signIn) ChatDom.signIn.value = UTF8ToString(text);
  },

  chatjs_field_place__deps: ['$ChatDom'],
  chatjs_field_place: function(name, x, y, w, h, visible) {
    var el = ChatDom.field(UTF8ToString(name));
    if (!visible || w < 4 || h < 4) {
      if (el.style.display === 'none') return;
      var hadFocus = document.activeElement === el;
      el.style.display = 'none';
      if (hadFocus && ChatDom.composer && ChatDom.composer.style.display !== 'none') ChatDom.composer.focus();
      return;
    }
    ChatDom.place(el, x, y, w, h);
  },

  chatjs_field_focus__deps: ['$ChatDom'],
  chatjs_field_focus: function(name) {
    var el = ChatDom.fields[UTF8ToString(name)];
    if (el && el.style.display !== 'none') {
      el.focus();
      el.select();
    }
  },

  chatjs_field_set_text__deps: ['$ChatDom'],
  chatjs_field_set_text: function(name, text) {
    ChatDom.field(UTF8ToString(name)).value = UTF8ToString(text);
  },

  chatjs_set_theme: function(dark) {
    document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light');
  },

  // A touch screen without a mouse (pointer: coarse): the view makes its targets 44 px.
  chatjs_pointer_coarse: function() {
    return (window.matchMedia && window.matchMedia('(pointer: coarse)').matches) ? 1 : 0;
  },

  chatjs_prefers_dark: function() {
    return (window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches) ? 1 : 0;
  },

  chatjs_copy: function(text) {
    var s = UTF8ToString(text);
    var fallback = function() {
      var ta = document.createElement('textarea');
      ta.value = s;
      ta.setAttribute('readonly', '');
      ta.style.position = 'fixed';
      ta.style.opacity = '0';
      document.body.appendChild(ta);
      ta.select();
      try { document.execCommand('copy'); } catch (e) {}
      document.body.removeChild(ta);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(s).catch(fallback);
    } else {
      fallback();
    }
  },

  chatjs_announce__deps: ['$ChatDom'],
  chatjs_announce: function(text, assertive) {
    var region = assertive ? ChatDom.alert : ChatDom.log;
    if (!region) return;
    var d = document.createElement('div');
    d.textContent = UTF8ToString(text);
    region.appendChild(d);
    while (region.childNodes.length > 50) region.removeChild(region.firstChild);
  },

  chatjs_publish__deps: ['$ChatDom'],
  chatjs_publish: function(type, json) {
    var t = UTF8ToString(type);
    var payload;
    try { payload = JSON.parse(UTF8ToString(json)); } catch (e) { return; }
    if (t === 'ready') ChatDom.readyFired = true;
    ChatDom.emit(t, payload);
  },

  chatjs_post_parent: function(origin, json) {
    if (window.parent === window) return;
    try { window.parent.postMessage(JSON.parse(UTF8ToString(json)), UTF8ToString(origin)); } catch (e) {}
  },

  chatjs_show_error: function(text) {
    var msg = UTF8ToString(text);
    if (typeof Module['showError'] === 'function') Module['showError'](msg);
    else console.error(msg);
  },

  // window.chatClient: the page's JS API.
  chatjs_expose_api__deps: ['$ChatDom'],
  chatjs_expose_api: function() {
    var api = {
      send: function(text) { return ChatDom.call('chat_api_send', [String(text)], true); },
      cancel: function() { return ChatDom.call('chat_api_cancel', [], true); },
      respondToApproval: function(toolCallId, approved, sessionApprove) {
        return ChatDom.call('chat_api_respond', [String(toolCallId), approved ? 1 : 0, sessionApprove ? 1 : 0], true);
      },
      snapshot: function() { return JSON.parse(ChatDom.call('chat_api_snapshot', [], true)); },
      on: function(event, cb) {
        if (typeof cb !== 'function') return function() {};
        var list = ChatDom.listeners[event] || (ChatDom.listeners[event] = []);
        list.push(cb);
        // 'ready' is sticky: a late subscriber still hears it.
        if (event === 'ready' && ChatDom.readyFired) {
          setTimeout(function() { try { cb(api.snapshot()); } catch (e) {} }, 0);
        }
        return function off() {
          var i = list.indexOf(cb);
          if (i >= 0) list.splice(i, 1);
        };
      },
      newSession: function() { return ChatDom.call('chat_api_new_session', [], true); },
      switchSession: function(id) { return ChatDom.call('chat_api_switch_session', [String(id)], true); },
      retryNow: function() { ChatDom.call('chat_api_retry_now', []); },
      setTheme: function(t) { return !!ChatDom.call('chat_api_set_theme', [String(t)]); },
      setToken: function(token) { ChatDom.call('chat_api_set_credentials', [String(token), '']); },
      setPin: function(pin) { ChatDom.call('chat_api_set_credentials', ['', String(pin)]); },
      debug: {
        get framesRendered() { return JSON.parse(ChatDom.call('chat_api_debug', [], true)).framesRendered; },
        get lastFrameMs() { return JSON.parse(ChatDom.call('chat_api_debug', [], true)).lastFrameMs; },
        info: function() { return JSON.parse(ChatDom.call('chat_api_debug', [], true)); },
        // Where a widget was drawn last frame, in CSS px relative to the canvas, or null.
        itemRect: function(id) {
          var r = JSON.parse(ChatDom.call('chat_api_item_rect', [String(id)], true));
          return r && r.w > 0 ? r : null;
        },
      },
    };
    window.chatClient = api;
  },
};

autoAddDeps(LibraryChat, '$ChatDom');
mergeInto(LibraryManager.library, LibraryChat);
