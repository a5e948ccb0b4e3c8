// sim/imap/server_fsm.hpp - the IMAP server as a sans-I/O state machine.
//
// IMAP4rev1 (RFC 3501) as RFC 9051 refines it, with LITERAL+ (RFC 7888),
// SASL-IR (RFC 4959), ID (RFC 2971), ENABLE (RFC 5161), IDLE (RFC 2177),
// NAMESPACE (RFC 2342), UNSELECT (RFC 3691), UIDPLUS (RFC 4315), MOVE
// (RFC 6851), SPECIAL-USE (RFC 6154) and CHILDREN (RFC 3348).  Bytes from
// the client go in, split anywhere; actions come out: bytes to send, the
// client's lines for the trace, a durability barrier, close.  Mail lives in
// a mail_store, which the machine calls directly; it never does I/O or
// reads a clock (APPEND's default date comes from config.now).
//
// The states are RFC 9051 §3's: not authenticated, authenticated,
// selected, logout.  Commands are a table (name, the states that allow it,
// what it does), checked in this order: tag, name, state, arguments; every
// state change goes through enter_state().  Unknown commands, bad tags,
// syntax errors and commands in the wrong state get BAD and the session
// goes on; limits.hpp says when it ends with BYE instead.
//
// STARTTLS (RFC 9051 §6.2.1, RFC 2595 §3.1) in the not-authenticated state
// where the host offers TLS: the tagged OK, then a starttls_action; the
// machine reads nothing more until the session ran the handshake and called
// tls_started(), which drops whatever the client sent in the clear after
// the command (the STARTTLS command injection defence).  Where TLS is
// required, CAPABILITY says LOGINDISABLED and offers no AUTH= mechanism
// before it, and LOGIN/AUTHENTICATE get NO [PRIVACYREQUIRED].
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/imap/command.hpp"
#include "sim/imap/command_reader.hpp"
#include "sim/imap/mail_store.hpp"
#include "sim/imap/selected_view.hpp"
#include "sim/net/tls.hpp"

namespace sim::imap {

enum class server_state { not_authenticated, authenticated, selected, logout };
std::string_view to_string(server_state s);

// Write these bytes: one or more whole responses.
struct send_action {
  std::string bytes;
};
// A line the client sent (password masked, literals as "{n}"), for the trace.
struct command_action {
  std::string line;
};
// The store changed mail: make it durable before sending what follows (the
// tagged OK of APPEND, COPY, MOVE, STORE, EXPUNGE ...).
struct sync_action {};
// Close the connection, after sending what came before.
struct close_action {};
// RFC 9051 §6.2.1: send what came before, then run the TLS handshake; on
// success call server_fsm::tls_started(), else close.
struct starttls_action {};

using server_action = std::variant<send_action, command_action, sync_action, close_action, starttls_action>;

struct server_config {
  std::string host_name = "mailsim";
  // The current time, for APPEND without a date (RFC 9051 §6.3.12).
  std::function<wall_time()> now;
  // The store reported a change to the selected mailbox while the session
  // is in IDLE: call poll() to get the untagged responses to push.
  std::function<void()> on_change;
  // Every state change, from and to (tests, traces).
  std::function<void(server_state, server_state)> on_state;
  // TLS as the host offers it (off: STARTTLS is an unknown command;
  // require: no LOGIN or AUTHENTICATE before it); `tls_active`: TLS from
  // the first byte (imaps, RFC 8314).
  net::tls_mode tls = net::tls_mode::off;
  bool tls_active = false;
};

class server_fsm {
 public:
  server_fsm(mail_store& store, server_config config);
  ~server_fsm();
  server_fsm(const server_fsm&) = delete;
  server_fsm& operator=(const server_fsm&) = delete;

  // The greeting, RFC 9051 §7.1.1.
  std::vector<server_action> start();
  std::vector<server_action> receive(std::string_view bytes);
  // In IDLE: what changed in the selected mailbox since the last report.
  std::vector<server_action> poll();
  // RFC 9051 §5.4 autologout, or the server shutting down: BYE and close.
  std::vector<server_action> goodbye(std::string_view text);
  // The handshake after starttls_action succeeded: what the client sent in
  // the clear after STARTTLS is dropped (RFC 9051 §6.2.1), and the session
  // goes on over TLS, still not authenticated.
  std::vector<server_action> tls_started();
  bool tls_active() const { return tls_active_; }

  server_state state() const { return state_; }
  const std::string& user() const { return user_; }
  bool idling() const { return mode_ == input_mode::idle; }
  std::size_t errors() const { return errors_; }
  // The CAPABILITY list for the current state, without "CAPABILITY".
  std::string capabilities() const;

 private:
  enum class input_mode { commands, authenticate, idle };
  struct command_spec;
  class listener;
  static const command_spec* find_command(std::string_view name);
  // find_command(), without STARTTLS where TLS is not offered.
  const command_spec* offered_command(std::string_view name) const;
  // RFC 9051 §6.2.3: no plaintext passwords where TLS is required and not on.
  bool login_disabled() const;
  bool privacy_required(const std::string& tag);

  std::vector<server_action> drain();
  void handle_event(reader_event& ev);
  void handle_command(const std::string& text);
  void handle_literal_request(const reader_event& ev);
  void handle_raw_line(const raw_line& line);
  void finish_command(const command_head& head);
  void enter_state(server_state next);
  void folder_changed(std::string_view folder);
  // Asks the store to tell us about changes to user_'s folders.
  void watch_user();

  // Responses.
  void send(std::string bytes);
  void untagged(std::string_view text);
  void ok(const std::string& tag, std::string_view code, std::string_view text);
  void no(const std::string& tag, std::string_view code, std::string_view text);
  void bad(const std::optional<std::string>& tag, std::string_view text);
  void bye(std::string_view code, std::string_view text);
  void durable() { out_.emplace_back(std::in_place_type<sync_action>); }
  // NO with the response code a store outcome deserves.
  void store_refused(const std::string& tag, store_status status, std::string_view what);

  // Helpers for the commands.
  std::optional<std::string> mailbox_name(const std::string& tag, const std::string& wire, bool create);
  void login_succeeded(const std::string& tag, const std::string& user, std::string_view what);
  void login_failed(const std::string& tag, std::string_view why);
  void check_plain(const std::string& tag, std::string_view base64);
  void close_selected(bool silently_expunge);
  std::optional<std::vector<std::size_t>> resolve_set(const command_head& head, const sequence_set& set);
  std::string fetch_response(std::size_t index, const std::vector<fetch_item>& items, bool uid, bool flags_changed,
                             bool& expunge_issued);
  void unselect_if_gone(std::string_view folder);

  void on_capability(const command_head& h, command_args& a);
  void on_noop(const command_head& h, command_args& a);
  void on_logout(const command_head& h, command_args& a);
  void on_login(const command_head& h, command_args& a);
  void on_authenticate(const command_head& h, command_args& a);
  void on_starttls(const command_head& h, command_args& a);
  void on_id(const command_head& h, command_args& a);
  void on_enable(const command_head& h, command_args& a);
  void on_idle(const command_head& h, command_args& a);
  void on_select(const command_head& h, command_args& a);
  void on_create(const command_head& h, command_args& a);
  void on_delete(const command_head& h, command_args& a);
  void on_rename(const command_head& h, command_args& a);
  void on_subscribe(const command_head& h, command_args& a);
  void on_list(const command_head& h, command_args& a);
  void on_namespace(const command_head& h, command_args& a);
  void on_status(const command_head& h, command_args& a);
  void on_append(const command_head& h, command_args& a);
  void on_check(const command_head& h, command_args& a);
  void on_close(const command_head& h, command_args& a);
  void on_unselect(const command_head& h, command_args& a);
  void on_expunge(const command_head& h, command_args& a);
  void on_search(const command_head& h, command_args& a);
  void on_fetch(const command_head& h, command_args& a);
  void on_store(const command_head& h, command_args& a);
  void on_copy(const command_head& h, command_args& a);

  mail_store& store_;
  server_config config_;
  command_reader reader_;
  server_state state_ = server_state::not_authenticated;
  input_mode mode_ = input_mode::commands;
  std::string pending_tag_;  // AUTHENTICATE or IDLE in progress
  std::string user_;
  std::optional<selected_view> selected_;
  bool dirty_ = false;  // the store changed the selected mailbox since the last sync
  std::shared_ptr<listener> listener_;
  std::string tagged_;  // the current command's tagged response, sent after its updates
  bool logout_ = false;  // LOGOUT answered: close after the tagged OK
  bool tls_active_ = false;
  bool awaiting_tls_ = false;  // STARTTLS answered: nothing is read until tls_started()
  std::size_t errors_ = 0;
  std::size_t commands_ = 0;
  std::vector<server_action> out_;
};

}  // namespace sim::imap
