// sim/mta/profiles/profile.cpp - the profiles by name.
#include "sim/mta/profiles/profile.hpp"

namespace sim::mta {

std::vector<std::string_view> profile_names() { return {"postfix", "exim", "sendmail", "opensmtpd"}; }

const profile* find_profile(std::string_view name) {
  for (const profile* p : {&postfix_profile(), &exim_profile(), &sendmail_profile(), &opensmtpd_profile()})
    if (p->name() == name) return p;
  return nullptr;
}

const profile& default_profile() { return postfix_profile(); }

}  // namespace sim::mta
