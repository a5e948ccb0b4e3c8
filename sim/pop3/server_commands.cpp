// sim/pop3/server_commands.cpp - what each POP3 command does (server_fsm's table rows).
#include <fmt/format.h>

#include "sim/pop3/command.hpp"
#include "sim/pop3/response.hpp"
#include "sim/pop3/server_fsm.hpp"

namespace sim::pop3 {

// RFC 2449 section 6.  RESP-CODES: we send [IN-USE]; AUTH-RESP-CODE
// (RFC 3206 section 6): we send [AUTH].
// RFC 2595 4: STLS while TLS is offered and not on; USER only where a
// password may be sent (Dovecot's disable_plaintext_auth hides it too).
void server_fsm::on_capa(std::string_view argument) {
  if (!no_argument(argument)) return;
  std::string list = "TOP\r\n";
  if (tls_.mode != net::tls_mode::require || tls_.active) list += "USER\r\n";
  list += "UIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n";
  if (tls_.mode != net::tls_mode::off && !tls_.active && state_ == server_state::authorization) list += "STLS\r\n";
  send(ok_line("Capability list follows") + list + "IMPLEMENTATION mailsim\r\n.\r\n");
}

// RFC 2595 4 with `require`: no password in the clear (Dovecot's words).
bool server_fsm::plaintext_refused() {
  if (tls_.mode != net::tls_mode::require || tls_.active) return false;
  reply_err("AUTH", "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
  return true;
}

void server_fsm::on_stls(std::string_view argument) {
  if (tls_.active) {
    reply_err("TLS already active");
    return;
  }
  if (!no_argument(argument)) return;
  reply_ok("Begin TLS negotiation now.");
  out_.emplace_back(std::in_place_type<starttls_action>);  // (g++ 12 warns falsely on push_back of an empty alternative)
  awaiting_ = awaiting_tls_ = true;  // nothing more is read in the clear
}

void server_fsm::on_user(std::string_view argument) {
  if (plaintext_refused()) return;
  if (argument.empty()) {
    reply_err("USER needs a name");
    return;
  }
  // Any name is accepted here, so that PASS cannot tell whether it exists.
  user_ = std::string(argument);
  reply_ok("send PASS");
}

void server_fsm::on_pass(std::string_view argument) {
  if (plaintext_refused()) return;
  if (user_.empty()) {
    reply_err("USER first");
    return;
  }
  // RFC 1939 section 7: the password is everything after "PASS ", spaces included.
  out_.push_back(authorize_action{std::exchange(user_, {}), std::string(argument)});
  awaiting_ = true;
}

void server_fsm::on_quit(std::string_view argument) {
  if (!no_argument(argument)) return;
  if (state_ == server_state::transaction) {
    // RFC 1939 section 6: only a QUIT from TRANSACTION enters UPDATE.
    state_ = server_state::update;
    commit_action commit;
    for (std::size_t i = 0; i < messages_.size(); ++i) {
      if (deleted_[i]) commit.deleted_uids.push_back(messages_[i].uid);
    }
    out_.push_back(std::move(commit));
    std::size_t left = live_count();
    reply_ok(left == 0 ? "POP3 server signing off (maildrop empty)"
                       : fmt::format("POP3 server signing off ({} messages left)", left));
  } else {
    reply_ok("POP3 server signing off");
  }
  close();
}

void server_fsm::on_stat(std::string_view argument) {
  if (!no_argument(argument)) return;
  reply_ok(fmt::format("{} {}", live_count(), live_octets()));
}

void server_fsm::on_list(std::string_view argument) {
  if (!argument.empty()) {
    if (auto i = message_at(argument)) reply_ok(fmt::format("{} {}", *i + 1, messages_[*i].content.size()));
    return;
  }
  std::string bytes = ok_line(fmt::format("{} messages ({} octets)", live_count(), live_octets()));
  for (std::size_t i = 0; i < messages_.size(); ++i) {
    if (!deleted_[i]) bytes += fmt::format("{} {}\r\n", i + 1, messages_[i].content.size());
  }
  send(bytes + ".\r\n");
}

void server_fsm::on_retr(std::string_view argument) {
  auto i = message_at(argument);
  if (!i) return;
  const auto& content = messages_[*i].content;
  send(ok_line(fmt::format("{} octets", content.size())) + multiline_body(content));
}

void server_fsm::on_dele(std::string_view argument) {
  auto i = message_at(argument);
  if (!i) return;
  deleted_[*i] = true;
  reply_ok(fmt::format("message {} deleted", *i + 1));
}

void server_fsm::on_noop(std::string_view argument) {
  if (no_argument(argument)) reply_ok("");
}

void server_fsm::on_rset(std::string_view argument) {
  if (!no_argument(argument)) return;
  deleted_.assign(messages_.size(), false);
  reply_ok(maildrop_summary());
}

void server_fsm::on_uidl(std::string_view argument) {
  if (!argument.empty()) {
    if (auto i = message_at(argument)) reply_ok(fmt::format("{} {}", *i + 1, messages_[*i].uid));
    return;
  }
  std::string bytes = ok_line("unique-id listing follows");
  for (std::size_t i = 0; i < messages_.size(); ++i) {
    if (!deleted_[i]) bytes += fmt::format("{} {}\r\n", i + 1, messages_[i].uid);
  }
  send(bytes + ".\r\n");
}

void server_fsm::on_top(std::string_view argument) {
  auto args = split_arguments(argument);
  if (args.size() != 2) {
    reply_err("TOP needs a message number and a line count");
    return;
  }
  auto lines = parse_number(args[1]);
  if (!lines) {
    reply_err("invalid line count");
    return;
  }
  auto i = message_at(args[0]);
  if (!i) return;
  send(ok_line("top of message follows") + multiline_body(top_of(messages_[*i].content, *lines)));
}

}  // namespace sim::pop3
