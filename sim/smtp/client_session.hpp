// sim/smtp/client_session.hpp - the SMTP/LMTP client coroutine over a connected stream.
//
// Runs client_fsm with each phase's timeout in the clock's time (virtual in
// simulation).  open() does the greeting, EHLO and AUTH; deliver() sends one
// message (call it again to send more over the same connection); quit()
// ends politely.  It traces smtp.command and smtp.data as it writes.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/timeout.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/stream.hpp"
#include "sim/net/tls_client.hpp"
#include "sim/smtp/client_fsm.hpp"
#include "sim/smtp/session_trace.hpp"

namespace sim::smtp {

// The client's side of a STARTTLS handshake (sim/net/tls_client.hpp).
using tls_outcome = net::tls_outcome;
using client_tls_handshake = net::client_tls_handshake;

struct client_session_options {
  client_options protocol;
  client_tls_handshake start_tls;  // needed when protocol.tls is not none
  std::string host;           // this client's host name (trace)
  std::string agent = "mta";  // "mta" or "mua"
  std::string peer;           // the server's host name (trace); the stream's remote host when empty
};

struct delivery_report {
  session_result result = session_result::ok;
  std::optional<reply> session_reply;  // the reply that ended the session, if any
  std::vector<recipient_outcome> recipients;
};

// The report of a session that cannot take a message (not idle: gone, or
// never opened): nothing was tried, every recipient is retried later.
delivery_report unsent_report(const client_fsm& fsm, const outgoing_message& message);
// The report of the transaction `fsm` has just finished.
delivery_report finished_report(const client_fsm& fsm);

class client_session {
 public:
  client_session(std::shared_ptr<net::stream> conn, sim::clock& clk, sim::trace& tr,
                 client_session_options options);

  // Greeting, EHLO/HELO, AUTH.  ok when a message may now be sent.
  asio::awaitable<session_result> open();
  // One message; the session stays open for another when result is ok.
  asio::awaitable<delivery_report> deliver(outgoing_message message);
  // QUIT (when the session is still usable), then close.
  asio::awaitable<void> quit();

  bool usable() const { return fsm_.idle(); }
  const client_fsm& fsm() const { return fsm_; }

 private:
  asio::awaitable<void> pump();
  bool send_now(const client_action& a);
  bool receive_now();
  asio::awaitable<void> send(const client_action& a);
  asio::awaitable<std::tuple<error_code, std::size_t>> receive(const client_action& a, asio::cancellation_slot outer);
  void on_bytes(error_code ec, std::size_t n);
  asio::awaitable<void> handshake();

  std::shared_ptr<net::stream> conn_;
  sim::clock& clk_;
  sim::trace& tr_;
  client_fsm fsm_;
  trace_origin origin_;
  client_tls_handshake start_tls_;
  std::array<char, 4096> buf_;  // what receive() reads into
  sim::session_deadline reading_;  // the read that waits
};

// One transaction of deliver_all(): its report, and the recipients it
// settled (index into the message's recipients, and the outcome).
struct transaction_outcomes {
  const delivery_report& report;
  std::vector<std::pair<std::size_t, recipient_outcome>> settled;
};
using transaction_sink = std::function<asio::awaitable<void>(const transaction_outcomes&)>;

// Every recipient of `message` over one open session, in as many
// transactions as the server's recipient limit needs: a recipient refused
// with 452 4.5.3 (too many recipients, RFC 5321 section 4.5.3.1.10) after
// the first of its transaction goes again in the next one, and once a
// server has said so, each later transaction carries at most as many
// recipients as it took (so n recipients cost O(n) commands, not O(n^2)).
// `sink` gets each answered transaction before the next one starts.
// Returns the recipients never settled: the session failed before a
// transaction got any answer (all of them when the first one got none).
asio::awaitable<std::vector<std::size_t>> deliver_all(client_session& session, outgoing_message message,
                                                      const transaction_sink& sink);

// Connect-free convenience: open, deliver one message, quit.
asio::awaitable<delivery_report> deliver_one(std::shared_ptr<net::stream> conn, sim::clock& clk, sim::trace& tr,
                                             client_session_options options, outgoing_message message);

}  // namespace sim::smtp
