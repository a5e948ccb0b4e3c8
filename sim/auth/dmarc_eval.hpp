// sim/auth/dmarc_eval.hpp - DMARC on arrival: policy discovery over DNS (RFC 7489 §6.6).
//
// A thin coroutine: the From domain (author_domain.hpp), the `_dmarc`
// record at it or at its organizational domain (§6.6.3), then the sans-I/O
// decision (dmarc_decision.hpp).  SPF comes in as a result (sim/policy does
// SPF), DKIM as the verifier's results.  Never throws: DNS failures give
// temperror, unusable records permerror, no record none.
#pragma once

#include <string>
#include <vector>

#include "fake_dns/resolver.hpp"
#include "sim/auth/dmarc_decision.hpp"
#include "sim/core/asio.hpp"

namespace sim::auth {

struct dmarc_request {
  std::string asker;                    // the receiving host
  std::vector<std::string> from_fields; // the unfolded values of every From field
  spf_outcome spf;
  std::vector<dkim_verification> dkim;
  unsigned pct_draw = 0;                // uniform in [0, 100), from the host's seeded stream
};

asio::awaitable<dmarc_evaluation> evaluate_dmarc(dns::resolver& resolver, dmarc_request request);

// The unfolded values of every From field of a message.
std::vector<std::string> from_fields(std::string_view raw_message);

}  // namespace sim::auth
