// sim/auth/auth_results_make.cpp - the spf=, dkim= and dmarc= results a receiver writes.
#include <fmt/format.h>

#include "sim/auth/auth_results.hpp"
#include "sim/policy/spf_report.hpp"

namespace sim::auth {

namespace {

void add(ar_result& r, std::string ptype, std::string property, std::string value) {
  if (!value.empty()) r.properties.push_back({std::move(ptype), std::move(property), std::move(value)});
}

std::string dkim_comment(const dkim_verification& v) {
  if (v.result != dkim_result::pass) return v.reason;
  std::string key = v.algorithm.rfind("ed25519", 0) == 0 ? "ed25519" : "rsa";
  auto text = fmt::format("{}-bit {} key from {}", v.key_bits, key, v.key_name);
  if (v.key_testing) text += "; the key is in testing mode (t=y)";
  if (!v.reason.empty()) text += "; " + v.reason;
  return text;
}

}  // namespace

ar_result spf_ar_result(const policy::spf_evaluation& spf, std::string_view reporter) {
  ar_result r;
  r.method = "spf";
  r.result = std::string(policy::spf_result_name(spf.result));
  r.comment = fmt::format("{}: {}", reporter, policy::spf_comment(spf));
  // RFC 8601 §2.7.2: the identity SPF checked.
  if (spf.identity == "helo") add(r, "smtp", "helo", spf.helo);
  else add(r, "smtp", "mailfrom", spf.mail_from);
  return r;
}

ar_result dkim_ar_result(const dkim_verification& v, std::size_t b_length) {
  ar_result r;
  r.method = "dkim";
  r.result = std::string(dkim_result_name(v.result));
  r.comment = dkim_comment(v);
  add(r, "header", "d", v.domain);
  add(r, "header", "i", v.auid);
  add(r, "header", "s", v.selector);
  add(r, "header", "a", v.algorithm);
  add(r, "header", "b", v.b_text.substr(0, b_length));  // RFC 6008 §4
  return r;
}

ar_result dkim_none_ar_result() {
  ar_result r;
  r.method = "dkim";
  r.result = "none";
  r.comment = "no DKIM-Signature field";
  return r;
}

ar_result dmarc_ar_result(const dmarc_evaluation& e) {
  ar_result r;
  r.method = "dmarc";
  r.result = std::string(dmarc_result_name(e.result));
  if (e.record) {
    const auto& rec = *e.record;
    r.comment = fmt::format("p={} sp={} pct={} dis={}; record at {}", policy_name(rec.p),
                            policy_name(rec.sp.value_or(rec.p)), rec.pct, policy_name(e.disposition), e.record_name);
  } else {
    r.comment = e.reason;
  }
  add(r, "header", "from", e.from_domain);
  if (e.record) add(r, "policy", "dmarc", std::string(policy_name(e.policy)));
  return r;
}

authentication_results receiver_results(std::string_view authserv_id, const policy::spf_evaluation* spf,
                                        const std::vector<dkim_verification>* dkim, const dmarc_evaluation* dmarc) {
  authentication_results ar;
  ar.authserv_id = std::string(authserv_id);
  if (spf) ar.results.push_back(spf_ar_result(*spf, authserv_id));
  if (dkim && dkim->empty()) ar.results.push_back(dkim_none_ar_result());
  if (dkim) {
    const auto length = header_b_length(*dkim);
    for (const auto& v : *dkim) ar.results.push_back(dkim_ar_result(v, length));
  }
  if (dmarc) ar.results.push_back(dmarc_ar_result(*dmarc));
  return ar;
}

std::size_t header_b_length(const std::vector<dkim_verification>& signatures) {
  std::size_t length = 8;
  for (bool clash = true; clash; ++length) {
    clash = false;
    for (std::size_t i = 0; i < signatures.size() && !clash; ++i)
      for (std::size_t j = i + 1; j < signatures.size() && !clash; ++j) {
        const auto& a = signatures[i].b_text;
        const auto& b = signatures[j].b_text;
        clash = a != b && a.size() > length && b.size() > length && a.compare(0, length, b, 0, length) == 0;
      }
    if (!clash) return length;
  }
  return length;
}

}  // namespace sim::auth
