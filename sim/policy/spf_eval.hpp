// sim/policy/spf_eval.hpp - SPF evaluation: check_host() of RFC 7208.
//
// DNS comes through the awaitable dns::resolver, so evaluation is a
// coroutine; parsing and macro expansion are sans-I/O (spf_record,
// spf_macro).  Every DNS lookup, record and term is written to the
// evaluation's steps, which `mailsim spf` prints.
#pragma once

#include <cstdint>
#include <string>

#include "fake_dns/resolver.hpp"
#include "sim/core/asio.hpp"
#include "sim/policy/spf_result.hpp"

namespace sim::policy {

// RFC 7208 section 6.2: the explanation used when a failing record has no
// usable exp= (a macro-string, expanded like an exp TXT).
inline constexpr std::string_view spf_default_explanation =
    "%{i} is not one of %{d}'s designated mail servers";

struct spf_request {
  std::string client_ip;   // IPv4 or IPv6 text; IPv4-mapped IPv6 counts as IPv4
  std::string mail_from;   // MAIL FROM address without <>; "" = null reverse path
  std::string helo;        // HELO/EHLO domain
  std::string asker;       // the host asking DNS (the trace's host)
  std::string receiver = "unknown";  // %{r}: the receiving host's domain
  std::int64_t timestamp = 0;        // %{t}: seconds since the epoch
  std::string default_explanation = std::string(spf_default_explanation);
};

// Checks the MAIL FROM identity, or the HELO identity when MAIL FROM is
// the null reverse path (section 2.4), and computes the explanation of a
// fail (section 6.2).  Never throws for DNS failures: they become temperror.
asio::awaitable<spf_evaluation> evaluate_spf(dns::resolver& resolver, spf_request request);

}  // namespace sim::policy
