// sim/imap/sequence_set.hpp - sequence sets: "1:4,7,9:*" (RFC 9051 §9).
//
// The same syntax names message sequence numbers or, after UID, UIDs.  "*"
// stands for the largest number in use; "a:b" is the same as "b:a".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/imap/parser.hpp"

namespace sim::imap {

struct sequence_set {
  static constexpr std::uint32_t star = 0;  // "*" (0 is no valid number)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;  // as written
};

// Reads a sequence set at the parser's position (limits::max_set_ranges).
std::optional<sequence_set> parse_sequence_set(parser& p);

// The ranges with "*" replaced by `largest`, ordered and merged.  With
// `largest` 0 (an empty mailbox) "*" names nothing and the ranges are
// clipped accordingly.
std::vector<std::pair<std::uint32_t, std::uint32_t>> resolve(const sequence_set& set, std::uint32_t largest);

// The largest number the set names explicitly (for "no such message").
std::uint32_t highest_named(const sequence_set& set);
bool names_star(const sequence_set& set);

// Whether `n` lies in ranges from resolve().
bool contains(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& ranges, std::uint32_t n);

// "1:3,5,8:9" from ascending numbers (COPYUID, APPENDUID, our client's sets).
std::string format_set(const std::vector<std::uint32_t>& ascending);

}  // namespace sim::imap
