// Boost.Asio and Boost.Beast compiled once for the whole native build.
//
// Every native target that uses Asio or Beast links chat_boost, which defines
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION for it: their headers then
// only declare, and the implementation (the heaviest part of every Beast translation unit) is
// compiled here, once, instead of in each of the gateway's, the adapters' and the tools' files.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
