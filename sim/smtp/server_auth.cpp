// sim/smtp/server_auth.cpp - SMTP AUTH PLAIN and LOGIN exchanges (RFC 4954, RFC 4616).
#include "sim/smtp/base64.hpp"
#include "sim/smtp/server_fsm.hpp"

namespace sim::smtp {
namespace {

// RFC 4954 4: "=" is an empty initial response.
std::optional<std::string> decode_response(std::string_view text) {
  if (text == "=") return std::string();
  return base64_decode(text);
}

}  // namespace

// AUTH mechanism [initial-response] (RFC 4954 4).
void server_fsm::proceed_auth(const command& c) {
  command mech = parse_command(c.argument);  // mechanism name, then the initial response
  bool initial = !mech.argument.empty();
  enter_state(server_state::auth);
  if (mech.name == "PLAIN") {
    if (initial) return auth_plain(mech.argument);
    auth_step_ = auth_step::plain;
    return emit(reply{334, "", ""});
  }
  if (initial) return auth_login_user(mech.argument);
  auth_step_ = auth_step::login_user;
  emit(reply{334, "", base64_encode("Username:")});
}

void server_fsm::auth_continue(const std::string& line) {
  // RFC 4954 4: "*" cancels the exchange with 501.
  if (line == "*") return auth_fail(reply{501, "5.0.0", "Authentication cancelled"}, false);
  switch (auth_step_) {
    case auth_step::plain: return auth_plain(line);
    case auth_step::login_user: return auth_login_user(line);
    case auth_step::login_password: return auth_login_password(line);
    case auth_step::none: return auth_fail(reply{501, "5.5.2", "Error: unexpected response"}, true);
  }
}

void server_fsm::auth_fail(reply r, bool count_error) {
  auth_step_ = auth_step::none;
  enter_state(server_state::ready);
  if (count_error) error(std::move(r));
  else emit(std::move(r));
}

// RFC 4616 2: [authzid] NUL authcid NUL passwd.
void server_fsm::auth_plain(std::string_view response) {
  auto raw = decode_response(response);
  if (!raw) return auth_fail(reply{501, "5.5.2", "Cannot decode response"}, true);
  auto first = raw->find('\0');
  auto second = first == std::string::npos ? first : raw->find('\0', first + 1);
  if (second == std::string::npos || raw->find('\0', second + 1) != std::string::npos || second == first + 1)
    return auth_fail(reply{501, "5.5.2", "Invalid authentication message"}, true);
  auth_credentials cred{"PLAIN", raw->substr(0, first), raw->substr(first + 1, second - first - 1),
                        raw->substr(second + 1)};
  auth_step_ = auth_step::none;
  ask_for(ask::auth, phase::other, cred.authcid, reply{235, "2.7.0", "Authentication successful"});
  pending_->credentials = std::move(cred);
}

void server_fsm::auth_login_user(std::string_view response) {
  auto user = decode_response(response);
  if (!user) return auth_fail(reply{501, "5.5.2", "Cannot decode response"}, true);
  login_user_ = std::move(*user);
  auth_step_ = auth_step::login_password;
  emit(reply{334, "", base64_encode("Password:")});
}

void server_fsm::auth_login_password(std::string_view response) {
  auto password = decode_response(response);
  if (!password) return auth_fail(reply{501, "5.5.2", "Cannot decode response"}, true);
  auth_step_ = auth_step::none;
  ask_for(ask::auth, phase::other, login_user_, reply{235, "2.7.0", "Authentication successful"});
  pending_->credentials = auth_credentials{"LOGIN", "", login_user_, std::move(*password)};
}

}  // namespace sim::smtp
