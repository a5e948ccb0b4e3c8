// sim/imap/server_auth.cpp - commands of any state and of the not-authenticated
// state: CAPABILITY, NOOP, LOGOUT, ID, STARTTLS, LOGIN, AUTHENTICATE; and ENABLE,
// NAMESPACE and IDLE, which answer without touching mail.
#include <fmt/format.h>

#include "sim/imap/mailbox_name.hpp"
#include "sim/imap/server_fsm.hpp"
#include "sim/imap/syntax.hpp"
#include "sim/message/mime.hpp"

namespace sim::imap {

void server_fsm::on_capability(const command_head& h, command_args&) {
  untagged(fmt::format("CAPABILITY {}", capabilities()));
  ok(h.tag, "", "CAPABILITY completed");
}

// Updates, if any, go out before the tagged OK (finish_command).
void server_fsm::on_noop(const command_head& h, command_args&) { ok(h.tag, "", "NOOP completed"); }

void server_fsm::on_logout(const command_head& h, command_args&) {
  untagged("BYE IMAP4rev1 server logging out");
  ok(h.tag, "", "LOGOUT completed");
  logout_ = true;
}

// RFC 2971 §3.1: the server answers with its own identification.
void server_fsm::on_id(const command_head& h, command_args&) {
  untagged("ID (\"name\" \"mailsim\")");
  ok(h.tag, "", "ID completed");
}

void server_fsm::login_succeeded(const std::string& tag, const std::string& user, std::string_view what) {
  user_ = user;
  watch_user();
  enter_state(server_state::authenticated);
  // RFC 9051 §6.2.3: the capabilities may change; tell them at once.
  ok(tag, fmt::format("CAPABILITY {}", capabilities()), fmt::format("{} completed", what));
}

void server_fsm::login_failed(const std::string& tag, std::string_view why) {
  ++errors_;
  no(tag, "AUTHENTICATIONFAILED", why);
}

bool server_fsm::login_disabled() const { return config_.tls == net::tls_mode::require && !tls_active_; }

// RFC 9051 §7.1 PRIVACYREQUIRED: "the client could try STARTTLS and then
// reissue the command".  Not counted as an error: no password was checked.
bool server_fsm::privacy_required(const std::string& tag) {
  if (!login_disabled()) return false;
  no(tag, "PRIVACYREQUIRED", "TLS is required before login: use STARTTLS");
  return true;
}

// RFC 9051 §6.2.1: the tagged OK, then the handshake (finish_command adds
// the starttls_action after the OK).  Once TLS is on it is not offered again.
void server_fsm::on_starttls(const command_head& h, command_args&) {
  if (tls_active_) {
    bad(h.tag, "TLS is already active");
    return;
  }
  ok(h.tag, "", "Begin TLS negotiation now");
  awaiting_tls_ = true;
}

void server_fsm::on_login(const command_head& h, command_args& a) {
  if (privacy_required(h.tag)) return;
  auto& args = std::get<login_args>(a);
  // The same answer for an unknown user and a wrong password.
  if (auto user = store_.authenticate(args.user, args.password)) login_succeeded(h.tag, *user, "LOGIN");
  else login_failed(h.tag, "invalid user name or password");
}

void server_fsm::on_authenticate(const command_head& h, command_args& a) {
  if (privacy_required(h.tag)) return;
  auto& args = std::get<authenticate_args>(a);
  if (args.mechanism != "PLAIN") {
    no(h.tag, "", "unsupported authentication mechanism (PLAIN is offered)");
    return;
  }
  if (args.initial) {
    // RFC 4959 §3: "=" is an empty initial response.
    check_plain(h.tag, *args.initial == "=" ? std::string_view{} : std::string_view(*args.initial));
    return;
  }
  // An empty challenge; the client's answer comes as a line of its own.
  send("+ \r\n");
  mode_ = input_mode::authenticate;
  pending_tag_ = h.tag;
}

// RFC 4616: [authzid] NUL authcid NUL passwd, in base64.
void server_fsm::check_plain(const std::string& tag, std::string_view base64) {
  auto decoded = message::base64_decode(base64);
  if (!decoded) {
    bad(tag, "invalid base64 in AUTHENTICATE");
    return;
  }
  auto first = decoded->find('\0');
  auto second = first == std::string::npos ? first : decoded->find('\0', first + 1);
  if (second == std::string::npos || decoded->find('\0', second + 1) != std::string::npos) {
    login_failed(tag, "malformed PLAIN credentials");
    return;
  }
  std::string authzid = decoded->substr(0, first);
  std::string authcid = decoded->substr(first + 1, second - first - 1);
  std::string password = decoded->substr(second + 1);
  auto user = store_.authenticate(authcid, password);
  if (!user) {
    login_failed(tag, "invalid user name or password");
  } else if (!authzid.empty() && authzid != authcid && authzid != *user) {
    // Acting as another user is not offered.
    ++errors_;
    no(tag, "AUTHORIZATIONFAILED", "cannot act as another user");
  } else {
    login_succeeded(tag, *user, "AUTHENTICATE");
  }
}

// RFC 5161: none of the extensions we offer needs enabling, so ENABLED
// lists nothing (§3.1: only extensions that were enabled are listed).
void server_fsm::on_enable(const command_head& h, command_args&) {
  untagged("ENABLED");
  ok(h.tag, "", "ENABLE completed");
}

// RFC 2342: one personal namespace, no prefix, "/" between levels.
void server_fsm::on_namespace(const command_head& h, command_args&) {
  untagged(fmt::format("NAMESPACE ((\"\" {})) NIL NIL", quote(std::string(1, hierarchy_delimiter))));
  ok(h.tag, "", "NAMESPACE completed");
}

// RFC 2177 §3: "+" then updates as they happen, until DONE.
void server_fsm::on_idle(const command_head& h, command_args&) {
  send("+ idling\r\n");
  mode_ = input_mode::idle;
  pending_tag_ = h.tag;
  if (dirty_) finish_command({h.tag, "IDLE", false});
}

}  // namespace sim::imap
