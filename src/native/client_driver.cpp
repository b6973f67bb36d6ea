#include "native/client_driver.h"

namespace chat::native {

ClientDriver::ClientDriver(EventLoop& loop, client::ChatClient& client,
                           std::chrono::milliseconds period)
    : loop_(loop), ticker_(loop.addTicker(period, [&client] { client.tick(); })) {}

ClientDriver::~ClientDriver() { loop_.removeTicker(ticker_); }

}  // namespace chat::native
