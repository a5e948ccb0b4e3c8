// sim/net/tls_stream.hpp - live mode's TLS over a tcp_stream (OpenSSL 3 through Asio's SSL streams).
//
// STARTTLS (RFC 3207, RFC 2595, RFC 9051 6.2.1) and implicit TLS (RFC 8314)
// turn an accepted tcp_stream into this one: the same session id and
// endpoints, the bytes encrypted.  The handshake has a time limit and its
// failure ends only that connection.  Never used in the simulation, which
// models TLS (sim/net/tls.hpp).
#pragma once

#include <memory>
#include <optional>

#include <boost/asio/ssl.hpp>

#include "sim/core/clock.hpp"
#include "sim/net/tcp_stream.hpp"
#include "sim/net/tls.hpp"

namespace sim::net {

class tls_stream final : public stream, public std::enable_shared_from_this<tls_stream> {
 public:
  tls_stream(std::shared_ptr<tcp_stream> tcp, asio::ssl::context& ctx);

  // The server's handshake, closed by `clk` after `limit`; what was agreed,
  // or nullopt (failed, timed out; `why` says which).  The same limit then
  // bounds the wait for the peer's close_notify in close().
  asio::awaitable<std::optional<tls_info>> accept(sim::clock& clk, duration limit, std::string& why);

  asio::awaitable<read_result> read_some(std::span<char> buffer) override;
  asio::awaitable<error_code> write_all(std::string_view data) override;
  // close_notify, then the TCP connection: when the peer's close_notify
  // (or its close) comes, or after the handshake's limit at the latest.
  void close() override;
  void reset() override { tcp_->reset(); }
  bool is_open() const override { return tcp_->is_open(); }

  const endpoint& local() const override { return tcp_->local(); }
  const endpoint& remote() const override { return tcp_->remote(); }
  const std::string& session() const override { return tcp_->session(); }

 protected:
  void start_read_some(std::span<char> buffer, read_handler handler) override;
  void start_write_all(std::string_view data, write_handler handler) override;

 private:
  std::shared_ptr<tcp_stream> tcp_;
  asio::ssl::stream<asio::ip::tcp::socket&> ssl_;
  bool closing_ = false;
  sim::clock* clock_ = nullptr;  // set by accept()
  duration limit_{};
};

// What the handshake on `ssl` agreed (protocol, cipher, bits).
tls_info describe(const SSL* ssl);

}  // namespace sim::net
