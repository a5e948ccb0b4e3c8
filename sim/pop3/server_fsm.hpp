// sim/pop3/server_fsm.hpp - the POP3 server as a sans-I/O state machine.
//
// RFC 1939 with the RFC 2449 CAPA command and response codes.  Bytes from
// the client go in (split anywhere); actions come out: bytes to send, a
// password check to make, deletions to commit, the connection to close.
// The session performs them; nothing here does I/O or reads a clock.
//
// Commands: USER, PASS, QUIT, CAPA in AUTHORIZATION; STAT, LIST, RETR,
// DELE, NOOP, RSET, UIDL, TOP, CAPA, QUIT in TRANSACTION.  APOP is not
// offered (the greeting carries no timestamp), so it is an unknown command.
// STLS (RFC 2595 4) in AUTHORIZATION where TLS is offered: "+OK", then a
// starttls_action; the session runs the handshake and calls tls_started().
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/net/tls.hpp"
#include "sim/pop3/line_framer.hpp"
#include "sim/pop3/maildrop.hpp"

namespace sim::pop3 {

enum class server_state { authorization, transaction, update, closed };
std::string_view to_string(server_state s);

// Write these bytes (one whole response, status line first).
struct send_action {
  std::string bytes;
};
// A command line was received (PASS masked); sessions of non-simulated
// clients trace it, since no simulated client does.
struct command_action {
  std::string line;
};
// Check the password and take the lock (maildrop.hpp authorize()), then
// call server_fsm::authorized() with the answer.  No further input is
// handled until then.
struct authorize_action {
  std::string user;
  std::string password;
};
// RFC 1939 section 6: the UPDATE state removes these messages.
struct commit_action {
  std::vector<std::string> deleted_uids;
};
// Close the connection (after sending what came before).
struct close_action {};
// RFC 2595 4: send what came before, then the TLS handshake; on success
// call server_fsm::tls_started(), else close.
struct starttls_action {};

using server_action =
    std::variant<send_action, command_action, authorize_action, commit_action, close_action, starttls_action>;

// TLS as the host offers it: `mode` (off: STLS is an unknown command;
// require: no USER/PASS before TLS), `active` from the start (pop3s, RFC 8314).
struct tls_settings {
  net::tls_mode mode = net::tls_mode::off;
  bool active = false;
};

class server_fsm {
 public:
  explicit server_fsm(tls_settings tls = {});

  // The greeting, RFC 1939 section 4.
  std::vector<server_action> start();
  // Bytes from the client.
  std::vector<server_action> receive(std::string_view bytes);
  // The answer to the pending authorize_action.
  std::vector<server_action> authorized(authorization answer);
  // The handshake after starttls_action succeeded: what the client sent in
  // the clear after STLS is dropped (RFC 2595 4), and it logs in afresh.
  std::vector<server_action> tls_started();
  bool tls_active() const { return tls_.active; }

  server_state state() const { return state_; }
  bool awaiting_authorization() const { return awaiting_; }
  std::size_t errors() const { return errors_; }

 private:
  struct command_spec;
  static const command_spec* find_command(std::string_view keyword);

  std::vector<server_action> drain();
  void handle_line(const framed_line& line);
  void reply_ok(std::string_view text);
  void reply_err(std::string_view text);
  void reply_err(std::string_view code, std::string_view text);
  void send(std::string bytes);
  void close();
  bool no_argument(std::string_view argument);
  // The 0-based index of a live message named by `argument`, or replies -ERR.
  std::optional<std::size_t> message_at(std::string_view argument);
  std::size_t live_count() const;
  std::size_t live_octets() const;
  std::string maildrop_summary() const;

  void on_user(std::string_view argument);
  void on_pass(std::string_view argument);
  void on_quit(std::string_view argument);
  void on_capa(std::string_view argument);
  void on_stat(std::string_view argument);
  void on_list(std::string_view argument);
  void on_retr(std::string_view argument);
  void on_dele(std::string_view argument);
  void on_noop(std::string_view argument);
  void on_rset(std::string_view argument);
  void on_uidl(std::string_view argument);
  void on_top(std::string_view argument);
  void on_stls(std::string_view argument);
  bool plaintext_refused();

  tls_settings tls_;
  bool awaiting_tls_ = false;
  line_framer framer_;
  server_state state_ = server_state::authorization;
  bool awaiting_ = false;
  std::size_t errors_ = 0;
  std::size_t authorization_commands_ = 0;  // commands read before logging in
  std::string user_;  // named by USER, waiting for PASS
  std::vector<maildrop_message> messages_;
  std::vector<bool> deleted_;
  std::vector<server_action> out_;
};

}  // namespace sim::pop3
