// Whose address a request counts against (gateway/client_address.h): the TCP peer, unless the
// peer is a trusted reverse proxy naming the client in X-Forwarded-For.
#include "gateway/client_address.h"

#include <gtest/gtest.h>

namespace chat::gateway {
namespace {

const std::vector<std::string> kProxies = {"10.0.0.5", "10.0.0.6"};

TEST(ClientAddress, APeerThatIsNoTrustedProxyIsTheClientWhateverItWrites) {
  EXPECT_EQ(clientAddress("198.51.100.9", "203.0.113.7", kProxies), "198.51.100.9");
  EXPECT_EQ(clientAddress("198.51.100.9", "", kProxies), "198.51.100.9");
  EXPECT_EQ(clientAddress("10.0.0.5", "203.0.113.7", {}), "10.0.0.5") << "no --trusted-proxy";
}

TEST(ClientAddress, ATrustedProxyNamesTheClient) {
  EXPECT_EQ(clientAddress("10.0.0.5", "203.0.113.7", kProxies), "203.0.113.7");
  EXPECT_EQ(clientAddress("10.0.0.5", " 2001:DB8::7 ", kProxies), "2001:db8::7");
  EXPECT_EQ(clientAddress("10.0.0.5", "::ffff:203.0.113.7", kProxies), "203.0.113.7");
}

TEST(ClientAddress, WhatTheClientWroteOnTheLeftIsNeverBelieved) {
  // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended what it saw.
  EXPECT_EQ(clientAddress("10.0.0.5", "1.2.3.4, 203.0.113.7", kProxies), "203.0.113.7");
  // Two of our proxies in a row: the first address from the right that is not ours.
  EXPECT_EQ(clientAddress("10.0.0.5", "1.2.3.4, 203.0.113.7, 10.0.0.6", kProxies), "203.0.113.7");
}

TEST(ClientAddress, GarbageOrOnlyOurProxiesFallBackToThePeer) {
  EXPECT_EQ(clientAddress("10.0.0.5", "unknown", kProxies), "10.0.0.5");
  EXPECT_EQ(clientAddress("10.0.0.5", "203.0.113.7, not-an-ip", kProxies), "10.0.0.5");
  EXPECT_EQ(clientAddress("10.0.0.5", ",", kProxies), "10.0.0.5");
  EXPECT_EQ(clientAddress("10.0.0.5", "10.0.0.6", kProxies), "10.0.0.5");
  EXPECT_EQ(clientAddress("10.0.0.5", std::string(5000, '9'), kProxies), "10.0.0.5");
}

TEST(ClientAddress, CanonicalForms) {
  EXPECT_EQ(canonicalIp("127.0.0.1").value_or(""), "127.0.0.1");
  EXPECT_EQ(canonicalIp("::FFFF:127.0.0.1").value_or(""), "127.0.0.1");
  EXPECT_EQ(canonicalIp("2001:db8:0::1").value_or(""), "2001:db8::1");
  EXPECT_FALSE(canonicalIp("localhost"));
  EXPECT_FALSE(canonicalIp(""));
  EXPECT_FALSE(canonicalIp("1.2.3.4:80"));
  EXPECT_TRUE(isTrustedProxy("::ffff:10.0.0.5", kProxies));
  EXPECT_FALSE(isTrustedProxy("unknown", kProxies));
}

}  // namespace
}  // namespace chat::gateway
