// sim/auth/dmarc_decision.hpp - DMARC alignment and the policy decision (RFC 7489 §3.1, §6.6).
//
// Sans-I/O.  Given the record that discovery found (dmarc_eval.hpp does the
// DNS part), the SPF result and the DKIM results, decide_dmarc() says
// pass or fail, which policy applies (p, or sp for a subdomain), and what
// the receiver does after pct (with a random draw the caller injects).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/auth/dkim_check.hpp"
#include "sim/auth/dmarc_record.hpp"
#include "sim/policy/auth_result.hpp"
#include "sim/policy/spf_result.hpp"

namespace sim::auth {

// RFC 7489 §11.2 (Authentication-Results dmarc=; the words are shared with
// the content filter).
using policy::dmarc_result;
using policy::dmarc_result_name;

// What SPF authenticated (RFC 7489 §4.1): the MAIL FROM domain, or the HELO
// domain when the reverse path is null.
struct spf_outcome {
  policy::spf_result result = policy::spf_result::none;
  std::string domain;
};

// §3.1: strict = the same name; relaxed = the same organizational domain.
bool is_aligned(std::string_view identifier, std::string_view from_domain, alignment_mode mode);

struct dmarc_evaluation {
  dmarc_result result = dmarc_result::none;
  std::string from_domain;   // RFC5322.From domain (header.from)
  std::string org_domain;    // its organizational domain (§3.2)
  std::string record_name;   // where the record was found ("_dmarc.example.org")
  std::string record_text;
  std::optional<dmarc_record> record;
  dmarc_policy policy = dmarc_policy::none;       // in effect: p, or sp for a subdomain (policy.dmarc)
  dmarc_policy disposition = dmarc_policy::none;  // what the receiver does, after pct
  bool sampled_out = false;                       // pct spared this message the full policy
  bool spf_aligned = false;
  bool dkim_aligned = false;
  std::string aligned_dkim_domain;  // d= of the first aligned passing signature
  std::string reason;               // for people: "neither SPF nor DKIM is aligned with From: x"
  std::vector<std::string> steps;   // what was done, for `mailsim auth`
};

// §6.6.2 to §6.6.4, with `record` found at `record_name`.  `at_org_domain`
// says discovery fell back to the organizational domain, where sp= applies
// to subdomains.  `pct_draw` is uniform in [0, 100): the policy applies when
// it is below pct (§6.3 pct), otherwise the next softer one does.
void decide_dmarc(dmarc_evaluation& evaluation, const dmarc_record& record, bool at_org_domain,
                  const spf_outcome& spf, const std::vector<dkim_verification>& dkim, unsigned pct_draw);

}  // namespace sim::auth
