// sim/policy/spam_filter.cpp - rules compiled from the configuration,
// scoring, and the verdict's header fields, reply and explanation.
#include "sim/policy/spam_filter.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/policy/spam_rule_tests.hpp"

namespace sim::policy {

std::string_view spam_action_name(spam_action action) {
  switch (action) {
    case spam_action::inbox: return "inbox";
    case spam_action::junk: return "junk";
    case spam_action::reject: return "reject";
  }
  return "inbox";
}

namespace {

spam_filter::rule from_builtin(const builtin_rule& b) {
  spam_filter::rule r;
  r.name = b.name;
  r.score = b.score;
  r.description = b.description;
  r.builtin_test = b.test;
  return r;
}

std::string default_description(const spam_rule_config& c) {
  return c.header ? fmt::format("{} matches /{}/", *c.header, c.pattern.value_or(""))
                  : fmt::format("text matches /{}/", c.pattern.value_or(""));
}

// A scenario rule over `r`: a new rule, or changes to a built-in one.
void apply(spam_filter::rule& r, const spam_rule_config& c) {
  r.name = c.name;
  if (c.score) r.score = to_tenths(*c.score);
  if (c.pattern) {
    r.builtin_test = nullptr;
    r.header = c.header;
    r.pattern = regex::compile(*c.pattern);
    r.description = default_description(c);
  }
  if (c.describe) r.description = *c.describe;
}

std::string joined_names(const std::vector<spam_rule_hit>& hits, bool sorted, std::size_t max, std::string_view sep) {
  std::vector<std::string> names;
  for (const auto& h : hits) names.push_back(h.name);
  if (sorted) std::sort(names.begin(), names.end());
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < max; ++i) out += fmt::format("{}{}", i > 0 ? sep : "", names[i]);
  if (names.size() > max) out += fmt::format("{}...", sep);
  return out;
}

}  // namespace

spam_filter::spam_filter(const spam_config& config) {
  if (const auto errors = validate_spam_config(config); !errors.empty())
    throw std::invalid_argument("spam configuration " + errors.front().pointer + ": " + errors.front().message);
  tag_at_ = to_tenths(config.tag_at);
  junk_at_ = to_tenths(config.junk_at);
  reject_at_ = to_tenths(config.reject_at);
  if (config.builtin) {
    for (const builtin_rule& b : builtin_rules()) rules_.push_back(from_builtin(b));
  }
  for (const spam_rule_config& c : config.rules) {
    auto same = std::find_if(rules_.begin(), rules_.end(), [&](const rule& r) { return r.name == c.name; });
    if (same == rules_.end()) same = rules_.insert(rules_.end(), rule{});
    apply(*same, c);
  }
}

std::optional<std::string> spam_filter::test(const rule& r, const rule_input& in) const {
  if (r.builtin_test) return r.builtin_test(in);
  if (r.header) {
    for (const std::string& value : in.message.header_values(*r.header)) {
      if (auto m = r.pattern->search(value)) return *r.header + ": " + rules::excerpt(value.substr(m->position, m->length));
    }
    return std::nullopt;
  }
  for (const scanned_part& part : in.message.parts) {
    if (auto m = r.pattern->search(part.body_text)) return "text: " + rules::excerpt(part.body_text.substr(m->position, m->length));
  }
  return std::nullopt;
}

spam_verdict spam_filter::score(std::string_view raw_message, const spam_context& context) const {
  const scanned_message scanned = scan_message(raw_message);
  const rule_input in{scanned, context};
  spam_verdict v;
  v.tag_at = tag_at_;
  v.junk_at = junk_at_;
  v.reject_at = reject_at_;
  for (const rule& r : rules_) {
    if (r.score == 0) continue;  // as in SpamAssassin, a score of 0 turns a rule off
    if (auto detail = test(r, in)) {
      v.score += r.score;
      v.hits.push_back({r.name, r.score, r.description, rules::printable(*detail, 200)});
    }
  }
  std::sort(v.hits.begin(), v.hits.end(), [](const spam_rule_hit& a, const spam_rule_hit& b) {
    return a.score != b.score ? a.score > b.score : a.name < b.name;
  });
  v.action = v.score >= reject_at_ ? spam_action::reject : v.score >= junk_at_ ? spam_action::junk : spam_action::inbox;
  return v;
}

std::string spam_status_value(const spam_verdict& v) {
  const std::string tests = v.hits.empty() ? "none" : joined_names(v.hits, true, v.hits.size(), ",");
  return fmt::format("{}, score={} required={} tests={}", v.tagged() ? "Yes" : "No", format_points(v.score),
                     format_points(v.tag_at), tests);
}

std::string spam_explanation(const spam_verdict& v) {
  const int threshold = v.action == spam_action::reject ? v.reject_at : v.junk_at;
  std::string rules;
  for (const auto& h : v.hits) rules += fmt::format("{}{} {}", rules.empty() ? "" : ", ", h.name, format_points(h.score));
  return fmt::format("{}: score {} {} {}: {}", spam_action_name(v.action), format_points(v.score),
                     v.score >= threshold ? ">=" : "<", format_points(threshold), rules.empty() ? "no rule hit" : rules);
}

reply spam_reject_reply(const spam_verdict& v) {
  const std::string names = joined_names(v.hits, false, 8, ", ");
  return {550, "5.7.1", fmt::format("Message content rejected as spam: score {} >= {} ({})", format_points(v.score),
                                    format_points(v.reject_at), names)};
}

check_result spam_check_result(const spam_verdict& v) {
  check_result r{"spam", std::string(spam_action_name(v.action)), spam_explanation(v), std::nullopt};
  if (v.action == spam_action::reject) r.reply = spam_reject_reply(v);
  return r;
}

void add_spam_fields(message::message& m, const spam_verdict& v) {
  m.remove("X-Spam-Flag");
  m.remove("X-Spam-Status");
  m.prepend("X-Spam-Status", spam_status_value(v));
  if (v.tagged()) m.prepend("X-Spam-Flag", "YES");
}

}  // namespace sim::policy
