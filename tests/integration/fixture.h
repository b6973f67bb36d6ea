// The fixture every gateway test starts from: an EventLoop on the test thread, one real
// gateway process on a free port (killed at the end, whatever happens), and the checks that
// compare a client's transcript with the gateway's event log.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "fault_proxy.h"
#include "gateway_api.h"
#include "gateway_process.h"
#include "native/event_loop.h"
#include "raw_ws.h"
#include "test_client.h"

namespace chat::itest {

class GatewayTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Starts the gateway; false (with a test failure naming the cause) if it did not come up.
  bool startGateway(GatewayOptions options = {});
  // A client talking to the gateway directly, or through a proxy.
  ClientSetup direct(const std::string& sessionId = "") const;
  ClientSetup via(const FaultProxy& proxy, const std::string& sessionId = "") const;
  GatewayApi& api();

  // The client's transcript of its session equals the gateway's log: every turn once, every
  // reply complete with exactly the logged deltas, seqs applied up to the log's last, and no
  // reply reported complete twice to the observers.
  void expectTranscriptMatchesLog(const TestClient& client);

  native::EventLoop loop;  // first member: outlives every transport that runs on it
  std::unique_ptr<GatewayProcess> gateway;
  std::unique_ptr<GatewayApi> api_;
};

}  // namespace chat::itest
