#include "tls_front.h"

#include <array>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

namespace chat::itest {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Runs `command` (output to `log`); on failure says which command failed, and how.
bool run(const std::string& command, const std::string& log, std::string* error) {
  if (std::system((command + " >'" + log + "' 2>&1").c_str()) == 0) return true;
  std::ifstream in(log);
  std::stringstream out;
  out << in.rdbuf();
  *error = "failed: " + command + "\n" + out.str();
  return false;
}

// Relays one accepted TLS connection to the backend and back, both directions at once, on the
// front's single io_context thread (so the TLS stream is never used from two threads).
class Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay(asio::ssl::stream<tcp::socket> tls, tcp::socket backend, std::atomic<int>& failed)
      : tls_(std::move(tls)), backend_(std::move(backend)), failed_(failed) {}

  void start(uint16_t backendPort) {
    auto self = shared_from_this();
    tls_.async_handshake(asio::ssl::stream_base::server, [self, backendPort](boost::system::error_code ec) {
      if (ec) {
        ++self->failed_;
        return;
      }
      self->backend_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), backendPort),
                                   [self](boost::system::error_code ec2) {
                                     if (ec2) return self->close();
                                     self->fromClient();
                                     self->fromBackend();
                                   });
    });
  }

 private:
  void fromClient() {
    auto self = shared_from_this();
    tls_.async_read_some(asio::buffer(up_), [self](boost::system::error_code ec, std::size_t n) {
      if (ec) return self->close();
      asio::async_write(self->backend_, asio::buffer(self->up_.data(), n),
                        [self](boost::system::error_code ec2, std::size_t) {
                          if (ec2) return self->close();
                          self->fromClient();
                        });
    });
  }
  void fromBackend() {
    auto self = shared_from_this();
    backend_.async_read_some(asio::buffer(down_), [self](boost::system::error_code ec, std::size_t n) {
      if (ec) return self->close();
      asio::async_write(self->tls_, asio::buffer(self->down_.data(), n),
                        [self](boost::system::error_code ec2, std::size_t) {
                          if (ec2) return self->close();
                          self->fromBackend();
                        });
    });
  }
  void close() {
    boost::system::error_code ignored;
    tls_.lowest_layer().close(ignored);
    backend_.close(ignored);
  }

  asio::ssl::stream<tcp::socket> tls_;
  tcp::socket backend_;
  std::atomic<int>& failed_;
  std::array<char, 16384> up_{};
  std::array<char, 16384> down_{};
};

}  // namespace

TestPki makeTestPki(const std::string& dir, const std::string& name) {
  TestPki p;
  const std::string base = dir + "/" + name;
  p.caCert = base + "-ca.pem";
  p.serverCert = base + "-server.pem";
  p.serverKey = base + "-server.key";
  const std::string caKey = base + "-ca.key", csr = base + "-server.csr", ext = base + "-ext.cnf";
  const std::string log = base + "-openssl.log";
  std::ofstream(ext) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  if (!run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=" + name +
               " test CA' -keyout '" + caKey + "' -out '" + p.caCert + "'",
           log, &p.error))
    return p;
  if (!run("openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout '" + p.serverKey +
               "' -out '" + csr + "'",
           log, &p.error))
    return p;
  if (!run("openssl x509 -req -in '" + csr + "' -CA '" + p.caCert + "' -CAkey '" + caKey +
               "' -CAcreateserial -days 2 -extfile '" + ext + "' -out '" + p.serverCert + "'",
           log, &p.error))
    return p;
  // What the gateway will check, checked first with openssl's own verifier.
  run("openssl verify -CAfile '" + p.caCert + "' -verify_ip 127.0.0.1 '" + p.serverCert + "'", log, &p.error);
  return p;
}

struct TlsFront::Impl {
  asio::io_context ioc;
  asio::ssl::context ssl{asio::ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  std::atomic<int> failed{0};
  uint16_t backendPort = 0;

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto relay = std::make_shared<Relay>(asio::ssl::stream<tcp::socket>(std::move(socket), ssl),
                                           tcp::socket(ioc), failed);
      relay->start(backendPort);
      accept();
    });
  }
};

TlsFront::TlsFront(const TestPki& pki, uint16_t backendPort) : impl_(std::make_unique<Impl>()) {
  impl_->backendPort = backendPort;
  impl_->ssl.use_certificate_chain_file(pki.serverCert);
  impl_->ssl.use_private_key_file(pki.serverKey, asio::ssl::context::pem);
  tcp::endpoint at(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(at.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(at);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

TlsFront::~TlsFront() {
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int TlsFront::failedHandshakes() const { return impl_->failed.load(); }

}  // namespace chat::itest
