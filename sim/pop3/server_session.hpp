// sim/pop3/server_session.hpp - one POP3 server connection: read, server_fsm, write.
//
// A thin coroutine over server_fsm: it performs the fsm's actions against a
// maildrop and traces `pop3.reply` (the first line of each response).  The
// maildrop lock is released however the session ends; deletions are
// committed only when the fsm asks (QUIT in TRANSACTION), never on a drop,
// a reset or the idle timer.
//
// g++ 12 double-destroys a braced temporary passed by value to a coroutine
// inside a co_await expression: pass the options as a named variable
// (`client_options o{...}; co_await client_session(c, clk, tr, std::move(o));`).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "sim/core/asio.hpp"
#include "sim/core/clock.hpp"
#include "sim/core/time.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/stream.hpp"
#include "sim/net/tls.hpp"
#include "sim/net/tls_server.hpp"
#include "sim/pop3/limits.hpp"
#include "sim/pop3/login_limiter.hpp"
#include "sim/pop3/maildrop.hpp"

namespace sim::pop3 {

struct server_options {
  std::string host;  // this server's host name, for the trace
  // RFC 1939 section 3 autologout: the connection is closed, with no
  // response and no UPDATE, after this long without input.
  duration idle_timeout = limits::idle_timeout;
  // Live mode: the client is not simulated and traces nothing, so the
  // server traces each command it receives (PASS masked) as pop3.command.
  bool trace_commands = false;
  // The host's failed-login record by client address; none: no limit.
  login_limiter* limiter = nullptr;
  // STLS (RFC 2595 4) as the host offers it; the handshake (live mode: a
  // real one that replaces the stream; nullopt: failed, the session ends).
  net::tls_mode tls = net::tls_mode::off;
  net::server_tls_handshake start_tls = {};
  std::optional<net::tls_info> implicit_tls = {};  // pop3s (RFC 8314): TLS from the first byte
};

// Serves `conn` until QUIT, too many errors, the idle timer, or the peer
// going away.  `drop`, `clk` and `tr` must outlive the session.
asio::awaitable<void> server_session(std::shared_ptr<net::stream> conn, maildrop& drop, clock& clk, trace& tr,
                                     server_options options);

}  // namespace sim::pop3
