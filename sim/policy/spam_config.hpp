// sim/policy/spam_config.hpp - the content filter's settings (scenario key
// `policy.spam`): thresholds, the built-in rule set on or off, and the
// scenario's own rules.  The scenario loader fills these structs and reports
// what validate_spam_config() finds; the filter reads them directly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/policy/config_error.hpp"

namespace sim::policy {

// Scores and thresholds are counted in tenths of a point, so that sums and
// comparisons are exact and every score prints the same ("7.3").  A value
// with more decimals is rounded to the nearest tenth, half away from zero.
int to_tenths(double points);
std::string format_points(int tenths);  // "7.3", "-0.5", "0.0"

// Scores and thresholds must lie within +-spam_points_limit.
inline constexpr double spam_points_limit = 1000.0;

// A scenario rule: `{"name", "header": NAME | "body": true, "pattern": REGEX,
// "score": N, "describe": TEXT}`.  A rule named like a built-in one replaces
// its score and description, and with "header"/"body" and "pattern" its test.
struct spam_rule_config {
  std::string name;
  std::optional<std::string> header;  // a header rule: the field whose decoded values are matched
  bool body = false;                  // a body rule: matched against each text part's text
  std::optional<std::string> pattern; // sim::policy::regex syntax; case-sensitive unless (?i)
  std::optional<double> score;        // required for a new rule; 0 turns a rule off
  std::optional<std::string> describe;
};

struct spam_config {
  double tag_at = 5.0;     // X-Spam-Status: Yes and X-Spam-Flag: YES from this score
  double junk_at = 5.0;    // filed in the recipient's Junk folder from this score
  double reject_at = 15.0; // refused after the final dot with 550 5.7.1 from this score
  bool builtin = true;     // the built-in rules (spam_rules.hpp) take part
  std::vector<spam_rule_config> rules;
};

// Rule names are letters, digits and '_', at most 64 ("SUBJECT_ALL_CAPS").
bool is_rule_name(std::string_view name);

// Every problem, each with its pointer below the `spam` object ("/junk_at",
// "/rules/2/pattern"); empty when the configuration can be used.
std::vector<config_error> validate_spam_config(const spam_config& config);

}  // namespace sim::policy
