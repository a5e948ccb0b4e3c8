// sim/pop3/server_fsm.cpp - the POP3 server as a sans-I/O state machine.
#include "sim/pop3/server_fsm.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sim/pop3/command.hpp"
#include "sim/pop3/limits.hpp"
#include "sim/pop3/response.hpp"

namespace sim::pop3 {

std::string_view to_string(server_state s) {
  switch (s) {
    case server_state::authorization: return "AUTHORIZATION";
    case server_state::transaction: return "TRANSACTION";
    case server_state::update: return "UPDATE";
    case server_state::closed: return "CLOSED";
  }
  return "?";
}

// One row of the command table: where the command is allowed and what does it.
struct server_fsm::command_spec {
  std::string_view keyword;
  bool in_authorization;
  bool in_transaction;
  void (server_fsm::*proceed)(std::string_view argument);
};

const server_fsm::command_spec* server_fsm::find_command(std::string_view keyword) {
  static const command_spec table[] = {
      {"USER", true, false, &server_fsm::on_user}, {"PASS", true, false, &server_fsm::on_pass},
      {"QUIT", true, true, &server_fsm::on_quit},  {"CAPA", true, true, &server_fsm::on_capa},
      {"STAT", false, true, &server_fsm::on_stat}, {"LIST", false, true, &server_fsm::on_list},
      {"RETR", false, true, &server_fsm::on_retr}, {"DELE", false, true, &server_fsm::on_dele},
      {"NOOP", false, true, &server_fsm::on_noop}, {"RSET", false, true, &server_fsm::on_rset},
      {"UIDL", false, true, &server_fsm::on_uidl}, {"TOP", false, true, &server_fsm::on_top},
      {"STLS", true, false, &server_fsm::on_stls},
  };
  for (const auto& spec : table) {
    if (spec.keyword == keyword) return &spec;
  }
  return nullptr;
}

server_fsm::server_fsm(tls_settings tls) : tls_(tls), framer_(limits::max_command_line) {}

std::vector<server_action> server_fsm::tls_started() {
  if (!awaiting_tls_) return {};
  awaiting_tls_ = false;
  awaiting_ = false;
  tls_.active = true;
  user_.clear();
  framer_ = line_framer(limits::max_command_line);
  return drain();
}

std::vector<server_action> server_fsm::start() {
  reply_ok("POP3 server ready");
  return std::exchange(out_, {});
}

std::vector<server_action> server_fsm::receive(std::string_view bytes) {
  if (state_ == server_state::closed) return {};
  framer_.feed(bytes);
  return drain();
}

// Handles buffered lines until input runs out, a PASS waits for its
// answer, or the session ends.
std::vector<server_action> server_fsm::drain() {
  while (!awaiting_ && state_ != server_state::closed) {
    auto line = framer_.next();
    if (!line) break;
    handle_line(*line);
  }
  return std::exchange(out_, {});
}

void server_fsm::handle_line(const framed_line& line) {
  if (line.too_long) {
    reply_err("command line too long");
    return;
  }
  out_.push_back(command_action{mask_command(line.text)});
  if (state_ == server_state::authorization && ++authorization_commands_ > limits::max_authorization_commands) {
    send(err_line("too many commands without logging in, signing off"));
    close();
    return;
  }
  auto cmd = parse_command(line.text);
  // RFC 1939 section 7: PASS is only valid immediately after USER.
  if (cmd.keyword != "PASS") user_.clear();
  const command_spec* spec = find_command(cmd.keyword);
  // RFC 2595 4: without TLS offered, STLS is a command we do not know.
  if (!spec || (cmd.keyword == "STLS" && tls_.mode == net::tls_mode::off)) {
    reply_err("unknown command");
    return;
  }
  bool allowed = state_ == server_state::authorization ? spec->in_authorization : spec->in_transaction;
  if (!allowed) {
    reply_err(fmt::format("{} not allowed in the {} state", cmd.keyword, to_string(state_)));
    return;
  }
  (this->*spec->proceed)(cmd.argument);
}

std::vector<server_action> server_fsm::authorized(authorization answer) {
  if (!awaiting_ || awaiting_tls_) return {};
  awaiting_ = false;
  switch (answer.result) {
    case authorization::status::granted:
      messages_ = std::move(answer.messages);
      deleted_.assign(messages_.size(), false);
      state_ = server_state::transaction;
      reply_ok(maildrop_summary());
      break;
    case authorization::status::in_use:
      // RFC 2449 section 8.1.2.
      reply_err("IN-USE", "maildrop is locked by another session");
      break;
    case authorization::status::denied:
      // RFC 3206 section 4; the text does not say whether the user exists.
      reply_err("AUTH", "invalid user name or password");
      break;
    case authorization::status::refused:
      // RFC 3206 section 5: [SYS/TEMP], a condition that will pass.
      send(err_line("SYS/TEMP", "too many failed logins from your address, try again later"));
      close();
      break;
  }
  return drain();
}

void server_fsm::reply_ok(std::string_view text) { send(ok_line(text)); }

void server_fsm::reply_err(std::string_view text) { reply_err({}, text); }

void server_fsm::reply_err(std::string_view code, std::string_view text) {
  if (++errors_ >= limits::max_errors) {
    send(err_line("too many errors, signing off"));
    close();
    return;
  }
  send(code.empty() ? err_line(text) : err_line(code, text));
}

void server_fsm::send(std::string bytes) { out_.push_back(send_action{std::move(bytes)}); }

void server_fsm::close() {
  state_ = server_state::closed;
  out_.emplace_back(std::in_place_type<close_action>);
}

bool server_fsm::no_argument(std::string_view argument) {
  if (argument.empty()) return true;
  reply_err("no argument expected");
  return false;
}

std::optional<std::size_t> server_fsm::message_at(std::string_view argument) {
  auto number = parse_number(argument);
  if (!number) {
    reply_err("invalid message number");
    return std::nullopt;
  }
  if (*number == 0 || *number > messages_.size()) {
    reply_err(fmt::format("no message {}", *number));
    return std::nullopt;
  }
  // RFC 1939 section 5: a deleted message may not be referred to.
  if (deleted_[*number - 1]) {
    reply_err(fmt::format("message {} already deleted", *number));
    return std::nullopt;
  }
  return *number - 1;
}

std::size_t server_fsm::live_count() const {
  return static_cast<std::size_t>(std::count(deleted_.begin(), deleted_.end(), false));
}

std::size_t server_fsm::live_octets() const {
  std::size_t total = 0;
  for (std::size_t i = 0; i < messages_.size(); ++i) {
    if (!deleted_[i]) total += messages_[i].content.size();
  }
  return total;
}

std::string server_fsm::maildrop_summary() const {
  return fmt::format("maildrop has {} messages ({} octets)", live_count(), live_octets());
}

}  // namespace sim::pop3
