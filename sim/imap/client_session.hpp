// sim/imap/client_session.hpp - the MUA's IMAP fetch over a connected stream.
//
// A thin coroutine over client_fsm.  It traces every command it sends as
// `imap.command` (host = the client's host, agent "mua", credentials
// masked, literals shown as "{n}"), and runs the TLS handshake the fsm
// asks for (RFC 9051 6.2.1).
//
// g++ 12 double-destroys a braced temporary passed by value to a coroutine
// inside a co_await expression: pass the options as a named variable.
#pragma once

#include <memory>
#include <string>

#include "sim/core/asio.hpp"
#include "sim/core/clock.hpp"
#include "sim/core/time.hpp"
#include "sim/core/trace.hpp"
#include "sim/imap/client_fsm.hpp"
#include "sim/imap/limits.hpp"
#include "sim/net/stream.hpp"
#include "sim/net/tls_client.hpp"

namespace sim::imap {

struct client_options {
  std::string host;  // the MUA's host name, for the trace
  fetch_config fetch;
  duration reply_timeout = limits::reply_timeout;
  std::string peer{};  // the server's host name (trace); the stream's remote host when empty
  // The client's side of the handshake after STARTTLS (needed when
  // fetch.tls is not none); a failure is traced as `tls.fail`.
  net::client_tls_handshake start_tls{};
};

// Runs the fetch dialogue, closes the stream, and returns what was
// retrieved and the first error (fetch_error::timeout when a response took
// longer than reply_timeout, closed when the connection ended early).
asio::awaitable<fetch_result> client_session(std::shared_ptr<net::stream> conn, clock& clk, trace& tr,
                                             client_options options);

}  // namespace sim::imap
