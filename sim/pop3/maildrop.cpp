// sim/pop3/maildrop.cpp - the PASS check against a maildrop.
#include "sim/pop3/maildrop.hpp"

namespace sim::pop3 {

authorization authorize(maildrop& drop, std::string_view user, std::string_view password) {
  authorization out;
  if (!drop.check_password(user, password)) {
    out.result = authorization::status::denied;
  } else if (!drop.try_lock(user)) {
    out.result = authorization::status::in_use;
  } else {
    out.result = authorization::status::granted;
    out.messages = drop.open(user);
  }
  return out;
}

}  // namespace sim::pop3
