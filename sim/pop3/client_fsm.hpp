// sim/pop3/client_fsm.hpp - the MUA's POP3 fetch as a sans-I/O state machine.
//
// The dialogue of a scenario `fetch` (scenario-format.md): USER, PASS,
// STAT, then RETR each message (and DELE it unless delete is false), QUIT.
// Server bytes go in (split anywhere); command lines to send come out.
// One command is outstanding at a time (no RFC 2449 PIPELINING).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/pop3/line_framer.hpp"
#include "sim/pop3/response.hpp"

namespace sim::pop3 {

struct fetch_config {
  std::string user;
  std::string password;
  bool delete_messages = true;
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
using client_action = std::variant<client_send, client_close>;

class client_fsm {
 public:
  explicit client_fsm(fetch_config config);

  std::vector<client_action> receive(std::string_view bytes);
  // The connection ended (EOF or reset) before the dialogue was over, or
  // the session gave up waiting for a reply.
  void on_eof();
  void on_timeout();

  bool done() const { return phase_ == phase::done; }
  const fetch_result& result() const { return result_; }

 private:
  enum class phase { greeting, user, pass, stat, retr, retr_body, dele, quit, done };

  void handle_line(const std::string& line);
  void handle_status(const status_line& status, const std::string& line);
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
  fetch_result result_;
  std::vector<client_action> out_;
};

}  // namespace sim::pop3
