// sim/net/tls_stream.cpp - a TLS server stream over an accepted TCP connection.
#include "sim/net/tls_stream.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace sim::net {

tls_stream::tls_stream(std::shared_ptr<tcp_stream> tcp, asio::ssl::context& ctx)
    : tcp_(std::move(tcp)), ssl_(tcp_->socket(), ctx) {}

tls_info describe(const SSL* ssl) {
  tls_info out;
  out.protocol = SSL_get_version(ssl);
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  if (cipher) {
    out.cipher = SSL_CIPHER_get_name(cipher);
    out.bits = SSL_CIPHER_get_bits(cipher, &out.alg_bits);
  }
  return out;
}

// A stalled or silent client must not hold the session for ever: the
// clock closes the socket at the limit, which ends the handshake.
asio::awaitable<std::optional<tls_info>> tls_stream::accept(sim::clock& clk, duration limit, std::string& why) {
  clock_ = &clk;
  limit_ = limit;
  bool expired = false;
  std::weak_ptr<tcp_stream> weak = tcp_;
  auto timer = clk.call_at(clk.now() + limit, [weak, &expired] {
    expired = true;
    if (auto t = weak.lock()) t->reset();
  });
  auto [ec] = co_await ssl_.async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
  if (!expired) clk.cancel(timer);
  if (!ec && !expired) co_return describe(ssl_.native_handle());
  why = expired ? "handshake timed out" : ec.message();
  co_return std::nullopt;
}

asio::awaitable<read_result> tls_stream::read_some(std::span<char> buffer) {
  auto [ec, n] = co_await ssl_.async_read_some(asio::buffer(buffer.data(), buffer.size()),
                                               asio::as_tuple(asio::use_awaitable));
  co_return read_result{ec, n};
}

asio::awaitable<error_code> tls_stream::write_all(std::string_view data) {
  auto [ec, n] = co_await asio::async_write(ssl_, asio::buffer(data.data(), data.size()),
                                            asio::as_tuple(asio::use_awaitable));
  (void)n;
  co_return ec;
}

void tls_stream::start_read_some(std::span<char> buffer, read_handler handler) {
  ssl_.async_read_some(asio::buffer(buffer.data(), buffer.size()), std::move(handler));
}

void tls_stream::start_write_all(std::string_view data, write_handler handler) {
  asio::async_write(ssl_, asio::buffer(data.data(), data.size()),
                    [h = std::move(handler)](error_code ec, std::size_t) mutable { std::move(h)(ec); });
}

// RFC 8446 6.1: close_notify before the TCP connection ends, so the client
// sees a clean end and not a truncation.  Asio's shutdown then waits for the
// peer's close_notify, which a peer need not send: the clock closes the
// connection after the limit, so such a peer holds no socket for ever.
void tls_stream::close() {
  if (closing_ || !tcp_->is_open()) return;
  closing_ = true;
  std::optional<sim::clock::timer_id> timer;
  if (clock_) {
    std::weak_ptr<tcp_stream> weak = tcp_;
    timer = clock_->call_at(clock_->now() + limit_, [weak] {
      if (auto t = weak.lock()) t->close();
    });
  }
  ssl_.async_shutdown([self = shared_from_this(), timer](error_code) {
    if (timer) self->clock_->cancel(*timer);
    self->tcp_->close();
  });
}

}  // namespace sim::net
