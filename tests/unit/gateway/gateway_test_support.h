// Shared by the gateway suites: running the io_context dry, throwaway database files, and the
// chat.send a test sends.
#pragma once

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "core/protocol/messages.h"
#include "gateway/util.h"

namespace chat::gateway::test_support {

// Runs every handler that is ready, and what they post, until nothing is left (demo delay 0:
// no real time passes).
inline void settle(boost::asio::io_context& ioc) {
  for (int i = 0; i < 100000; ++i) {
    ioc.restart();
    if (ioc.poll() == 0) return;
  }
}

// A database path of its own under the test's temp dir (removed first).
inline std::string tempDbPath(const char* name) {
  std::string path = ::testing::TempDir() + "/gw-" + name + "-" + randomHex(4) + ".db";
  std::remove(path.c_str());
  return path;
}

inline proto::ChatSend send(const std::string& id, const std::string& session,
                            const std::string& content) {
  proto::ChatSend m;
  m.id = id;
  m.sessionId = session;
  m.content = content;
  return m;
}

}  // namespace chat::gateway::test_support
