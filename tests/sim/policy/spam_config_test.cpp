// tests/sim/policy/spam_config_test.cpp - validating `policy.spam`: every
// problem with its pointer below the spam object.
#include <catch2/catch.hpp>

#include "sim/policy/spam_config.hpp"

using namespace sim::policy;

namespace {

std::vector<config_error> problems(const spam_config& c) { return validate_spam_config(c); }

spam_rule_config body_rule(std::string name, std::string pattern, std::optional<double> score = 1.0) {
  spam_rule_config r;
  r.name = std::move(name);
  r.body = true;
  r.pattern = std::move(pattern);
  r.score = score;
  return r;
}

}  // namespace

TEST_CASE("the defaults and a usual configuration are valid") {
  CHECK(problems({}).empty());
  spam_config c;
  c.tag_at = 4.0;
  c.junk_at = 6.0;
  c.reject_at = 20.0;
  c.rules.push_back(body_rule("LOCAL_WORDS", "(?i)\\bwebinar\\b"));
  spam_rule_config header;
  header.name = "MAILER";
  header.header = "X-Mailer";
  header.pattern = "^Bulk";
  header.score = 2.5;
  header.describe = "a bulk mailer";
  c.rules.push_back(header);
  spam_rule_config rescore;
  rescore.name = "DKIM_NONE";
  rescore.score = 0;
  c.rules.push_back(rescore);
  CHECK(problems(c).empty());
}

TEST_CASE("thresholds: reject_at not negative, in order, within bounds") {
  spam_config c;
  c.reject_at = -1;
  c.junk_at = -2;
  c.tag_at = -3;
  CHECK(problems(c) == std::vector<config_error>{{"/reject_at", "must not be negative"}});

  c = {};
  c.tag_at = 6;
  CHECK(problems(c) ==
        std::vector<config_error>{{"/tag_at", "tag_at (6.0) is above junk_at (5.0): junk would be filed untagged"}});
  c = {};
  c.junk_at = 20;
  CHECK(problems(c) == std::vector<config_error>{{"/junk_at", "junk_at (20.0) is above reject_at (15.0)"}});
  c = {};
  c.reject_at = 5000;
  CHECK(problems(c) == std::vector<config_error>{{"/reject_at", "must be between -1000 and 1000"}});
}

TEST_CASE("rules: names, targets, patterns and scores") {
  spam_config c;
  c.rules.push_back(body_rule("BAD NAME", "x"));
  c.rules.push_back(body_rule("TWICE", "x"));
  c.rules.push_back(body_rule("TWICE", "y"));
  c.rules.push_back(body_rule("BROKEN", "(a|b"));
  c.rules.push_back(body_rule("NO_SCORE", "x", std::nullopt));
  spam_rule_config both = body_rule("BOTH", "x");
  both.header = "Subject";
  c.rules.push_back(both);
  spam_rule_config nothing;
  nothing.name = "NOTHING";
  nothing.score = 1;
  c.rules.push_back(nothing);
  spam_rule_config pattern_only;
  pattern_only.name = "SUBJECT_ALL_CAPS";
  pattern_only.pattern = "x";
  c.rules.push_back(pattern_only);
  spam_rule_config bad_header = body_rule("BAD_HEADER", "x");
  bad_header.body = false;
  bad_header.header = "Sub ject:";
  c.rules.push_back(bad_header);
  spam_rule_config no_pattern;
  no_pattern.name = "NO_PATTERN";
  no_pattern.header = "Subject";
  no_pattern.score = 1;
  c.rules.push_back(no_pattern);
  c.rules.push_back(body_rule("HUGE", "x", 1e6));

  const std::vector<config_error> want = {
      {"/rules/0/name", "\"BAD NAME\" is not a rule name: letters, digits and '_', at most 64"},
      {"/rules/2/name", "rule TWICE is already defined at /rules/1"},
      {"/rules/3/pattern", "invalid regular expression at offset 0: missing ')' for the group opened here"},
      {"/rules/4/score", "a new rule needs a score"},
      {"/rules/5", "a rule looks at one header or at the body, not both"},
      {"/rules/6", "NOTHING: it is not a built-in rule: give \"header\" or \"body\": true, and a \"pattern\""},
      {"/rules/7/pattern", "a pattern needs \"header\": NAME or \"body\": true to say what it is matched against"},
      {"/rules/8/header", "\"Sub ject:\" is not a header field name"},
      {"/rules/9/pattern", "a header or body rule needs a pattern"},
      {"/rules/10/score", "must be between -1000 and 1000"},
  };
  CHECK(problems(c) == want);
}

TEST_CASE("with the built-in rules off, a built-in name is a new rule") {
  spam_config c;
  c.builtin = false;
  spam_rule_config r;
  r.name = "DKIM_NONE";
  r.score = 0;
  c.rules.push_back(r);
  CHECK(problems(c) == std::vector<config_error>{
                           {"/rules/0", "DKIM_NONE: the built-in rules are off (\"builtin\": false): give \"header\" "
                                        "or \"body\": true, and a \"pattern\""}});
}

TEST_CASE("rule names") {
  CHECK(is_rule_name("SUBJECT_ALL_CAPS"));
  CHECK(is_rule_name("local_rule_2"));
  CHECK_FALSE(is_rule_name(""));
  CHECK_FALSE(is_rule_name("A-B"));
  CHECK(is_rule_name(std::string(64, 'A')));
  CHECK_FALSE(is_rule_name(std::string(65, 'A')));
}
