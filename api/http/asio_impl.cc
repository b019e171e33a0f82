// The one translation unit that compiles Asio and Beast (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are set for actiond_api): every other file includes only
// their declarations, which keeps rebuilds of the api module fast.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
// Asio's TLS layer (the webhook client, api/http/webhook_client.h), likewise compiled once.
#include <boost/asio/ssl/impl/src.hpp>
