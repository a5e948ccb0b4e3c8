// sim/policy/spam_rules_header.cpp - built-in rules on header fields and on
// what the receiving MTA knows of the client.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/policy/header_syntax.hpp"
#include "sim/policy/links.hpp"
#include "sim/policy/spam_rule_tests.hpp"

namespace sim::policy::rules {

using result = std::optional<std::string>;

namespace {

// Length of the valid UTF-8 sequence at text[i] (RFC 3629 section 4), or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < max) {
    const std::size_t n = utf8_length(text, i);
    const auto c = static_cast<unsigned char>(text[i]);
    if (n == 0) out += '?';
    else if (n == 1) out += c < 0x20 || c == 0x7f ? ' ' : text[i];
    else out += text.substr(i, n);
    i += n == 0 ? 1 : n;
  }
  if (i < text.size()) out += "...";
  return out;
}

std::string excerpt(std::string_view text, std::size_t max) {
  std::string out(1, '"');
  out += printable(text, max);
  out += '"';
  return out;
}

namespace {

// A required-once field: missing, or its values when present.
std::vector<std::string> raw_values(const rule_input& in, std::string_view name) { return in.message.top.get_all(name); }

result malformed_single(const rule_input& in, std::string_view name, bool (*valid)(std::string_view)) {
  const auto values = raw_values(in, name);
  if (values.size() > 1) return fmt::format("{} {} fields", values.size(), name);
  if (values.size() == 1 && !valid(values.front())) return fmt::format("{}: {}", name, excerpt(values.front()));
  return std::nullopt;
}

std::optional<std::string> subject(const rule_input& in) {
  auto values = in.message.header_values("Subject");
  if (values.empty()) return std::nullopt;
  return std::move(values.front());
}

}  // namespace

result date_missing(const rule_input& in) {
  return raw_values(in, "Date").empty() ? result("no Date field") : std::nullopt;
}

result date_malformed(const rule_input& in) { return malformed_single(in, "Date", is_valid_date_time); }

result msgid_missing(const rule_input& in) {
  return raw_values(in, "Message-ID").empty() ? result("no Message-ID field") : std::nullopt;
}

result msgid_malformed(const rule_input& in) { return malformed_single(in, "Message-ID", is_valid_msg_id); }

result from_missing(const rule_input& in) {
  return raw_values(in, "From").empty() ? result("no From field") : std::nullopt;
}

result from_malformed(const rule_input& in) {
  return malformed_single(in, "From", [](std::string_view v) { return parse_mailbox_list(v).has_value(); });
}

result from_name_other_domain(const rule_input& in) {
  const auto values = raw_values(in, "From");
  if (values.size() != 1) return std::nullopt;
  const auto boxes = parse_mailbox_list(values.front());
  if (!boxes) return std::nullopt;
  for (const mailbox_address& box : *boxes) {
    for (const std::string& shown : domains_in_text(box.display_name)) {
      if (!same_site(shown, box.domain))
        return fmt::format("name {} shows {}, address is in {}", excerpt(box.display_name), shown, box.domain);
    }
  }
  return std::nullopt;
}

result subject_all_caps(const rule_input& in) {
  const auto s = subject(in);
  if (!s) return std::nullopt;
  std::size_t upper = 0, lower = 0;
  for (char c : *s) {
    upper += c >= 'A' && c <= 'Z';
    lower += c >= 'a' && c <= 'z';
  }
  // Nine in ten letters capitals, with enough letters to judge.
  if (upper + lower < caps_subject_min_letters || lower * 10 > upper + lower) return std::nullopt;
  return "Subject: " + excerpt(*s);
}

result subject_shouting(const rule_input& in) {
  const auto s = subject(in);
  if (!s) return std::nullopt;
  const auto marks = std::count(s->begin(), s->end(), '!');
  if (marks < 3 && s->find("!!") == std::string::npos) return std::nullopt;
  return "Subject: " + excerpt(*s);
}

result to_cc_many(const rule_input& in) {
  std::size_t n = 0;
  for (std::string_view name : {"To", "Cc"}) {
    for (const std::string& value : raw_values(in, name)) n += count_addresses(value);
  }
  if (n < many_recipients) return std::nullopt;
  return fmt::format("{} addresses in To and Cc", n);
}

// RFC 5321 section 4.1.1.1: EHLO gives the client's fully-qualified domain
// name, or an address literal when it has none.
result helo_not_fqdn(const rule_input& in) {
  const auto& helo = in.context.helo;
  if (!helo || helo->starts_with('[') || helo->find('.') != std::string::npos) return std::nullopt;
  return "HELO " + excerpt(*helo);
}

result helo_literal_mismatch(const rule_input& in) {
  const auto& helo = in.context.helo;
  if (!helo || !in.context.client_ip || !helo->starts_with('[') || !helo->ends_with(']')) return std::nullopt;
  std::string_view literal = std::string_view(*helo).substr(1, helo->size() - 2);
  if (literal.starts_with("IPv6:") || literal.starts_with("ipv6:")) literal.remove_prefix(5);  // RFC 5321 section 4.1.3
  const auto given = parse_ip(literal);
  if (given && unmap_ipv4(*given) == unmap_ipv4(*in.context.client_ip)) return std::nullopt;
  return fmt::format("HELO {} from [{}]", *helo, format_ip(*in.context.client_ip));
}

result spf_fail(const rule_input& in) {
  return in.context.spf == spf_result::fail ? result("SPF fail") : std::nullopt;
}

result spf_softfail(const rule_input& in) {
  return in.context.spf == spf_result::softfail ? result("SPF softfail") : std::nullopt;
}

result dkim_fail(const rule_input& in) {
  const auto& dkim = in.context.dkim;
  if (!dkim || std::count(dkim->begin(), dkim->end(), dkim_result::pass) > 0) return std::nullopt;
  const auto bad = std::count_if(dkim->begin(), dkim->end(),
                                 [](dkim_result r) { return r == dkim_result::fail || r == dkim_result::permerror; });
  if (bad == 0) return std::nullopt;
  return fmt::format("{} of {} signatures fail", bad, dkim->size());
}

result dkim_none(const rule_input& in) {
  const auto& dkim = in.context.dkim;
  if (!dkim || !std::all_of(dkim->begin(), dkim->end(), [](dkim_result r) { return r == dkim_result::none; }))
    return std::nullopt;
  return result("no DKIM signature");
}

result dmarc_fail(const rule_input& in) {
  return in.context.dmarc == dmarc_result::fail ? result("DMARC fail") : std::nullopt;
}

// RFC 7489 section 6.3: p=quarantine asks that failing mail be treated as
// suspicious (the Junk folder); p=reject that this MTA did not enforce
// (dmarc "report") is at least as strong a sign.
result dmarc_quarantine(const rule_input& in) {
  const auto d = in.context.dmarc_policy;
  if (in.context.dmarc != dmarc_result::fail || !d || *d == dmarc_disposition::none) return std::nullopt;
  return fmt::format("the domain's DMARC policy says {}", dmarc_disposition_name(*d));
}

result dnsbl_listed(const rule_input& in) {
  if (in.context.dnsbl.empty()) return std::nullopt;
  std::string detail = "listed on ";
  for (std::size_t i = 0; i < in.context.dnsbl.size(); ++i) {
    const auto& l = in.context.dnsbl[i];
    detail += fmt::format("{}{} ({})", i > 0 ? ", " : "", l.zone, l.code);
  }
  return detail;
}

}  // namespace sim::policy::rules
