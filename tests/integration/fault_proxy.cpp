#include "fault_proxy.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <functional>
#include <future>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>

namespace chat::itest {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::size_t kMaxRequestHead = 16 * 1024;

bool isUpgradeRequest(const std::string& head) {
  std::string lower(head);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("upgrade: websocket") != std::string::npos;
}

}  // namespace

struct Link;

struct FaultProxy::Impl : std::enable_shared_from_this<Impl> {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;
  uint16_t targetPort = 0;
  std::set<std::shared_ptr<Link>> links;

  // Fault settings (touched on the proxy thread only).
  bool refusingNew = false;
  bool refusingUpgrades = false;
  bool paused = false;
  bool cutting = false;
  std::size_t cutMin = 0, cutMax = 0;
  int cutsLeft = 0;
  std::mt19937_64 rng;

  std::atomic<int> acceptedCount{0};
  std::atomic<int> cutCount{0};
  std::atomic<int> refusedUpgradeCount{0};

  void accept();
  std::size_t drawBudget();  // SIZE_MAX = no cut planned
  bool takeRandomCut();      // a connection used up its budget: cut it (false: no cuts left)
  void resumeAll();

  // Runs fn on the proxy thread and waits for it.
  void call(std::function<void()> fn) {
    std::promise<void> done;
    asio::post(io, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }
};

// One client connection and its upstream connection to the gateway.
struct Link : std::enable_shared_from_this<Link> {
  explicit Link(FaultProxy::Impl& proxy, tcp::socket client)
      : proxy(proxy), client(std::move(client)), upstream(proxy.io) {}

  FaultProxy::Impl& proxy;
  tcp::socket client;
  tcp::socket upstream;
  std::string head;             // the client's first request head, read before connecting up
  std::size_t budget = SIZE_MAX;  // bytes still allowed towards the client before a cut
  bool closed = false;
  // While paused, each direction parks its next write here.
  std::vector<std::function<void()>> parked;

  void start() {
    budget = proxy.drawBudget();
    readHead();
  }

  void readHead() {
    auto buffer = std::make_shared<std::array<char, 4096>>();
    client.async_read_some(asio::buffer(*buffer), [self = shared_from_this(), buffer](error_code ec,
                                                                                     std::size_t n) {
      if (self->closed) return;
      if (ec) return self->close(false);
      self->head.append(buffer->data(), n);
      if (self->head.find("\r\n\r\n") == std::string::npos && self->head.size() < kMaxRequestHead) {
        return self->readHead();
      }
      if (self->proxy.refusingUpgrades && isUpgradeRequest(self->head)) return self->refuse();
      self->connectUp();
    });
  }

  void refuse() {
    proxy.refusedUpgradeCount++;
    auto response = std::make_shared<std::string>(
        "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    asio::async_write(client, asio::buffer(*response),
                      [self = shared_from_this(), response](error_code, std::size_t) {
                        self->close(false);
                      });
  }

  void connectUp() {
    upstream.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), proxy.targetPort),
                           [self = shared_from_this()](error_code ec) {
                             if (self->closed) return;
                             if (ec) return self->close(false);
                             auto first = std::make_shared<std::string>(std::move(self->head));
                             self->forward(self->upstream, first, [self] {
                               self->pump(self->client, self->upstream, false);
                             });
                             self->pump(self->upstream, self->client, true);
                           });
  }

  // Relays from -> to forever; `toClient` counts bytes against the cut budget.
  void pump(tcp::socket& from, tcp::socket& to, bool toClient) {
    auto buffer = std::make_shared<std::array<char, 16384>>();
    from.async_read_some(asio::buffer(*buffer), [self = shared_from_this(), buffer, &from, &to,
                                                 toClient](error_code ec, std::size_t n) {
      if (self->closed) return;
      if (ec) return self->close(false);
      auto data = std::make_shared<std::string>(buffer->data(), n);
      bool cutAfter = false;
      if (toClient && self->budget != SIZE_MAX) {
        if (data->size() >= self->budget) {
          data->resize(self->budget);  // the cut lands inside this chunk (maybe mid-frame)
          cutAfter = self->proxy.takeRandomCut();
        }
        if (self->budget != SIZE_MAX) self->budget -= data->size();
      }
      self->forward(to, data, [self, &from, &to, toClient, cutAfter] {
        if (cutAfter) return self->close(true);
        self->pump(from, to, toClient);
      });
    });
  }

  void forward(tcp::socket& to, std::shared_ptr<std::string> data, std::function<void()> next) {
    auto write = [self = shared_from_this(), &to, data, next] {
      if (self->closed) return;
      asio::async_write(to, asio::buffer(*data), [self, data, next](error_code ec, std::size_t) {
        if (self->closed) return;
        if (ec) return self->close(false);
        next();
      });
    };
    if (proxy.paused) {
      parked.push_back(write);
    } else {
      write();
    }
  }

  void resume() {
    auto waiting = std::move(parked);
    parked.clear();
    for (auto& w : waiting) w();
  }

  void close(bool asCut) {
    if (closed) return;
    closed = true;
    if (asCut) proxy.cutCount++;
    error_code ignored;
    client.close(ignored);
    upstream.close(ignored);
    parked.clear();
    proxy.links.erase(shared_from_this());
  }
};

void FaultProxy::Impl::accept() {
  acceptor.async_accept([self = shared_from_this()](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
    if (!ec) {
      self->acceptedCount++;
      if (self->refusingNew) {
        error_code ignored;
        socket.close(ignored);
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        auto link = std::make_shared<Link>(*self, std::move(socket));
        self->links.insert(link);
        link->start();
      }
    }
    self->accept();
  });
}

std::size_t FaultProxy::Impl::drawBudget() {
  if (!cutting || cutsLeft <= 0) return SIZE_MAX;
  std::uniform_int_distribution<std::size_t> pick(cutMin, cutMax);
  return pick(rng);
}

bool FaultProxy::Impl::takeRandomCut() {
  if (!cutting || cutsLeft <= 0) return false;
  if (--cutsLeft == 0) {
    // That was the last one: every other connection runs free from now on.
    cutting = false;
    for (auto& link : links) link->budget = SIZE_MAX;
  }
  return true;
}

void FaultProxy::Impl::resumeAll() {
  auto snapshot = links;
  for (auto& link : snapshot) link->resume();
}

FaultProxy::FaultProxy(uint16_t targetPort) : impl_(std::make_shared<Impl>()) {
  impl_->targetPort = targetPort;
  tcp::endpoint endpoint(asio::ip::address_v4::loopback(), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->accept();
  impl_->thread = std::thread([impl = impl_] { impl->io.run(); });
}

FaultProxy::~FaultProxy() {
  impl_->call([impl = impl_.get()] {
    error_code ignored;
    impl->acceptor.close(ignored);
    auto snapshot = impl->links;
    for (auto& link : snapshot) link->close(false);
  });
  impl_->io.stop();
  impl_->thread.join();
  // Drain the handlers still queued (all of them see closed sockets and return), so none keeps
  // holding the Impl they point to.
  impl_->io.restart();
  impl_->io.run();
}

uint16_t FaultProxy::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string FaultProxy::wsUrl() const { return "ws://127.0.0.1:" + std::to_string(port()) + "/gateway"; }

std::string FaultProxy::apiBase() const { return "http://127.0.0.1:" + std::to_string(port()) + "/api"; }

void FaultProxy::setTarget(uint16_t port) {
  impl_->call([impl = impl_.get(), port] { impl->targetPort = port; });
}

void FaultProxy::cutAll() {
  impl_->call([impl = impl_.get()] {
    auto snapshot = impl->links;
    for (auto& link : snapshot) link->close(true);
  });
}

void FaultProxy::cutAtRandom(uint64_t seed, std::size_t minBytes, std::size_t maxBytes, int maxCuts) {
  impl_->call([impl = impl_.get(), seed, minBytes, maxBytes, maxCuts] {
    impl->rng.seed(seed);
    impl->cutting = true;
    impl->cutMin = std::min(minBytes, maxBytes);
    impl->cutMax = std::max(minBytes, maxBytes);
    impl->cutsLeft = maxCuts;
    // Connections already open get a budget too: the first cut may hit the live socket.
    for (auto& link : impl->links) {
      if (link->budget == SIZE_MAX) link->budget = impl->drawBudget();
    }
  });
}

void FaultProxy::stopCutting() {
  impl_->call([impl = impl_.get()] {
    impl->cutting = false;
    for (auto& link : impl->links) link->budget = SIZE_MAX;
  });
}

void FaultProxy::refuseNew(bool on) {
  impl_->call([impl = impl_.get(), on] { impl->refusingNew = on; });
}

void FaultProxy::refuseUpgrades(bool on) {
  impl_->call([impl = impl_.get(), on] { impl->refusingUpgrades = on; });
}

void FaultProxy::pause(bool on) {
  impl_->call([impl = impl_.get(), on] {
    impl->paused = on;
    if (!on) impl->resumeAll();
  });
}

int FaultProxy::accepted() const { return impl_->acceptedCount; }
int FaultProxy::cuts() const { return impl_->cutCount; }
int FaultProxy::refusedUpgrades() const { return impl_->refusedUpgradeCount; }

}  // namespace chat::itest
