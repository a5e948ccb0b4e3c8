// sim/policy/spam_rule_tests.hpp - the tests behind the built-in rules
// (spam_rules_header.cpp: header fields and the client; spam_rules_body.cpp:
// text, HTML, links and attachments).  Used by spam_rules.cpp only.
#pragma once

#include "sim/policy/spam_rules.hpp"

namespace sim::policy::rules {

// Text safe for a trace or a terminal: valid UTF-8 kept, invalid bytes as
// '?', control characters as spaces, cut after about `max` bytes (on a
// character boundary) with "...".
std::string printable(std::string_view text, std::size_t max);
// printable() in double quotes.
std::string excerpt(std::string_view text, std::size_t max = 60);

std::optional<std::string> date_missing(const rule_input& in);
std::optional<std::string> date_malformed(const rule_input& in);
std::optional<std::string> msgid_missing(const rule_input& in);
std::optional<std::string> msgid_malformed(const rule_input& in);
std::optional<std::string> from_missing(const rule_input& in);
std::optional<std::string> from_malformed(const rule_input& in);
std::optional<std::string> from_name_other_domain(const rule_input& in);
std::optional<std::string> subject_all_caps(const rule_input& in);
std::optional<std::string> subject_shouting(const rule_input& in);
std::optional<std::string> to_cc_many(const rule_input& in);
std::optional<std::string> helo_not_fqdn(const rule_input& in);
std::optional<std::string> helo_literal_mismatch(const rule_input& in);
std::optional<std::string> spf_fail(const rule_input& in);
std::optional<std::string> spf_softfail(const rule_input& in);
std::optional<std::string> dkim_fail(const rule_input& in);
std::optional<std::string> dkim_none(const rule_input& in);
std::optional<std::string> dmarc_fail(const rule_input& in);
std::optional<std::string> dmarc_quarantine(const rule_input& in);
std::optional<std::string> dnsbl_listed(const rule_input& in);

std::optional<std::string> money_phrases(const rule_input& in);
std::optional<std::string> urgency_phrases(const rule_input& in);
std::optional<std::string> html_only(const rule_input& in);
std::optional<std::string> html_link_heavy(const rule_input& in);
std::optional<std::string> link_text_other_domain(const rule_input& in);
std::optional<std::string> url_shortener(const rule_input& in);
std::optional<std::string> attach_executable(const rule_input& in);
std::optional<std::string> body_empty(const rule_input& in);
std::optional<std::string> mime_malformed(const rule_input& in);

}  // namespace sim::policy::rules
