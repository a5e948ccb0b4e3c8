// sim/policy/spf_result.hpp - SPF results and the record of an evaluation.
//
// Sans-I/O: the evaluator (spf_eval) fills an spf_evaluation, the report
// functions (spf_report) turn it into a Received-SPF header, the `mailsim
// spf` output and a policy check.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sim::policy {

// RFC 7208 section 2.6.
enum class spf_result { none, neutral, pass, fail, softfail, temperror, permerror };

// "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"
std::string_view spf_result_name(spf_result result);

// One step of an evaluation: a DNS lookup, a record, a term tried.
struct spf_step {
  int depth = 0;  // nesting: 0 for the checked domain, +1 per include/redirect
  std::string text;
};

struct spf_evaluation {
  spf_result result = spf_result::none;
  std::string explanation;  // for fail: the exp= text or the default (section 6.2)
  std::string problem;      // for temperror / permerror: what went wrong
  std::string identity;     // "mailfrom" or "helo" (section 2.3, 2.4)
  std::string sender;       // <sender>: the MAIL FROM address or postmaster@helo
  std::string domain;       // the domain checked first
  std::string client_ip;    // as given
  std::string helo;
  std::string mail_from;    // as given ("" for the null reverse path)
  int lookups = 0;          // DNS-querying terms used (limit 10, section 4.6.4)
  int void_lookups = 0;     // limit 2, section 4.6.4
  std::vector<spf_step> steps;
};

}  // namespace sim::policy
