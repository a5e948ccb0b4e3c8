// sim/auth/auth_results.hpp - the Authentication-Results header field (RFC 8601).
//
// Sans-I/O.  A receiving MTA states what it checked: `spf=` (RFC 7208 §9.1
// properties smtp.mailfrom / smtp.helo), one `dkim=` per signature with
// header.d, header.s, header.b (RFC 6008), and `dmarc=` with header.from
// and policy.dmarc (RFC 7489 §11.2).  Each result carries a comment saying
// where it came from.  The parser reads any Authentication-Results value
// (comments, quoted strings, folding) and never throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/auth/dkim_check.hpp"
#include "sim/auth/dmarc_decision.hpp"
#include "sim/policy/spf_result.hpp"

namespace sim::auth {

inline constexpr std::string_view authentication_results_field = "Authentication-Results";

struct ar_property {
  std::string ptype;     // "header", "smtp", "policy"
  std::string property;  // "d", "mailfrom", "dmarc"
  std::string value;     // unquoted
  friend bool operator==(const ar_property&, const ar_property&) = default;
};

struct ar_result {
  std::string method;   // "spf", "dkim", "dmarc"
  std::string version;  // method version ("" when not given)
  std::string result;   // "pass", "fail", ...
  std::string comment;  // the comments after the result, unescaped, joined by a space
  std::string reason;   // reason= (RFC 8601 §2.2), unquoted
  std::vector<ar_property> properties;
  // The value of ptype.property, or nullptr.
  const std::string* find(std::string_view ptype, std::string_view property) const;
  friend bool operator==(const ar_result&, const ar_result&) = default;
};

struct authentication_results {
  std::string authserv_id;          // the host that checked
  std::string version;              // "" when not given (1)
  std::vector<ar_result> results;   // empty: "none" (§2.2 no-result)
  friend bool operator==(const authentication_results&, const authentication_results&) = default;
};

// The field value, folded: "host;\r\n spf=pass (...) smtp.mailfrom=...;\r\n dkim=...".
std::string format_authentication_results(const authentication_results& ar);

struct ar_parse {
  std::optional<authentication_results> value;
  std::string error;  // what is wrong and where
};
ar_parse parse_authentication_results(std::string_view value);

// --- the results a receiver writes ---

// spf=: the result with spf_comment()'s words, then smtp.mailfrom (the
// address) or smtp.helo when the HELO identity was checked.
ar_result spf_ar_result(const policy::spf_evaluation& spf, std::string_view reporter);
// dkim=: header.d, header.i, header.s, header.a and header.b.  `b_length` is
// how many characters of b= header.b keeps (RFC 6008 §4: 8 at least).
ar_result dkim_ar_result(const dkim_verification& v, std::size_t b_length = 8);
// dmarc=: header.from and policy.dmarc; the comment gives p=, sp=, dis= and
// the record.
ar_result dmarc_ar_result(const dmarc_evaluation& e);
// A `dkim=none` for a message without signatures.
ar_result dkim_none_ar_result();

// The receiver's whole field: spf= when SPF was checked, one dkim= per
// signature (dkim=none for an unsigned message) when DKIM was verified,
// dmarc= when DMARC was evaluated; nullptr for a check that was off.
authentication_results receiver_results(std::string_view authserv_id, const policy::spf_evaluation* spf,
                                        const std::vector<dkim_verification>* dkim, const dmarc_evaluation* dmarc);

// RFC 6008 §4: the shortest header.b length (8 at least) that tells these
// signatures apart.
std::size_t header_b_length(const std::vector<dkim_verification>& signatures);

}  // namespace sim::auth
