// sim/auth/dkim_verify.hpp - DKIM verification on arrival, keys over DNS (RFC 6376 §6).
//
// A thin coroutine over the sans-I/O steps (dkim_check.hpp) and the crypto
// (dkim_verifier.hpp): for each signature that needs a key it asks the
// resolver for `SELECTOR._domainkey.DOMAIN TXT`.  Never throws for bad
// input or DNS failures: SERVFAIL and timeouts give temperror.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fake_dns/resolver.hpp"
#include "sim/auth/dkim_check.hpp"
#include "sim/auth/dkim_verifier.hpp"
#include "sim/core/asio.hpp"

namespace sim::auth {

struct dkim_request {
  std::string asker;    // the receiving host (the trace's host for dns.query)
  std::string message;  // the message as received
  std::int64_t now = 0; // seconds since the epoch (for x=)
  verify_options options;
};

// One result per DKIM-Signature field, top to bottom; empty for an unsigned
// message (Authentication-Results dkim=none).
asio::awaitable<std::vector<dkim_verification>> verify_dkim(dns::resolver& resolver, dkim_request request);

// The lookup as dkim_verifier.hpp wants it, from a DNS answer.
key_lookup key_lookup_from(const dns::answer& answer);

}  // namespace sim::auth
