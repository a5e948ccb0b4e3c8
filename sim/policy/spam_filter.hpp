// sim/policy/spam_filter.hpp - the content filter a receiving MTA runs after
// the final dot (scenario key `policy.spam`), sans-I/O.
//
// score() decodes the message (spam_message.hpp), runs every rule whose
// score is not 0, adds up the scores of those that hit and decides:
//   score >= reject_at  -> reject (550 5.7.1 after the final dot)
//   score >= junk_at    -> junk   (the recipient's Junk folder)
//   otherwise           -> inbox
// and, separately, score >= tag_at -> X-Spam-Status: Yes and X-Spam-Flag: YES.
// It never throws on a message: malformed MIME is a rule, not an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/message/message.hpp"
#include "sim/policy/check_result.hpp"
#include "sim/policy/regex.hpp"
#include "sim/policy/spam_config.hpp"
#include "sim/policy/spam_context.hpp"
#include "sim/policy/spam_rules.hpp"

namespace sim::policy {

enum class spam_action { inbox, junk, reject };
std::string_view spam_action_name(spam_action action);  // "inbox", "junk", "reject"

struct spam_rule_hit {
  std::string name;
  int score = 0;  // tenths of a point
  std::string description;
  std::string detail;  // what made it hit: "Subject: \"WIN CASH NOW!!!\""
};

struct spam_verdict {
  int score = 0;  // tenths of a point, like the thresholds
  int tag_at = 50;
  int junk_at = 50;
  int reject_at = 150;
  std::vector<spam_rule_hit> hits;  // largest score first, then by name
  spam_action action = spam_action::inbox;

  bool tagged() const { return score >= tag_at; }
};

// X-Spam-Status value: "Yes, score=7.3 required=5.0 tests=HTML_ONLY,SUBJECT_ALL_CAPS"
// (tests in name order, "none" when no rule hit; required is tag_at).
std::string spam_status_value(const spam_verdict& verdict);
// The line a learner reads: "junk: score 7.3 >= 5.0: SUBJECT_ALL_CAPS 2.0, HTML_ONLY 1.5",
// "inbox: score 1.0 < 5.0: DKIM_NONE 1.0", "inbox: score 0.0 < 5.0: no rule hit".
std::string spam_explanation(const spam_verdict& verdict);
// 550 5.7.1 "Message content rejected as spam: score 16.0 >= 15.0 (RULE_A, RULE_B)".
reply spam_reject_reply(const spam_verdict& verdict);
// For the trace: check "spam", result the action's name, detail the explanation.
check_result spam_check_result(const spam_verdict& verdict);
// Removes any X-Spam-Flag and X-Spam-Status the message came with (a sender
// must not choose its own verdict), then puts X-Spam-Status (and
// X-Spam-Flag: YES when tagged) on top.
void add_spam_fields(message::message& m, const spam_verdict& verdict);

class spam_filter {
 public:
  // `config` must be valid (validate_spam_config() empty): an invalid one
  // is a bug in the caller and throws std::invalid_argument.
  explicit spam_filter(const spam_config& config);

  spam_verdict score(std::string_view raw_message, const spam_context& context) const;

  struct rule {
    std::string name;
    int score = 0;  // tenths; 0 = off
    std::string description;
    rule_test builtin_test = nullptr;   // a built-in test, or
    std::optional<std::string> header;  // a scenario header rule (with `pattern`), or a body rule
    std::optional<regex> pattern;
  };
  // Built-in rules in table order (when on), then the scenario's new rules.
  const std::vector<rule>& rules() const { return rules_; }

 private:
  std::optional<std::string> test(const rule& r, const rule_input& in) const;

  std::vector<rule> rules_;
  int tag_at_ = 0;
  int junk_at_ = 0;
  int reject_at_ = 0;
};

}  // namespace sim::policy
