// sim/net/tls_client.hpp - the hook a protocol client calls to run its side
// of a TLS handshake (SMTP STARTTLS, POP3 STLS, IMAP STARTTLS).
//
// The simulation answers with simulated_client_tls() (sim/net/tls.hpp); the
// stream is passed by reference so that a real handshake could replace it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sim/core/asio.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/stream.hpp"
#include "sim/net/tls.hpp"

namespace sim::net {

using client_tls_handshake = std::function<asio::awaitable<tls_outcome>(std::shared_ptr<stream>&)>;

// RFC 2595 4 / RFC 9051 6.2.1: a mail reader's side of the handshake after
// the server's go-ahead to STLS or STARTTLS.  A failure is traced as
// `tls.fail` (agent mua; `peer`, or the stream's remote host), and a
// connection the handshake lost is reset.
inline asio::awaitable<tls_outcome> reader_tls(const client_tls_handshake& start_tls, std::shared_ptr<stream>& conn,
                                              trace& tr, const std::string& host, const std::string& peer) {
  tls_outcome out;
  out.reason = "no TLS available";
  if (start_tls) out = co_await start_tls(conn);
  if (out.agreed) co_return out;
  tr.emit(host, "mua", "tls.fail",
          {{"session", conn->session()}, {"peer", peer.empty() ? conn->remote().host : peer}, {"reason", out.reason}});
  if (out.lost) conn->reset();
  co_return out;
}

}  // namespace sim::net
