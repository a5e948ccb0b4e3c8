// sim/policy/reply_template.hpp - a configurable reply: code, enhanced code, text lines.
//
// The text may name variables as Postfix's rbl_reply_maps and
// smtpd_*_restrictions texts do: $name or ${name}; ${name?text} gives text
// when name is set and not empty, ${name:text} when it is empty; $$ is a
// dollar sign.  A name the check does not define is left as written.  More
// than one line gives a multi-line reply (RFC 5321 section 4.2.1).
// Sans-I/O.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/policy/check_result.hpp"

namespace sim::policy {

using template_vars = std::vector<std::pair<std::string, std::string>>;

struct reply_template {
  int code = 0;
  std::string enhanced;            // RFC 3463, "" = none
  std::vector<std::string> lines;  // at least one
  friend bool operator==(const reply_template&, const reply_template&) = default;
};

std::string expand_text(std::string_view text, const template_vars& vars);
reply expand(const reply_template& t, const template_vars& vars);

// mailsim's generic replies, for an MTA without a check of its own:
// "554 5.7.1 Service unavailable; client [192.0.2.1] blocked using bl.test; REASON"
// (after Postfix's default_rbl_reply) and "451 4.7.1 Greylisted, see RFC
// 6647; try again in N seconds".
reply_template default_dnsbl_reply();
reply_template default_greylist_reply();
}  // namespace sim::policy
