// A TLS front for tests: accepts TLS on 127.0.0.1 (any free port) with a certificate made for
// the test, and relays each connection's bytes to a plain TCP backend (the fake upstream), so
// the gateway's https:// upstream path runs against a real TLS server. Its own thread.
//
// makeTestPki() makes a private CA and a server certificate it signed (for 127.0.0.1 and
// localhost) with the openssl command line, in `dir`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace chat::itest {

struct TestPki {
  std::string caCert;      // PEM: the CA that signed the server certificate
  std::string serverCert;  // PEM
  std::string serverKey;   // PEM
  std::string error;       // not empty: openssl failed (its command is named)
};

// `name` prefixes the files (two calls with different names make two unrelated CAs).
TestPki makeTestPki(const std::string& dir, const std::string& name);

class TlsFront {
 public:
  TlsFront(const TestPki& pki, uint16_t backendPort);
  ~TlsFront();  // stops and joins
  TlsFront(const TlsFront&) = delete;
  TlsFront& operator=(const TlsFront&) = delete;

  uint16_t port() const { return port_; }
  // Connections whose TLS handshake failed (e.g. the client refused the certificate).
  int failedHandshakes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace chat::itest
