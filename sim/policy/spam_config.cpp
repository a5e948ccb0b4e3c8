// sim/policy/spam_config.cpp - points in tenths, and validating the settings.
#include "sim/policy/spam_config.hpp"

#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "sim/policy/regex.hpp"
#include "sim/policy/spam_rules.hpp"

namespace sim::policy {

int to_tenths(double points) { return static_cast<int>(std::lround(points * 10.0)); }

std::string format_points(int tenths) {
  return fmt::format("{}{}.{}", tenths < 0 ? "-" : "", std::abs(tenths) / 10, std::abs(tenths) % 10);
}

bool is_rule_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

namespace {

// RFC 5322 section 3.6.8: a field name is printable ASCII but ':'.
bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c < 33 || c > 126 || c == ':') return false;
  }
  return true;
}

bool in_range(double points) { return std::isfinite(points) && std::fabs(points) <= spam_points_limit; }

void check_thresholds(const spam_config& c, std::vector<config_error>& errors) {
  for (const auto& [key, value] : {std::pair{"tag_at", c.tag_at}, {"junk_at", c.junk_at}, {"reject_at", c.reject_at}}) {
    if (!in_range(value)) errors.push_back({fmt::format("/{}", key), fmt::format("must be between -{0} and {0}", spam_points_limit)});
  }
  if (c.reject_at < 0) errors.push_back({"/reject_at", "must not be negative"});
  const auto shown = [](double v) { return format_points(to_tenths(v)); };
  if (c.tag_at > c.junk_at)
    errors.push_back({"/tag_at", fmt::format("tag_at ({}) is above junk_at ({}): junk would be filed untagged",
                                             shown(c.tag_at), shown(c.junk_at))});
  if (c.junk_at > c.reject_at)
    errors.push_back({"/junk_at", fmt::format("junk_at ({}) is above reject_at ({})", shown(c.junk_at), shown(c.reject_at))});
}

void check_test(const spam_rule_config& r, const std::string& at, bool replaces_builtin, std::vector<config_error>& errors) {
  const bool has_target = r.header.has_value() || r.body;
  if (r.header && r.body) errors.push_back({at, "a rule looks at one header or at the body, not both"});
  if (r.header && !is_field_name(*r.header))
    errors.push_back({at + "/header", fmt::format("\"{}\" is not a header field name", *r.header)});
  if (has_target && !r.pattern) errors.push_back({at + "/pattern", "a header or body rule needs a pattern"});
  if (r.pattern && !has_target)
    errors.push_back({at + "/pattern", "a pattern needs \"header\": NAME or \"body\": true to say what it is matched against"});
  if (!has_target && !r.pattern && !replaces_builtin) {
    const std::string_view why = find_builtin_rule(r.name) ? "the built-in rules are off (\"builtin\": false)"
                                                           : "it is not a built-in rule";
    errors.push_back({at, fmt::format("{}: {}: give \"header\" or \"body\": true, and a \"pattern\"", r.name, why)});
  }
  if (r.pattern) {
    regex_error error;
    if (!regex::compile(*r.pattern, {}, &error))
      errors.push_back({at + "/pattern", "invalid regular expression " + error.to_string()});
  }
}

}  // namespace

std::vector<config_error> validate_spam_config(const spam_config& config) {
  std::vector<config_error> errors;
  check_thresholds(config, errors);
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < config.rules.size(); ++i) {
    const spam_rule_config& r = config.rules[i];
    const std::string at = fmt::format("/rules/{}", i);
    if (!is_rule_name(r.name)) {
      errors.push_back({at + "/name", fmt::format("\"{}\" is not a rule name: letters, digits and '_', at most 64", r.name)});
    } else if (const auto [it, fresh] = seen.emplace(r.name, i); !fresh) {
      errors.push_back({at + "/name", fmt::format("rule {} is already defined at /rules/{}", r.name, it->second)});
    }
    const bool replaces_builtin = config.builtin && find_builtin_rule(r.name) != nullptr;
    check_test(r, at, replaces_builtin, errors);
    if (!r.score && !replaces_builtin) errors.push_back({at + "/score", "a new rule needs a score"});
    if (r.score && !in_range(*r.score))
      errors.push_back({at + "/score", fmt::format("must be between -{0} and {0}", spam_points_limit)});
  }
  return errors;
}

}  // namespace sim::policy
