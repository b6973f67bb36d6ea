// The accessible twin of the canvas (src/ui/a11y_tree.h, src/web/browser_a11y.cpp), linked into
// chat.js with emcc --js-library.
//
// Every control a frame drew becomes a real DOM element laid over the canvas where it was drawn
// (so a touch screen reader finds it under the finger), in the order it was reported (the Tab
// order): <button> for buttons, toggles, switches and pickers, role=list / listitem for the
// transcript, role=status for the connection. They are transparent and let the pointer through
// (the canvas handles mouse and touch); they take the keyboard focus, show a focus ring, and a
// click on one (Enter, Space, a screen reader's double tap) asks C++ to do what a click on the
// canvas does. C++ sends only what changed: new or changed controls, moved rects, removed ids,
// and the order when it changed.
var LibraryChatA11y = {
  $ChatA11y__deps: ['$ChatDom'],
  $ChatA11y: {
    root: null,
    items: null,  // Map id -> {el, box, c}: el takes the focus (or is the container), box positions
    scale: 1,

    ensure: function() {
      if (ChatA11y.root) return;
      var style = document.createElement('style');
      style.textContent =
        '.chat-a11y{position:absolute;overflow:clip;pointer-events:none;z-index:2}' +
        '.chat-a11y-c{position:absolute;box-sizing:border-box;margin:0;padding:0;border:0;background:transparent;' +
        'color:transparent;font-size:1px;pointer-events:none;border-radius:6px;-webkit-appearance:none;appearance:none}' +
        '.chat-a11y-c:focus{outline:3px solid var(--accent);outline-offset:1px}' +
        '.chat-a11y-box{position:static}' +
        '.chat-a11y-text{position:absolute;overflow:hidden;opacity:0;white-space:pre-wrap;font-size:12px;pointer-events:none}';
      document.head.appendChild(style);
      var canvas = Module['canvas'];
      var root = document.createElement('div');
      root.className = 'chat-a11y';
      root.id = 'chat-a11y';
      canvas.parentNode.appendChild(root);
      ChatA11y.root = root;
      ChatA11y.items = new Map();
      ChatA11y.place();
    },

    place: function() {
      var canvas = Module['canvas'];
      var r = ChatA11y.root.style;
      r.left = canvas.offsetLeft + 'px';
      r.top = canvas.offsetTop + 'px';
      r.width = canvas.clientWidth + 'px';
      r.height = canvas.clientHeight + 'px';
    },

    isContainer: function(role) {
      return role === 'list' || role === 'listitem' || role === 'group' || role === 'status' || role === 'heading';
    },

    make: function(c) {
      var role = c.role, el, box;
      if (role === 'textbox') {
        el = document.getElementById(c.dom);
        if (!el) return null;
        el.style.pointerEvents = 'auto';
        return { el: el, box: null, adopted: true, c: c };
      }
      if (ChatA11y.isContainer(role)) {
        el = document.createElement('div');
        el.className = 'chat-a11y-box';
        el.setAttribute('role', role);
        if (role === 'status') el.setAttribute('aria-live', 'polite');
        if (role === 'heading') el.setAttribute('aria-level', '1');
        // The readable text sits where the item is drawn (a touch lands on it), invisible.
        if (role === 'listitem' || role === 'status' || role === 'heading') {
          box = document.createElement('span');
          box.className = 'chat-a11y-text';
          el.appendChild(box);
        }
        return { el: el, box: box || null, adopted: false, c: null };
      }
      el = document.createElement(role === 'link' ? 'a' : 'button');
      if (role === 'link') { el.setAttribute('role', 'link'); el.tabIndex = 0; } else el.type = 'button';
      if (role === 'checkbox' || role === 'switch') el.setAttribute('role', role);
      if (role === 'combobox') el.setAttribute('aria-haspopup', 'listbox');
      el.className = 'chat-a11y-c';
      var id = c.id;
      el.addEventListener('click', function(e) {
        e.preventDefault();
        ChatDom.call('chat_a11y_activate', [id]);
      });
      el.addEventListener('focus', function() { ChatDom.call('chat_a11y_focus', [id, 1]); });
      el.addEventListener('blur', function() { ChatDom.call('chat_a11y_focus', [id, 0]); });
      return { el: el, box: el, adopted: false, c: null };
    },

    setRect: function(it, r) {
      var t = it.box;
      if (!t || it.adopted) return;
      var s = ChatA11y.scale;
      t.style.left = (r[0] * s) + 'px';
      t.style.top = (r[1] * s) + 'px';
      t.style.width = Math.max(1, r[2] * s) + 'px';
      t.style.height = Math.max(1, r[3] * s) + 'px';
    },

    attr: function(el, name, value) {
      if (value === undefined || value === null || value === false && name !== 'aria-pressed' && name !== 'aria-checked' && name !== 'aria-expanded') {
        el.removeAttribute(name);
      } else {
        el.setAttribute(name, String(value));
      }
    },

    update: function(it, c) {
      var el = it.el, A = ChatA11y.attr;
      it.c = c;
      el.dataset.a11yId = c.id;
      if (it.adopted) return;
      var role = c.role;
      if (role === 'listitem' || role === 'status' || role === 'heading') {
        if (it.box.textContent !== c.name) it.box.textContent = c.name;
        A(el, 'aria-posinset', c.pos);
        A(el, 'aria-setsize', c.size);
      } else {
        A(el, 'aria-label', c.name || null);
      }
      if (role === 'toggle') A(el, 'aria-pressed', c.checked === undefined ? null : c.checked);
      if (role === 'checkbox' || role === 'switch') A(el, 'aria-checked', c.checked === undefined ? false : c.checked);
      if (c.expanded !== undefined) A(el, 'aria-expanded', c.expanded); else el.removeAttribute('aria-expanded');
      A(el, 'aria-disabled', c.disabled ? 'true' : null);
      A(el, 'aria-current', c.selected ? 'true' : null);
      A(el, 'aria-keyshortcuts', c.keys || null);
      ChatA11y.setRect(it, c.r);
    },

    // The composer has the focus when a focused twin disappears (an approval answered, a chat
    // left): typing goes on there instead of on the page's body.
    refocus: function() {
      var ta = ChatDom.composer;
      if (ta && ta.style.display !== 'none') ta.focus({ preventScroll: true });
    },

    apply: function(d) {
      ChatA11y.ensure();
      ChatA11y.place();
      var canvas = Module['canvas'];
      ChatA11y.scale = d.w > 0 ? canvas.clientWidth / d.w : 1;
      var items = ChatA11y.items;
      var active = document.activeElement;
      var lostFocus = false;
      (d.rm || []).forEach(function(id) {
        var it = items.get(id);
        if (!it) return;
        items.delete(id);
        if (it.adopted) return;  // the composer stays; it is only out of the order
        if (it.el.contains(active)) lostFocus = true;
        it.el.remove();
      });
      (d.up || []).forEach(function(c) {
        var it = items.get(c.id);
        if (it && it.c && it.c.role !== c.role) { it.el.remove(); items.delete(c.id); it = null; }
        if (!it) {
          it = ChatA11y.make(c);
          if (!it) return;
          items.set(c.id, it);
        }
        ChatA11y.update(it, c);
      });
      (d.mv || []).forEach(function(m) {
        var it = items.get(m[0]);
        if (!it) return;
        it.c.r = [m[1], m[2], m[3], m[4]];
        ChatA11y.setRect(it, it.c.r);
      });
      if (d.order) ChatA11y.arrange(d.order);
      if (lostFocus || (active && active !== document.body && !active.isConnected)) ChatA11y.refocus();
    },

    // DOM order = report order, per container. Only out-of-place nodes move (moving a node that
    // has the focus would drop it: it is given back).
    arrange: function(order) {
      var items = ChatA11y.items;
      var kids = new Map();
      order.forEach(function(id) {
        var it = items.get(id);
        if (!it) return;
        var parent = it.c.parent && items.get(it.c.parent);
        var host = parent && !parent.adopted ? parent.el : ChatA11y.root;
        if (!kids.has(host)) kids.set(host, []);
        kids.get(host).push(it.el);
      });
      var active = document.activeElement;
      kids.forEach(function(list, host) {
        var at = host.firstChild;
        if (at && at.className === 'chat-a11y-text') at = at.nextSibling;  // an item's text comes first
        for (var k = 0; k < list.length; k++) {
          var el = list[k];
          if (at !== el) host.insertBefore(el, at);
          at = el.nextSibling;
        }
      });
      if (active && active !== document.activeElement && active.isConnected) active.focus({ preventScroll: true });
    },

    focus: function(id) {
      var it = ChatA11y.items && ChatA11y.items.get(id);
      if (!it) return 0;
      it.el.focus({ preventScroll: true });
      return document.activeElement === it.el ? 1 : 0;
    },

    // The id of the twin an event target belongs to, or null when it is not one of ours.
    idOf: function(target) {
      if (!ChatA11y.root || !target || target === ChatDom.composer) return null;
      if (!ChatA11y.root.contains(target)) return null;
      return (target.dataset && target.dataset.a11yId) || '';
    },
  },

  chata11y_apply__deps: ['$ChatA11y'],
  chata11y_apply: function(json) {
    var d;
    try { d = JSON.parse(UTF8ToString(json)); } catch (e) { return; }
    ChatA11y.apply(d);
  },

  chata11y_focus__deps: ['$ChatA11y'],
  chata11y_focus: function(id) { return ChatA11y.focus(UTF8ToString(id)); },
};

mergeInto(LibraryManager.library, LibraryChatA11y);
