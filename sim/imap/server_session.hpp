// sim/imap/server_session.hpp - one IMAP server connection: read, server_fsm, write.
//
// A thin coroutine over server_fsm and a mail_store.  It traces each
// response (its first line) as `imap.response` and, in live mode, each
// client line as `imap.command` (passwords masked).  While the client is in
// IDLE, changes to the selected mailbox made by other sessions or by
// deliveries wake the session, which pushes EXISTS/EXPUNGE/FETCH at once
// (RFC 2177).  RFC 9051 §5.4 autologout: after idle_timeout without input
// the server says BYE and closes (IDLE included, RFC 2177 §3).
//
// STARTTLS: the client's bytes are read by a second coroutine, which waits
// after each read until the session has handled those bytes.  When they
// held STARTTLS the session writes the OK, runs the handshake, which
// replaces the stream, and only then lets the reader go on, now over TLS:
// no byte is read in the clear after the command, and none it had already
// read is executed (server_fsm::tls_started()).
//
// g++ 12 double-destroys a braced temporary passed by value to a coroutine
// inside a co_await expression: pass the options as a named variable.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "sim/core/asio.hpp"
#include "sim/core/clock.hpp"
#include "sim/core/time.hpp"
#include "sim/core/trace.hpp"
#include "sim/imap/limits.hpp"
#include "sim/imap/mail_store.hpp"
#include "sim/net/stream.hpp"
#include "sim/net/tls.hpp"
#include "sim/net/tls_server.hpp"

namespace sim::imap {

struct server_options {
  std::string host;  // this server's host name: the greeting and the trace
  duration idle_timeout = limits::idle_timeout;
  // Live mode: the client is not simulated and traces nothing, so the
  // server traces each line it receives as imap.command.
  bool trace_commands = false;
  // When set, awaited after the store changed mail and before the response
  // that reports it is written (a store that writes in the background
  // makes APPEND, COPY, MOVE, STORE, EXPUNGE ... durable before their OK).
  std::function<asio::awaitable<void>()> sync;
  // STARTTLS (RFC 9051 §6.2.1) as the host offers it; the handshake (live
  // mode: a real one that replaces the stream; nullopt: failed, the
  // session ends).
  net::tls_mode tls = net::tls_mode::off;
  net::server_tls_handshake start_tls = {};
  std::optional<net::tls_info> implicit_tls = {};  // imaps (RFC 8314): TLS from the first byte
};

// Serves `conn` until LOGOUT, a limit, the autologout timer, or the peer
// going away.  `store`, `clk` and `tr` must outlive the session.
asio::awaitable<void> server_session(std::shared_ptr<net::stream> conn, mail_store& store, clock& clk, trace& tr,
                                     server_options options);

}  // namespace sim::imap
