// sim/auth/dmarc_decision.cpp - identifier alignment, p/sp, pct (RFC 7489 §3.1, §6.3, §6.6).
#include "sim/auth/dmarc_decision.hpp"

#include <fmt/format.h>

#include "sim/auth/domain_name.hpp"
#include "sim/auth/org_domain.hpp"

namespace sim::auth {

namespace {

std::string_view mode_name(alignment_mode mode) { return mode == alignment_mode::strict ? "strict" : "relaxed"; }

// §6.6.4 and §6.3 pct: a message left out of the sample gets the next
// less strict policy.
dmarc_policy softer(dmarc_policy p) {
  return p == dmarc_policy::reject ? dmarc_policy::quarantine : dmarc_policy::none;
}

std::string spf_detail(const spf_outcome& spf, bool aligned) {
  if (spf.domain.empty()) return "no SPF result";
  if (spf.result != policy::spf_result::pass)
    return fmt::format("SPF {} for {}", policy::spf_result_name(spf.result), spf.domain);
  return fmt::format("SPF pass for {}{}", spf.domain, aligned ? "" : ", not aligned");
}

std::string dkim_detail(const std::vector<dkim_verification>& dkim, const dmarc_record& record,
                        const std::string& from) {
  if (dkim.empty()) return "no DKIM signature";
  std::string out;
  for (const auto& v : dkim) {
    if (!out.empty()) out += ", ";
    const auto d = v.domain.empty() ? std::string("?") : v.domain;
    if (v.result != dkim_result::pass) out += fmt::format("DKIM {} for {}", dkim_result_name(v.result), d);
    else out += fmt::format("DKIM pass for {}{}", d, is_aligned(d, from, record.adkim) ? "" : ", not aligned");
  }
  return out;
}

void check_alignment(dmarc_evaluation& e, const dmarc_record& record, const spf_outcome& spf,
                     const std::vector<dkim_verification>& dkim) {
  e.spf_aligned = spf.result == policy::spf_result::pass && is_aligned(spf.domain, e.from_domain, record.aspf);
  for (const auto& v : dkim) {
    if (v.result != dkim_result::pass || !is_aligned(v.domain, e.from_domain, record.adkim)) continue;
    e.dkim_aligned = true;
    e.aligned_dkim_domain = v.domain;
    break;
  }
  e.steps.push_back(fmt::format("SPF ({} alignment): {}", mode_name(record.aspf), spf_detail(spf, e.spf_aligned)));
  e.steps.push_back(fmt::format("DKIM ({} alignment): {}", mode_name(record.adkim),
                                dkim_detail(dkim, record, e.from_domain)));
}

}  // namespace

bool is_aligned(std::string_view identifier, std::string_view from_domain, alignment_mode mode) {
  const auto id = normalize_domain(identifier);
  const auto from = normalize_domain(from_domain);
  if (id.empty() || from.empty()) return false;
  if (mode == alignment_mode::strict) return id == from;
  return organizational_domain(id) == organizational_domain(from);
}

void decide_dmarc(dmarc_evaluation& e, const dmarc_record& record, bool at_org_domain, const spf_outcome& spf,
                  const std::vector<dkim_verification>& dkim, unsigned pct_draw) {
  e.record = record;
  // §6.3 sp: for a subdomain whose policy came from the organizational domain.
  const bool subdomain = at_org_domain && e.from_domain != e.org_domain;
  e.policy = subdomain && record.sp ? *record.sp : record.p;
  check_alignment(e, record, spf, dkim);
  if (e.spf_aligned || e.dkim_aligned) {
    e.result = dmarc_result::pass;
    e.disposition = dmarc_policy::none;
    e.reason = e.spf_aligned && e.dkim_aligned
                   ? fmt::format("SPF and DKIM are aligned with From: {}", e.from_domain)
               : e.spf_aligned ? fmt::format("SPF ({}) is aligned with From: {}", spf.domain, e.from_domain)
                               : fmt::format("DKIM ({}) is aligned with From: {}", e.aligned_dkim_domain, e.from_domain);
    e.steps.push_back("pass: " + e.reason);
    return;
  }
  e.result = dmarc_result::fail;
  e.reason = fmt::format("neither SPF nor DKIM is aligned with From: {} ({}; {})", e.from_domain,
                         spf_detail(spf, false), dkim_detail(dkim, record, e.from_domain));
  e.sampled_out = pct_draw >= static_cast<unsigned>(record.pct);
  e.disposition = e.sampled_out ? softer(e.policy) : e.policy;
  e.steps.push_back("fail: " + e.reason);
  e.steps.push_back(fmt::format("policy {} ({}{}), pct={}: {}", policy_name(e.policy), subdomain && record.sp ? "sp=" : "p=",
                                policy_name(e.policy), record.pct,
                                e.sampled_out ? fmt::format("not sampled, {} instead", policy_name(e.disposition))
                                              : std::string("applied")));
}

}  // namespace sim::auth
