// sim/policy/auth_result.hpp - the result words of DKIM and DMARC checks, as
// Authentication-Results writes them.  One vocabulary for the verifier
// (sim/auth) and for the content filter's rules (spam_context.hpp).
#pragma once

#include <string_view>

namespace sim::policy {

// RFC 8601 section 2.7.1: the result of verifying one DKIM signature.
enum class dkim_result { none, pass, fail, policy, neutral, temperror, permerror };
// RFC 7489 section 11.2: the DMARC result for the From domain.
enum class dmarc_result { none, pass, fail, temperror, permerror };
// RFC 7489 section 6.3: what the From domain's policy asks of a failing
// message, after pct (none for a message that passes or was sampled out).
enum class dmarc_disposition { none, quarantine, reject };

std::string_view dkim_result_name(dkim_result result);
std::string_view dmarc_result_name(dmarc_result result);
std::string_view dmarc_disposition_name(dmarc_disposition disposition);

}  // namespace sim::policy
