// sim/policy/spam_rules.hpp - the built-in content rules: name, score,
// description and test, in the manner of SpamAssassin (our own rules and
// texts).  The table with its scores is in the README of this folder.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sim/policy/spam_context.hpp"
#include "sim/policy/spam_message.hpp"

namespace sim::policy {

// Limits the rules use (documented with the rules table).
inline constexpr std::size_t many_recipients = 25;       // TO_CC_MANY: addresses in To and Cc
inline constexpr std::size_t heavy_html_min_links = 3;   // HTML_LINK_HEAVY: at least this many links
inline constexpr std::size_t heavy_html_chars_per_link = 30;  // ... and less visible text than this per link
inline constexpr std::size_t caps_subject_min_letters = 8;    // SUBJECT_ALL_CAPS: letters needed to judge

struct rule_input {
  const scanned_message& message;
  const spam_context& context;
};

// A rule's test: when it hits, a short detail a learner reads
// ("Subject: \"WIN CASH NOW!!!\""); nullopt when it misses.
using rule_test = std::optional<std::string> (*)(const rule_input&);

struct builtin_rule {
  std::string_view name;
  int score;  // tenths of a point
  std::string_view description;
  rule_test test;
};

std::span<const builtin_rule> builtin_rules();
const builtin_rule* find_builtin_rule(std::string_view name);

}  // namespace sim::policy
