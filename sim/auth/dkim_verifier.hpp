// sim/auth/dkim_verifier.hpp - finishing a signature check once its key is known (RFC 6376 §6.1.2, §6.1.3).
//
// No I/O: the key records come in as text.  dkim_verify.hpp looks them up
// over a dns::resolver; tests and tools with their own keys call
// verify_message() with a lookup function.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/auth/dkim_check.hpp"

namespace sim::auth {

// What the key lookup found at SELECTOR._domainkey.DOMAIN.
struct key_lookup {
  enum class outcome { found, absent, failed };  // failed: SERVFAIL or timeout
  outcome status = outcome::absent;
  std::vector<std::string> records;  // TXT records, each with its strings joined
  std::string detail;                // "NXDOMAIN", "no TXT record", "SERVFAIL", "timeout"
};

// §6.1.2 and §6.1.3: the key record (the first that parses), the key
// against the signature, the body hash, then the signature itself.
void finish_check(const dkim_checks& checks, dkim_check& check, const key_lookup& lookup,
                  const verify_options& options);

// The results of every signature of `raw`, at `now`, with keys from `lookup`.
std::vector<dkim_verification> verify_message(std::string_view raw, std::int64_t now,
                                              const std::function<key_lookup(const std::string&)>& lookup,
                                              const verify_options& options = {});

}  // namespace sim::auth
