// sim/smtp/server_fsm.hpp - the SMTP/LMTP server state machine (sans-I/O).
//
// Fed the client's bytes, it returns actions one at a time: a reply to
// send, a decision to obtain, more input needed, or close.  It never
// decides policy: "accept this client / HELO / sender / recipient / message
// / credentials?" comes back as a `decide` action, and the session answers
// with decide().  Input arriving ahead of an answer waits in the buffer, so
// pipelined commands (RFC 2920) get their replies in order.
//
// The verbs are a table (verb, states where allowed, check, proceed) and
// every state change goes through enter_state(), which reports `from -> to`.
//
// STARTTLS (RFC 3207): after its 220 the fsm returns `start_tls`; the
// session performs the handshake and calls tls_started() (the session
// starts over, RFC 3207 4.2) or closes.  The fsm never sees TLS itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/fifo.hpp"
#include "sim/net/tls.hpp"
#include "sim/smtp/command.hpp"
#include "sim/smtp/data_reader.hpp"
#include "sim/smtp/limits.hpp"
#include "sim/smtp/line_framer.hpp"
#include "sim/smtp/reply.hpp"

namespace sim::smtp {

enum class server_state { connected, refused, greeted, ready, mail, rcpt, data, auth, closed };
std::string_view state_name(server_state s);

// The phases a scenario's faults name (scenario-format.md); `other` for
// every reply outside them (NOOP, RSET, errors...).
enum class phase { connect, ehlo, mail, rcpt, data, dot, quit, other };
std::string_view phase_name(phase p);

enum class ask { connect, helo, mail, rcpt, data, message, auth, quit };

struct auth_credentials {
  std::string mechanism;  // "PLAIN" or "LOGIN"
  std::string authzid;
  std::string authcid;
  std::string password;
};

struct decision_request {
  ask what = ask::connect;
  phase at = phase::connect;
  std::string argument;  // HELO name, sender ("" for <>), recipient, or AUTH identity
  reply proposed;        // what the fsm answers when nothing objects
  std::optional<mail_command> mail;
  std::optional<rcpt_command> rcpt;
  std::optional<auth_credentials> credentials;
};

struct server_action {
  // start_tls: the replies before it are sent; now the handshake (RFC 3207).
  enum class kind { need_input, reply, decide, close, start_tls };
  kind what = kind::need_input;
  reply out;                  // kind::reply
  phase at = phase::other;    // kind::reply: the phase it answers
  bool decided = false;       // kind::reply: it comes from a decide() answer
  // kind::decide: the fsm's own pending request (not a copy), valid until
  // decide() or decide_message() answers it.
  const decision_request* request = nullptr;
  // kind::reply: wait this long before sending it (the client has made
  // soft_error_limit errors or more; `errors` says how many).
  std::chrono::milliseconds delay{0};
  int errors = 0;
};

struct server_options {
  std::string host_name;
  bool lmtp = false;                                  // RFC 2033
  bool auth_offered = false;                          // RFC 4954 PLAIN and LOGIN
  net::tls_mode tls = net::tls_mode::off;             // RFC 3207 STARTTLS (not in LMTP)
  std::optional<net::tls_info> implicit_tls;          // RFC 8314: TLS from the first byte (smtps)
  bool dsn_offered = true;                            // RFC 3461 DSN in the EHLO reply
  std::uint64_t max_message_size = limits::message_size;  // 0: no limit
  std::size_t max_recipients = limits::recipients;
  int error_limit = limits::error_limit;            // hard: 421 and close
  int soft_error_limit = limits::soft_error_limit;  // replies wait from here on
  std::chrono::milliseconds error_sleep = limits::error_sleep;
  int junk_command_limit = limits::junk_command_limit;
};

// A limit the client ran into: more junk commands than allowed (from now
// on each counts as an error), or the hard error limit (421, close).
enum class limit_kind { junk_commands, errors };
std::string_view limit_name(limit_kind k);  // "junk_commands", "errors"
struct limit_event {
  limit_kind kind = limit_kind::errors;
  int count = 0;
  int limit = 0;
};

struct server_observer {
  std::function<void(server_state from, server_state to)> on_state;
  std::function<void(const std::string& masked_line)> on_command;  // each command line read
  std::function<void(std::uint64_t bytes, std::uint64_t lines)> on_data;  // after the final dot
  std::function<void(const limit_event&)> on_limit;
};

struct envelope {
  std::optional<mailbox> reverse_path;
  mail_parameters mail_params;
  std::vector<rcpt_command> recipients;  // accepted ones, in RCPT order
};

class server_fsm {
 public:
  explicit server_fsm(server_options options, server_observer observer = {});

  void feed(std::string_view bytes);
  server_action next();
  // The answer to the pending decide action (any ask but `message`).
  void decide(reply answer);
  // decide() with `answer`, or with the request's own proposed reply when
  // there is none (moved out of the request, not copied).
  void decide_or_propose(std::optional<reply> answer);
  // The answer after the final dot: one reply, or in LMTP mode one per
  // accepted recipient (the last repeats if fewer are given).
  void decide_message(std::vector<reply> answers);
  // No command arrived in time: 421 4.4.2 and close.
  void on_timeout();
  // The client went away.
  void on_end_of_input();
  // The handshake after `start_tls` succeeded: everything learnt from the
  // client is forgotten and it must say EHLO again (RFC 3207 4.2).
  void tls_started(net::tls_info agreed);

  server_state state() const { return state_; }
  const server_options& options() const { return options_; }
  const envelope& transaction() const { return envelope_; }
  const std::string& content() const { return content_; }
  const std::string& helo_name() const { return helo_name_; }
  bool authenticated() const { return !auth_identity_.empty(); }
  const std::string& auth_identity() const { return auth_identity_; }
  int error_count() const { return errors_; }
  const std::optional<net::tls_info>& tls() const { return tls_; }

 private:
  struct command_entry;
  static const command_entry* find_entry(verb v);
  enum class auth_step { none, plain, login_user, login_password };

  bool process_input();
  void handle_line(const std::string& line);
  void enter_state(server_state to);
  void emit(reply r, phase at = phase::other, bool decided = false);
  void error(reply r);
  std::chrono::milliseconds penalty() const;
  void note_junk();
  void check_error_limit();
  void ask_for(ask what, phase at, std::string argument, reply proposed);
  void reset_transaction();
  void end_of_data();
  reply sequence_error(verb v) const;
  reply ehlo_reply(const reply& answer) const;
  void apply_decision(const decision_request& req, reply answer);

  // The command table's checks and proceeds (server_commands.cpp).
  std::optional<reply> check_hello(const command& c);
  std::optional<reply> check_mail(const command& c);
  std::optional<reply> check_rcpt(const command& c);
  std::optional<reply> check_no_argument(const command& c);
  std::optional<reply> check_vrfy(const command& c);
  std::optional<reply> check_auth(const command& c);
  std::optional<reply> check_starttls(const command& c);
  bool tls_required_first() const;
  void proceed_hello(const command& c);
  void proceed_mail(const command& c);
  void proceed_rcpt(const command& c);
  void proceed_data(const command& c);
  void proceed_rset(const command& c);
  void proceed_noop(const command& c);
  void proceed_quit(const command& c);
  void proceed_vrfy(const command& c);
  void proceed_help(const command& c);
  void proceed_auth(const command& c);
  void proceed_starttls(const command& c);
  void proceed_not_implemented(const command& c);

  // AUTH exchanges (server_auth.cpp).
  void auth_continue(const std::string& line);
  void auth_plain(std::string_view response);
  void auth_login_user(std::string_view response);
  void auth_login_password(std::string_view response);
  void auth_fail(reply r, bool count_error);

  server_options options_;
  server_observer observer_;
  server_state state_ = server_state::connected;
  std::string in_;
  std::size_t pos_ = 0;
  line_framer framer_;
  data_reader reader_;
  sim::fifo<server_action> out_;
  std::optional<decision_request> pending_;
  int errors_ = 0;
  int junk_ = 0;  // NOOP, RSET, VRFY, HELP since the session began or a message was accepted
  std::string helo_name_;
  std::string auth_identity_;
  envelope envelope_;
  std::string content_;
  // Set by a check, used by its proceed.
  std::optional<mail_command> next_mail_;
  std::optional<rcpt_command> next_rcpt_;
  verb hello_verb_ = verb::ehlo;
  auth_step auth_step_ = auth_step::none;
  std::string login_user_;
  std::optional<net::tls_info> tls_;
  bool awaiting_tls_ = false;  // 220 to STARTTLS said, handshake not done
};

}  // namespace sim::smtp
