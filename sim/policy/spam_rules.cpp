// sim/policy/spam_rules.cpp - the built-in rule table.
//
// Scores are ours, chosen so that one weak sign never files a message as
// junk at the default 5.0 and a handful of them does: a colleague's plain
// note scores 0, an unsigned shouting HTML-only offer with shortened links
// scores well over 5.
#include "sim/policy/spam_rules.hpp"

#include <algorithm>
#include <array>

#include "sim/policy/spam_rule_tests.hpp"

namespace sim::policy {
namespace {

using namespace rules;

constexpr std::array<builtin_rule, 28> table = {{
    // Header fields (RFC 5322 section 3.6: Date and From are required, Message-ID expected)
    {"DATE_MISSING", 10, "no Date field", date_missing},
    {"DATE_MALFORMED", 10, "Date is not a valid RFC 5322 date-time, or appears twice", date_malformed},
    {"MSGID_MISSING", 10, "no Message-ID field", msgid_missing},
    {"MSGID_MALFORMED", 10, "Message-ID is not one <left@right> identifier", msgid_malformed},
    {"FROM_MISSING", 20, "no From field", from_missing},
    {"FROM_MALFORMED", 15, "From holds no valid address, or appears twice", from_malformed},
    {"FROM_NAME_OTHER_DOMAIN", 20, "the From display name shows a domain the address is not in",
     from_name_other_domain},
    {"SUBJECT_ALL_CAPS", 20, "subject written in capital letters", subject_all_caps},
    {"SUBJECT_SHOUTING", 10, "subject with a run of exclamation marks", subject_shouting},
    {"TO_CC_MANY", 15, "To and Cc name 25 addresses or more", to_cc_many},
    // Content
    {"MONEY_PHRASES", 15, "promises money, prizes or something for free", money_phrases},
    {"URGENCY_PHRASES", 15, "pushes the reader to act at once", urgency_phrases},
    {"HTML_ONLY", 15, "HTML without a plain-text alternative", html_only},
    {"HTML_LINK_HEAVY", 15, "an HTML part with many links and little text", html_link_heavy},
    {"LINK_TEXT_OTHER_DOMAIN", 25, "a link shows one domain and leads to another", link_text_other_domain},
    {"URL_SHORTENER", 15, "a link goes through a URL shortener that hides its destination", url_shortener},
    {"ATTACH_EXECUTABLE", 30, "an attachment whose type runs as a program", attach_executable},
    {"BODY_EMPTY", 10, "no text in the body", body_empty},
    {"MIME_MALFORMED", 10, "broken MIME structure (boundary, Content-Type or base64)", mime_malformed},
    // The client and its authentication (what the receiving MTA found out)
    {"HELO_NOT_FQDN", 10, "the client greeted with a name that is not a domain name", helo_not_fqdn},
    {"HELO_LITERAL_MISMATCH", 10, "the client greeted with an address literal not its own", helo_literal_mismatch},
    {"SPF_FAIL", 20, "SPF fail: the sender's domain does not allow this client", spf_fail},
    {"SPF_SOFTFAIL", 10, "SPF softfail: the sender's domain doubts this client", spf_softfail},
    {"DKIM_FAIL", 20, "a DKIM signature does not verify, and none does", dkim_fail},
    {"DKIM_NONE", 10, "no DKIM signature", dkim_none},
    {"DMARC_FAIL", 25, "the From domain's DMARC check fails", dmarc_fail},
    {"DMARC_QUARANTINE", 25, "DMARC fails and the From domain asks receivers to quarantine or reject such mail",
     dmarc_quarantine},
    {"DNSBL_LISTED", 25, "the client is on a DNS blocklist (scored, not refused)", dnsbl_listed},
}};

}  // namespace

std::span<const builtin_rule> builtin_rules() { return table; }

const builtin_rule* find_builtin_rule(std::string_view name) {
  const auto it = std::find_if(table.begin(), table.end(), [&](const builtin_rule& r) { return r.name == name; });
  return it == table.end() ? nullptr : &*it;
}

}  // namespace sim::policy
