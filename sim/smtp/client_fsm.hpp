// sim/smtp/client_fsm.hpp - the SMTP/LMTP client state machine (sans-I/O).
//
// It speaks to one server: greeting, EHLO (HELO when EHLO gets a 5xx),
// optional AUTH PLAIN, then any number of messages, then QUIT.  For each
// message: MAIL and every RCPT (in one write when the server offers
// PIPELINING, RFC 2920), DATA only if a recipient was accepted, the
// dot-stuffed content, and the final reply (one per accepted recipient in
// LMTP, RFC 2033 4.2).  A transaction left open (no recipient accepted,
// DATA refused) is closed with RSET before the next MAIL.
//
// The caller loops on next(): `send` bytes, `read` the server (within the
// action's timeout, from the phase table) and hand them to on_bytes(),
// `start_tls` (run the handshake, then tls_started() or tls_failed()),
// `idle` (ready for the next message or quit()), `closed`.
//
// STARTTLS (RFC 3207) follows the sender's policy, as Postfix's
// smtp_tls_security_level: `may` uses it when offered and goes on in the
// clear when the server refuses it; `encrypt` and `verify` give up
// (session_result::tls_failed, tls_failure() says why) when it is not
// offered or refused; `verify` also when the certificate does not verify.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/fifo.hpp"
#include "sim/net/tls.hpp"
#include "sim/smtp/capabilities.hpp"
#include "sim/smtp/command.hpp"
#include "sim/smtp/dot_stuffer.hpp"
#include "sim/smtp/limits.hpp"
#include "sim/smtp/reply.hpp"

namespace sim::smtp {

enum class delivery_status { ok, tempfail, permfail };
std::string_view status_name(delivery_status s);

// How the session ended, for the MTA to map to defer or bounce.
enum class session_result {
  ok, connection_lost, timeout, reply_421, greeting_rejected, helo_rejected, auth_failed, protocol_error, tls_failed
};

// Why TLS failed, for the sender's defer reason (Postfix's words).
enum class tls_failure { none, not_offered, refused, handshake, certificate };
std::string_view result_name(session_result r);

struct outgoing_recipient {
  mailbox forward_path;
  rcpt_parameters params;  // NOTIFY / ORCPT, sent only to a server offering DSN
};

struct outgoing_message {
  std::optional<mailbox> reverse_path;  // empty: the null path <>
  std::vector<outgoing_recipient> recipients;
  dsn_ret ret = dsn_ret::unspecified;
  std::optional<std::string> envid;
  std::string content;  // the RFC 5322 message; line ends are normalized on the way
};

struct recipient_outcome {
  mailbox forward_path;
  delivery_status status = delivery_status::tempfail;
  std::optional<reply> server_reply;  // empty when the connection failed first
  client_phase at = client_phase::rcpt;  // the phase whose reply decided it
};

struct client_options {
  std::string helo_name;
  bool lmtp = false;
  // RFC 2920 3.1: with PIPELINING, send DATA as the last command of the
  // MAIL/RCPT group instead of after the RCPT replies (Postfix smtp_proto.c
  // does); the content still waits for 354.  SMTP only (not LMTP).
  bool pipeline_data = false;
  std::optional<std::string> auth_user;  // AUTH PLAIN when the server offers it
  std::string auth_password;
  client_timeouts timeouts;
  net::tls_level tls = net::tls_level::none;  // STARTTLS policy (not in LMTP)
};

struct client_action {
  enum class kind { send, read, idle, closed, start_tls };
  client_action() = default;
  explicit client_action(kind k) : what(k) {}
  kind what = kind::idle;
  std::string bytes;                     // send
  // send: where each command line ends in `bytes` (before its CRLF), and
  // the lines whose traced form differs (AUTH's credentials masked).
  std::vector<std::size_t> line_ends;
  std::vector<std::pair<std::size_t, std::string>> masked;
  bool is_data = false;                  // send: the content, terminator included
  std::uint64_t data_bytes = 0, data_lines = 0;
  client_phase at = client_phase::greeting;
  timeout_duration timeout{0};           // send (data block) and read

  // send: the command lines as traced.
  std::size_t command_lines() const { return line_ends.size(); }
  std::string_view trace_line(std::size_t i) const;
  // Appends a command line (and its CRLF) to `bytes`.
  void add_line(std::string_view line);
};

class client_fsm {
 public:
  explicit client_fsm(client_options options);

  client_action next();
  void on_bytes(std::string_view bytes);
  void on_timeout();
  void on_connection_lost();
  // Starts a message; false unless idle.
  bool send_message(outgoing_message message);
  // Ends the session politely (QUIT) when idle.
  void quit();
  // The handshake after `start_tls`: agreed (EHLO again, RFC 3207 4.2), or
  // failed (`lost`: the connection is gone; else the certificate did not
  // verify and the client says QUIT).
  void tls_started(net::tls_info agreed);
  void tls_failed(bool lost);

  bool idle() const { return state_ == st::idle && out_.empty(); }
  bool closed() const { return state_ == st::closed && out_.empty(); }
  session_result result() const { return result_; }
  // The reply that ended the session, if a reply did.
  const std::optional<reply>& last_reply() const { return last_reply_; }
  const capabilities& server_capabilities() const { return caps_; }
  // The current (or last) message's outcomes, one per recipient, in order.
  const std::vector<recipient_outcome>& outcomes() const { return outcomes_; }
  bool message_done() const { return message_done_; }
  const std::optional<net::tls_info>& tls() const { return tls_; }
  tls_failure why_tls_failed() const { return tls_failure_; }

 private:
  enum class st { greeting, opening, idle, transaction, quitting, closed };
  enum class expect { greeting, ehlo, helo, auth, rset, mail, rcpt, data, dot, quit, starttls };
  struct awaited {
    expect what;
    std::size_t index = 0;  // rcpt: which recipient
  };

  void handle(reply r);
  void handle_opening(expect what, reply r);
  void handle_transaction(const awaited& a, reply r);
  void send_command(std::string line, expect what, std::size_t index = 0);
  void send_commands(std::vector<std::string> lines, std::vector<awaited> what);
  void start_transaction();
  void send_rcpt(std::size_t i);
  void after_recipients();
  bool data_pipelined() const;
  void send_content();
  void settle(std::size_t i, const reply& r, client_phase at);
  void settle_accepted(const reply& r, client_phase at);
  void finish_message();
  void fail(session_result why, std::optional<reply> r);
  void give_up(session_result why, reply r);
  void after_hello();
  void tls_give_up(tls_failure why, std::optional<reply> r);
  static client_phase phase_of(expect e);

  client_options options_;
  st state_ = st::greeting;
  sim::fifo<client_action> out_;
  sim::fifo<awaited> awaiting_;
  reply_parser parser_;
  std::string in_;
  capabilities caps_;
  session_result result_ = session_result::ok;
  std::optional<reply> last_reply_;
  bool tried_helo_ = false;
  bool need_rset_ = false;
  bool message_done_ = false;
  outgoing_message message_;
  std::optional<stuffed_content> stuffed_;  // message_ as DATA sends it
  std::vector<recipient_outcome> outcomes_;
  std::vector<bool> settled_;
  std::vector<std::size_t> accepted_;  // recipients accepted at RCPT, in order
  std::size_t dot_replies_ = 0;
  client_phase current_ = client_phase::greeting;  // the phase of the reply awaited last
  bool mail_ok_ = false;
  std::optional<net::tls_info> tls_;
  tls_failure tls_failure_ = tls_failure::none;
};

}  // namespace sim::smtp
