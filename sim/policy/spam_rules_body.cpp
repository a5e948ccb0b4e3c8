// sim/policy/spam_rules_body.cpp - built-in rules on the text, the HTML,
// the links and the attachments.
#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/message/text.hpp"
#include "sim/policy/links.hpp"
#include "sim/policy/regex.hpp"
#include "sim/policy/spam_rule_tests.hpp"

namespace sim::policy::rules {

using result = std::optional<std::string>;

namespace {

// Phrases of the "easy money" kind, in the subject or the text.
constexpr std::string_view money_pattern =
    "(?i)\\$ ?\\d{1,3}(?:,\\d{3}){2,}|"
    "\\b(?:free (?:money|cash|gifts?|iphone|vacation|trial)|cash (?:bonus|prize|reward)|"
    "you(?:'ve| have)? (?:won|been selected)|winner|jackpot|lottery|sweepstakes|"
    "claim (?:your|the) (?:prize|reward|cash|money|refund|gift)|"
    "\\d+ (?:million|thousand) (?:dollars|euros|usd|pounds)|"
    "100% free|risk[- ]free|double your (?:money|income)|earn (?:extra )?(?:cash|money)|"
    "make money|no credit check|unclaimed (?:funds|inheritance)|wire transfer|crypto(?:currency)? profits?)\\b";

// Phrases that press for action before the reader thinks.
constexpr std::string_view urgency_pattern =
    "(?i)\\b(?:act (?:now|fast|immediately)|urgent(?:ly)?|immediate (?:action|response)|"
    "limited[- ]time|(?:offer|deal) (?:ends|expires)|expires? (?:today|tonight|soon|in \\d+ (?:hours?|minutes?))|"
    "last chance|final (?:notice|warning|reminder)|don'?t (?:miss (?:out|this)|delay|wait)|"
    "within (?:12|24|48) hours|only \\d+ (?:left|remaining)|hurry|before it'?s too late|"
    "(?:account|mailbox) (?:will be )?(?:suspended|closed|locked|deactivated)|"
    "verify your (?:account|identity|password))\\b";

// The built-in patterns are constants: one that does not compile is a bug.
regex builtin_pattern(std::string_view pattern) {
  regex_error error;
  auto re = regex::compile(pattern, {}, &error);
  if (!re) throw std::logic_error("built-in spam pattern: " + error.to_string());
  return *re;
}

const regex& money_regex() {
  static const regex re = builtin_pattern(money_pattern);
  return re;
}

const regex& urgency_regex() {
  static const regex re = builtin_pattern(urgency_pattern);
  return re;
}

// The first match in the subject, then in each text part.
result phrase_in_message(const rule_input& in, const regex& re) {
  for (const std::string& subject : in.message.header_values("Subject")) {
    if (auto m = re.search(subject)) return "Subject has " + excerpt(subject.substr(m->position, m->length));
  }
  for (const scanned_part& part : in.message.parts) {
    if (auto m = re.search(part.body_text)) return "text has " + excerpt(part.body_text.substr(m->position, m->length));
  }
  return std::nullopt;
}

bool has_visible_text(const scanned_part& part) {
  return std::any_of(part.body_text.begin(), part.body_text.end(),
                     [](char c) { return !std::isspace(static_cast<unsigned char>(c)); });
}

// File types Windows runs (or opens with a script host) on a double click.
constexpr std::array<std::string_view, 24> executable_extensions = {
    "bat", "cmd", "com", "cpl", "dll", "exe", "hta", "jar", "js", "jse", "lnk", "msi",
    "msp", "pif", "ps1", "reg", "scf", "scr", "vb", "vbe", "vbs", "wsc", "wsf", "wsh"};
constexpr std::array<std::string_view, 5> executable_types = {
    "application/x-msdownload", "application/x-msdos-program", "application/x-dosexec", "application/hta",
    "application/x-ms-shortcut"};

// The extension after the last dot, lower case; Windows ignores trailing dots and spaces.
std::string extension_of(std::string_view name) {
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.remove_suffix(1);
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? "" : message::to_lower(name.substr(dot + 1));
}

}  // namespace

result money_phrases(const rule_input& in) { return phrase_in_message(in, money_regex()); }

result urgency_phrases(const rule_input& in) { return phrase_in_message(in, urgency_regex()); }

result html_only(const rule_input& in) {
  const auto& parts = in.message.parts;
  const auto shown = [&](std::string_view type) {
    return std::any_of(parts.begin(), parts.end(), [&](const scanned_part& p) { return p.text && p.mime_type == type; });
  };
  if (!shown("text/html") || shown("text/plain")) return std::nullopt;
  return result("text/html and no text/plain");
}

result html_link_heavy(const rule_input& in) {
  for (const scanned_part& p : in.message.parts) {
    if (p.mime_type != "text/html" || p.links < heavy_html_min_links) continue;
    if (p.visible_chars < heavy_html_chars_per_link * p.links)
      return fmt::format("{} links, {} characters of text", p.links, p.visible_chars);
  }
  return std::nullopt;
}

result link_text_other_domain(const rule_input& in) {
  for (const scanned_link& link : in.message.links) {
    for (const std::string& shown : domains_in_text(link.shown)) {
      if (!same_site(shown, link.host)) return fmt::format("text shows {}, link goes to {}", shown, link.host);
    }
  }
  return std::nullopt;
}

result url_shortener(const rule_input& in) {
  std::vector<std::string> hosts;
  for (const scanned_link& link : in.message.links) {
    if (is_url_shortener(link.host) && std::find(hosts.begin(), hosts.end(), link.host) == hosts.end())
      hosts.push_back(link.host);
  }
  if (hosts.empty()) return std::nullopt;
  std::string detail = "links through ";
  for (std::size_t i = 0; i < hosts.size(); ++i) detail += (i > 0 ? ", " : "") + hosts[i];
  return detail;
}

result attach_executable(const rule_input& in) {
  for (const scanned_part& p : in.message.parts) {
    const std::string ext = extension_of(p.filename);
    const bool by_name = !ext.empty() && std::find(executable_extensions.begin(), executable_extensions.end(), ext) !=
                                             executable_extensions.end();
    const bool by_type =
        std::find(executable_types.begin(), executable_types.end(), p.mime_type) != executable_types.end();
    if (by_name || by_type) return fmt::format("{} ({})", p.filename.empty() ? "a part" : excerpt(p.filename), p.mime_type);
  }
  return std::nullopt;
}

result body_empty(const rule_input& in) {
  const auto& parts = in.message.parts;
  if (std::any_of(parts.begin(), parts.end(), has_visible_text)) return std::nullopt;
  return result("no visible text in any text part");
}

result mime_malformed(const rule_input& in) {
  const auto& problems = in.message.mime_problems;
  if (problems.empty()) return std::nullopt;
  if (problems.size() == 1) return problems.front();
  return fmt::format("{} (and {} more)", problems.front(), problems.size() - 1);
}

}  // namespace sim::policy::rules
