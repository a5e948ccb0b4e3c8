// sim/pop3/client_fsm.hpp - the MUA's POP3 fetch as a sans-I/O state machine.
//
// The dialogue of a scenario `fetch` (scenario-format.md): USER, PASS,
// STAT, then RETR each message (and DELE it unless delete is false), QUIT.
// Server bytes go in (split anywhere); command lines to send come out.
// One command is outstanding at a time (no RFC 2449 PIPELINING).
//
// TLS (RFC 2595 4) as the reader's policy says (`tls`, the levels of
// smtp_tls_security_level): with `may` or stricter, CAPA after the greeting
// and STLS when it lists STLS; then a client_starttls action, and the
// session calls tls_started() or tls_failed().  `may` goes on in the clear
// when STLS is not offered or refused; `encrypt` and `verify` give up
// (fetch_error::tls), with QUIT.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/net/tls.hpp"
#include "sim/pop3/line_framer.hpp"
#include "sim/pop3/response.hpp"

namespace sim::pop3 {

struct fetch_config {
  std::string user;
  std::string password;
  bool delete_messages = true;
  net::tls_level tls = net::tls_level::none;
};

enum class fetch_error {
  none,
  greeting,    // the server greeted with -ERR
  auth,        // USER or PASS refused (bad name or password, RFC 3206 [AUTH])
  in_use,      // PASS refused with RFC 2449 [IN-USE]: another session holds the lock
  command,     // STAT, RETR, DELE or QUIT answered -ERR
  protocol,    // a response that is not POP3
  closed,      // the connection ended before the QUIT reply
  timeout,     // the server did not answer in time (set by the session)
  tls,         // the reader's TLS policy was not met: STLS not offered or refused, or the handshake failed
};
std::string_view to_string(fetch_error e);

struct fetched_message {
  std::size_t number = 0;  // the message number in the session
  std::string content;     // raw bytes, un-stuffed, lines ending in CRLF
};

struct fetch_result {
  std::vector<fetched_message> messages;
  fetch_error error = fetch_error::none;
  std::string reply;  // the server line behind the error
};

// Send this command line (without CRLF); `masked` is the line for the trace.
struct client_send {
  std::string line;
  std::string masked;
};
// Close the connection: the dialogue is over.
struct client_close {};
// Run the client's side of the TLS handshake now (after STLS's +OK).
struct client_starttls {};
using client_action = std::variant<client_send, client_close, client_starttls>;

class client_fsm {
 public:
  explicit client_fsm(fetch_config config);

  std::vector<client_action> receive(std::string_view bytes);
  // The connection ended (EOF or reset) before the dialogue was over, or
  // the session gave up waiting for a reply.
  void on_eof();
  void on_timeout();
  // The handshake after client_starttls: agreed (the dialogue goes on:
  // USER), or failed for `reason` (the fetch ends with fetch_error::tls).
  std::vector<client_action> tls_started();
  void tls_failed(const std::string& reason);

  bool tls_active() const { return tls_active_; }
  bool done() const { return phase_ == phase::done; }
  const fetch_result& result() const { return result_; }

 private:
  enum class phase { greeting, capa, capa_body, stls, tls, user, pass, stat, retr, retr_body, dele, quit, done };

  void handle_line(const std::string& line);
  void handle_status(const status_line& status, const std::string& line);
  void on_capa_line(const std::string& line);
  void after_capa();
  void on_stls_reply(const status_line& status, const std::string& line);
  void login();
  void on_stat_reply(const status_line& status, const std::string& line);
  void on_body_line(const std::string& line);
  void next_message();
  void send(phase next, std::string line);
  // Records the first error; then QUIT (when the dialogue allows it) or close.
  void fail(fetch_error e, const std::string& line, bool quit);
  void finish();
  void stop(fetch_error e);

  fetch_config config_;
  line_framer framer_;
  phase phase_ = phase::greeting;
  std::size_t count_ = 0;  // messages reported by STAT
  std::size_t number_ = 0;  // the message being retrieved
  std::string body_;
  bool stls_offered_ = false;
  bool tls_active_ = false;
  fetch_result result_;
  std::vector<client_action> out_;
};

}  // namespace sim::pop3
