// sim/scenario/loader_spam.cpp - the content filter's settings
// (`policy.spam`) and the allow and block lists (`policy.allow`,
// `policy.block`, a mailbox's `allow` / `block`).  The policy library
// validates what is read here (validate_spam_config, parse_access_lists);
// each problem becomes a load error at its JSON pointer.
#include <fmt/format.h>

#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario::detail {
namespace {

double read_points(const node& n) {
  if (!n.value().is_number()) n.fail(fmt::format("expected a number, got {}", json_type_name(n.value())));
  return n.value().get<double>();
}

// The first problem the policy library found, at its pointer below `n`.
[[noreturn]] void fail_at(const node& n, const policy::config_error& e) {
  node(n.file(), n.value(), n.pointer() + e.pointer).fail(e.message);
}

policy::spam_rule_config read_rule(const node& n) {
  auto r = n.as_object({"name", "header", "body", "pattern", "score", "describe"});
  policy::spam_rule_config rule;
  rule.name = r.at("name").as_string();
  if (auto v = r.find("header")) rule.header = v->as_string();
  if (auto v = r.find("body")) rule.body = v->as_bool();
  if (auto v = r.find("pattern")) rule.pattern = v->as_string();
  if (auto v = r.find("score")) rule.score = read_points(*v);
  if (auto v = r.find("describe")) rule.describe = v->as_string();
  return rule;
}

}  // namespace

// `"spam": true` (the defaults), `false` (off), or an object of thresholds,
// `builtin` and `rules`.
std::optional<policy::spam_config> read_spam(const node& n) {
  if (n.value().is_boolean()) return n.as_bool() ? std::optional<policy::spam_config>(policy::spam_config{}) : std::nullopt;
  if (!n.value().is_object())
    n.fail(fmt::format("expected true, false or an object (tag_at, junk_at, reject_at, builtin, rules), got {}",
                       json_type_name(n.value())));
  auto r = n.as_object({"tag_at", "junk_at", "reject_at", "builtin", "rules"});
  policy::spam_config c;
  if (auto v = r.find("tag_at")) c.tag_at = read_points(*v);
  if (auto v = r.find("junk_at")) c.junk_at = read_points(*v);
  if (auto v = r.find("reject_at")) c.reject_at = read_points(*v);
  if (auto v = r.find("builtin")) c.builtin = v->as_bool();
  if (auto v = r.find("rules"))
    for (const auto& item : v->as_array()) c.rules.push_back(read_rule(item));
  if (auto errors = policy::validate_spam_config(c); !errors.empty()) fail_at(n, errors.front());
  return c;
}

// `allow` and `block` of the object `r` reads (each an array of entries).
policy::access_list read_access_lists(const object_reader& r) {
  std::vector<std::string> allow, block;
  if (auto v = r.find("allow")) allow = v->as_string_array();
  if (auto v = r.find("block")) block = v->as_string_array();
  policy::access_list lists;
  if (auto errors = policy::parse_access_lists(allow, block, lists); !errors.empty()) fail_at(r.self(), errors.front());
  return lists;
}

}  // namespace sim::scenario::detail
