// sim/auth/org_domain.cpp - RFC 7489 §3.2 over libpsl's built-in Public Suffix List.
#include "sim/auth/org_domain.hpp"

#include <libpsl.h>

#include "sim/auth/domain_name.hpp"

namespace sim::auth {

namespace {

// psl_builtin() is a static table inside libpsl: no file is read.
const psl_ctx_t* suffix_list() { return psl_builtin(); }

}  // namespace

std::string organizational_domain(std::string_view domain) {
  const std::string name = normalize_domain(domain);
  const psl_ctx_t* psl = suffix_list();
  if (name.empty() || psl == nullptr) return name;
  // §3.2 steps 3-4: the longest matching suffix plus the next label.
  const char* registrable = psl_registrable_domain(psl, name.c_str());
  return registrable ? std::string(registrable) : name;
}

bool is_public_suffix(std::string_view domain) {
  const std::string name = normalize_domain(domain);
  const psl_ctx_t* psl = suffix_list();
  return psl != nullptr && !name.empty() && psl_is_public_suffix(psl, name.c_str()) != 0;
}

}  // namespace sim::auth
