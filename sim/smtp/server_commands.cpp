// sim/smtp/server_commands.cpp - the server's command table: checks and proceeds per verb.
#include "sim/smtp/server_fsm.hpp"

#include <array>

namespace sim::smtp {

struct server_fsm::command_entry {
  verb what;
  unsigned states;  // bit mask of server_state where the verb is in sequence
  std::optional<reply> (server_fsm::*check)(const command&);
  void (server_fsm::*proceed)(const command&);
};

namespace {

constexpr unsigned bit(server_state s) { return 1u << static_cast<unsigned>(s); }
constexpr unsigned session_states =
    bit(server_state::greeted) | bit(server_state::ready) | bit(server_state::mail) | bit(server_state::rcpt);
constexpr unsigned any_state = ~0u;

}  // namespace

const server_fsm::command_entry* server_fsm::find_entry(verb v) {
  using f = server_fsm;
  static const std::array<command_entry, 17> table{{
      {verb::ehlo, session_states, &f::check_hello, &f::proceed_hello},
      {verb::helo, session_states, &f::check_hello, &f::proceed_hello},
      {verb::lhlo, session_states, &f::check_hello, &f::proceed_hello},
      {verb::mail, bit(server_state::ready), &f::check_mail, &f::proceed_mail},
      {verb::rcpt, bit(server_state::mail) | bit(server_state::rcpt), &f::check_rcpt, &f::proceed_rcpt},
      {verb::data, bit(server_state::rcpt), &f::check_no_argument, &f::proceed_data},
      {verb::rset, session_states, &f::check_no_argument, &f::proceed_rset},
      {verb::noop, session_states, nullptr, &f::proceed_noop},
      {verb::quit, any_state, &f::check_no_argument, &f::proceed_quit},
      {verb::vrfy, session_states, &f::check_vrfy, &f::proceed_vrfy},
      {verb::help, session_states, nullptr, &f::proceed_help},
      {verb::auth, bit(server_state::ready), &f::check_auth, &f::proceed_auth},
      {verb::starttls, any_state, &f::check_starttls, &f::proceed_starttls},
      {verb::expn, any_state, nullptr, &f::proceed_not_implemented},
      {verb::bdat, any_state, nullptr, &f::proceed_not_implemented},
      {verb::etrn, any_state, nullptr, &f::proceed_not_implemented},
      {verb::turn, any_state, nullptr, &f::proceed_not_implemented},
  }};
  for (const auto& e : table)
    if (e.what == v) return &e;
  return nullptr;
}

void server_fsm::handle_line(const std::string& line) {
  if (observer_.on_command) observer_.on_command(state_ == server_state::auth && line != "*" ? "********"
                                                                                                : mask_auth_line(line));
  if (state_ == server_state::auth) return auth_continue(line);
  // RFC 5321 4.1.1: commands are text; NUL and other controls are refused.
  if (has_control_bytes(line)) return error(reply{500, "5.5.2", "Error: control characters not allowed"});
  if (line.empty()) return error(reply{500, "5.5.2", "Error: bad syntax"});
  command cmd = parse_command(line);
  // RFC 5321 3.1: after a 554 greeting, everything but QUIT gets 503.
  if (state_ == server_state::refused && cmd.what != verb::quit)
    return error(reply{503, "5.5.1", "Error: command refused, send QUIT"});
  // RFC 2033 4.1: an LMTP server knows LHLO, not HELO or EHLO.
  bool wrong_mode = options_.lmtp ? (cmd.what == verb::ehlo || cmd.what == verb::helo) : cmd.what == verb::lhlo;
  const command_entry* entry = wrong_mode ? nullptr : find_entry(cmd.what);
  if (!entry) return error(reply{500, "5.5.2", "Error: command not recognized"});
  if (state_ != server_state::refused && !(entry->states & bit(state_))) return error(sequence_error(cmd.what));
  if (entry->check) {
    if (auto err = (this->*entry->check)(cmd)) return error(std::move(*err));
  }
  // Commands that move no mail (Postfix's junk commands, and HELP).
  bool junk = cmd.what == verb::noop || cmd.what == verb::rset || cmd.what == verb::vrfy || cmd.what == verb::help;
  if (junk) note_junk();
  (this->*entry->proceed)(cmd);
  if (junk) check_error_limit();
}

// RFC 5321 4.3.2 and Postfix's wording for commands out of sequence.
reply server_fsm::sequence_error(verb v) const {
  bool in_transaction = state_ == server_state::mail || state_ == server_state::rcpt;
  switch (v) {
    case verb::mail:
      return reply{503, "5.5.1", in_transaction ? "Error: nested MAIL command" : "Error: send HELO/EHLO first"};
    case verb::rcpt:
      return reply{503, "5.5.1", "Error: need MAIL command"};
    case verb::data:
      if (state_ == server_state::mail) return reply{554, "5.5.1", "Error: no valid recipients"};
      return reply{503, "5.5.1", "Error: need RCPT command"};
    case verb::auth:
      if (in_transaction) return reply{503, "5.5.1", "Error: MAIL transaction in progress"};
      return reply{503, "5.5.1", "Error: send EHLO first"};
    default:
      return reply{503, "5.5.1", "Error: bad sequence of commands"};
  }
}

std::optional<reply> server_fsm::check_hello(const command& c) {
  if (c.argument.empty() || c.argument.find_first_not_of(' ') == std::string::npos)
    return reply{501, "5.5.4", "Syntax: " + c.name + " hostname"};
  return std::nullopt;
}

std::optional<reply> server_fsm::check_mail(const command& c) {
  auto parsed = parse_mail(c.argument);
  if (!parsed.value) return parsed.error;
  // SMTPUTF8 is not offered (RFC 6531 3.4), so its parameter is unknown here.
  if (parsed.value->params.smtputf8) return reply{555, "5.5.4", "Unsupported option: SMTPUTF8"};
  // RFC 1870 6.2: a declared size over the fixed maximum is refused at once.
  if (options_.max_message_size && parsed.value->params.size.value_or(0) > options_.max_message_size)
    return reply{552, "5.3.4", "Message size exceeds fixed limit"};
  // Postfix smtpd_tls_security_level=encrypt: no mail in the clear.
  if (tls_required_first()) return reply{530, "5.7.0", "Must issue a STARTTLS command first"};
  next_mail_ = std::move(parsed.value);
  return std::nullopt;
}

std::optional<reply> server_fsm::check_rcpt(const command& c) {
  auto parsed = parse_rcpt(c.argument);
  if (!parsed.value) return parsed.error;
  // RFC 5321 4.5.3.1.10: too many recipients is a temporary 452.
  if (envelope_.recipients.size() >= options_.max_recipients)
    return reply{452, "4.5.3", "Error: too many recipients"};
  next_rcpt_ = std::move(parsed.value);
  return std::nullopt;
}

std::optional<reply> server_fsm::check_no_argument(const command& c) {
  if (!c.argument.empty()) return reply{501, "5.5.4", "Syntax: " + c.name};
  return std::nullopt;
}

std::optional<reply> server_fsm::check_vrfy(const command& c) {
  if (c.argument.empty()) return reply{501, "5.5.4", "Syntax: VRFY address"};
  return std::nullopt;
}

std::optional<reply> server_fsm::check_auth(const command& c) {
  if (!options_.auth_offered) return reply{503, "5.5.1", "Error: authentication not enabled"};
  // RFC 4954 4 and RFC 3207: no password in the clear where TLS is required.
  if (tls_required_first()) return reply{538, "5.7.11", "Encryption required for requested authentication mechanism"};
  if (authenticated()) return reply{503, "5.5.1", "Error: already authenticated"};  // RFC 4954 4
  auto mech = parse_command(c.argument);
  if (mech.name.empty()) return reply{501, "5.5.4", "Syntax: AUTH mechanism"};
  if (mech.name != "PLAIN" && mech.name != "LOGIN")
    return reply{504, "5.5.4", "Unsupported authentication mechanism"};
  return std::nullopt;
}

// RFC 3207 4 and Postfix's replies: not offered, already on, argument, mid-transaction.
std::optional<reply> server_fsm::check_starttls(const command& c) {
  if (options_.lmtp || options_.tls == net::tls_mode::off) return reply{502, "5.5.1", "Error: command not implemented"};
  if (tls_) return reply{554, "5.5.1", "Error: TLS already active"};
  if (!c.argument.empty()) return reply{501, "5.5.4", "Syntax: STARTTLS"};
  if (state_ == server_state::mail || state_ == server_state::rcpt)
    return reply{503, "5.5.1", "Error: MAIL transaction in progress"};
  return std::nullopt;
}

// RFC 3207 4: 220, then the handshake; anything the client pipelined after
// the command in the clear is dropped, never read as a command after the
// handshake (RFC 3207 4.2; CVE-2011-0411).
void server_fsm::proceed_starttls(const command&) {
  emit(reply{220, "2.0.0", "Ready to start TLS"});
  in_.clear();
  pos_ = 0;
  awaiting_tls_ = true;
}

void server_fsm::proceed_hello(const command& c) {
  hello_verb_ = c.what;
  ask_for(ask::helo, phase::ehlo, c.argument, reply{250, "", options_.host_name});
}

void server_fsm::proceed_mail(const command&) {
  ask_for(ask::mail, phase::mail, next_mail_->reverse_path ? next_mail_->reverse_path->text() : "",
          reply{250, "2.1.0", "Ok"});
}

void server_fsm::proceed_rcpt(const command&) {
  ask_for(ask::rcpt, phase::rcpt, next_rcpt_->forward_path.text(), reply{250, "2.1.5", "Ok"});
}

void server_fsm::proceed_data(const command&) {
  ask_for(ask::data, phase::data, "", reply{354, "", "End data with <CR><LF>.<CR><LF>"});
}

void server_fsm::proceed_rset(const command&) {
  reset_transaction();
  if (state_ != server_state::greeted) enter_state(server_state::ready);
  emit(reply{250, "2.0.0", "Ok"});
}

void server_fsm::proceed_noop(const command&) { emit(reply{250, "2.0.0", "Ok"}); }

void server_fsm::proceed_quit(const command&) { ask_for(ask::quit, phase::quit, "", reply{221, "2.0.0", "Bye"}); }

// RFC 5321 3.5.3: 252 when we will not say whether a mailbox exists.
void server_fsm::proceed_vrfy(const command&) {
  emit(reply{252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery"});
}

void server_fsm::proceed_help(const command&) {
  std::string verbs = options_.lmtp ? "LHLO" : "EHLO HELO";
  verbs += " MAIL RCPT DATA RSET NOOP QUIT VRFY HELP";
  if (options_.auth_offered) verbs += " AUTH";
  if (!options_.lmtp && options_.tls != net::tls_mode::off && !tls_) verbs += " STARTTLS";
  emit(reply{214, "2.0.0", "Commands: " + verbs});
}

void server_fsm::proceed_not_implemented(const command&) {
  error(reply{502, "5.5.1", "Error: command not implemented"});
}

}  // namespace sim::smtp
