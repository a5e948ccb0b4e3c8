// sim/net/tls_server.hpp - the hook a mail server calls to run its side of a
// TLS handshake after its go-ahead (POP3 STLS's +OK, IMAP STARTTLS's OK),
// and the one way to run it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "sim/core/asio.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/stream.hpp"
#include "sim/net/tls.hpp"
#include "sim/net/tls_trace.hpp"

namespace sim::net {

using server_tls_handshake = std::function<asio::awaitable<std::optional<tls_info>>(std::shared_ptr<stream>&)>;

// RFC 2595 4 / RFC 9051 6.2.1: the go-ahead went out in the clear; now the
// handshake.  Agreed: traced as `tls.handshake` (agent `agent`), true.  A
// failed one resets the connection (nothing more may be said on it): false.
inline asio::awaitable<bool> server_start_tls(const server_tls_handshake& start_tls, std::shared_ptr<stream>& conn,
                                              trace& tr, std::string_view host, std::string_view agent) {
  std::optional<tls_info> agreed;
  if (start_tls) agreed = co_await start_tls(conn);
  if (!agreed) {
    conn->reset();
    co_return false;
  }
  trace_handshake(tr, host, agent, conn->session(), conn->remote().host, *agreed);
  co_return true;
}

}  // namespace sim::net
