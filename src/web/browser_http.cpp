#include "web/browser_http.h"

#include <cstring>
#include <vector>

#include <emscripten.h>
#include <emscripten/fetch.h>

namespace chat::web {

// Aborts the XHR behind an emscripten_fetch (see the header for why).
EM_JS(void, chat_fetch_abort_xhr, (unsigned int id), {
  try {
    var xhr = (typeof Fetch !== 'undefined' && Fetch.xhrs) ? Fetch.xhrs[id - 1] : null;
    if (xhr) {
      xhr.onload = xhr.onerror = xhr.ontimeout = xhr.onprogress = xhr.onreadystatechange = null;
      xhr.abort();
    }
  } catch (e) {
  }
});

struct BrowserHttp::Pending {
  BrowserHttp* owner = nullptr;
  RequestId id = 0;
  emscripten_fetch_t* fetch = nullptr;
  std::function<void(const Response&)> done;
  bool cancelled = false;
  std::string error;  // for failLater
  // Kept alive until the request completes: emscripten_fetch keeps pointers to them.
  std::string body;
  std::string url;
};

namespace {

void onSuccess(emscripten_fetch_t* f);
void onError(emscripten_fetch_t* f);

void complete(emscripten_fetch_t* f, bool ok) {
  auto* p = static_cast<BrowserHttp::Pending*>(f->userData);
  if (!p || p->cancelled) return;  // cancel() closes the fetch and deletes p itself
  net::HttpTransport::Response r;
  // A finished HTTP error (4xx/5xx) still has a status; network errors and timeouts have 0.
  r.status = (f->status >= 100 && f->status < 600) ? f->status : 0;
  if (f->data && f->numBytes > 0) r.body.assign(f->data, static_cast<std::size_t>(f->numBytes));
  if (r.status == 0) r.error = ok ? "no response" : (f->statusText[0] ? f->statusText : "network error");
  (void)ok;
  p->fetch = nullptr;
  emscripten_fetch_close(f);  // done: no callback from this
  p->owner->finish(p, r);
}

void onSuccess(emscripten_fetch_t* f) { complete(f, true); }
void onError(emscripten_fetch_t* f) { complete(f, false); }

void failNow(void* arg) {
  auto* p = static_cast<BrowserHttp::Pending*>(arg);
  if (p->cancelled) {
    delete p;
    return;
  }
  net::HttpTransport::Response r;
  r.error = p->error;
  p->owner->finish(p, r);
}

}  // namespace

BrowserHttp::~BrowserHttp() {
  for (auto& [id, p] : pending_) {
    p->cancelled = true;
    if (p->fetch) {
      chat_fetch_abort_xhr(p->fetch->id);
      emscripten_fetch_close(p->fetch);
      delete p;
    }
    // a failLater pending is deleted by its async callback
  }
}

void BrowserHttp::finish(Pending* p, const Response& r) {
  pending_.erase(p->id);
  auto done = std::move(p->done);
  auto after = afterEvent_;
  delete p;
  if (done) done(r);
  if (after) after();
}

void BrowserHttp::failLater(Pending* p, const std::string& error) {
  p->error = error;
  emscripten_async_call(failNow, p, 0);
}

net::HttpTransport::RequestId BrowserHttp::request(const Request& req,
                                                   std::function<void(const Response&)> done) {
  auto* p = new Pending;
  p->owner = this;
  p->id = nextId_++;
  p->done = std::move(done);
  pending_[p->id] = p;

  if (req.method.empty() || req.method.size() >= 32 || req.url.empty()) {
    failLater(p, "bad request");
    return p->id;
  }

  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, req.method.c_str(), sizeof(attr.requestMethod) - 1);
  // REPLACE: straight to the network, never through emscripten's IndexedDB cache (which would
  // also make the request start asynchronously).
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY | EMSCRIPTEN_FETCH_REPLACE;
  attr.onsuccess = onSuccess;
  attr.onerror = onError;
  attr.userData = p;
  attr.timeoutMSecs = req.timeoutMs > 0 ? static_cast<unsigned long>(req.timeoutMs) : 60000;

  // Header strings and the body are read synchronously by emscripten_fetch.
  std::vector<const char*> headers;
  for (const auto& [k, v] : req.headers) {
    headers.push_back(k.c_str());
    headers.push_back(v.c_str());
  }
  headers.push_back(nullptr);
  attr.requestHeaders = headers.data();
  p->body = req.body;
  p->url = req.url;
  if (!p->body.empty()) {
    attr.requestData = p->body.data();
    attr.requestDataSize = p->body.size();
  }
  p->fetch = emscripten_fetch(&attr, p->url.c_str());
  if (!p->fetch) failLater(p, "could not start the request");
  return p->id;
}

void BrowserHttp::cancel(RequestId id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  Pending* p = it->second;
  pending_.erase(it);
  p->cancelled = true;
  if (p->fetch) {
    emscripten_fetch_t* f = p->fetch;
    p->fetch = nullptr;
    chat_fetch_abort_xhr(f->id);
    emscripten_fetch_close(f);  // calls onError synchronously, which sees `cancelled`
    delete p;
  }
  // else: a failLater is queued; its callback sees `cancelled` and deletes p.
}

}  // namespace chat::web
