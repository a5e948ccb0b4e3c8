// sim/imap/sequence_set.cpp - sequence sets: "1:4,7,9:*" (RFC 9051 §9).
#include "sim/imap/sequence_set.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/imap/limits.hpp"

namespace sim::imap {

namespace {

std::optional<std::uint32_t> seq_number(parser& p) {
  if (p.skip('*')) return sequence_set::star;
  return p.nz_number();
}

}  // namespace

std::optional<sequence_set> parse_sequence_set(parser& p) {
  sequence_set out;
  std::size_t start = p.position();
  do {
    auto first = seq_number(p);
    if (!first) {
      p.seek(start);
      p.fail("invalid sequence set");
      return std::nullopt;
    }
    std::uint32_t last = *first;
    if (p.skip(':')) {
      auto second = seq_number(p);
      if (!second) {
        p.seek(start);
        p.fail("invalid sequence set");
        return std::nullopt;
      }
      last = *second;
    }
    if (out.ranges.size() >= limits::max_set_ranges) {
      p.fail("sequence set has too many ranges");
      return std::nullopt;
    }
    out.ranges.emplace_back(*first, last);
  } while (p.skip(','));
  return out;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> resolve(const sequence_set& set, std::uint32_t largest) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (auto [a, b] : set.ranges) {
    if (a == sequence_set::star) a = largest;
    if (b == sequence_set::star) b = largest;
    if (a > b) std::swap(a, b);
    if (a == 0) {
      // Only "*" in an empty mailbox gives 0.
      if (b == 0) continue;
      a = 1;
    }
    out.emplace_back(a, b);
  }
  std::sort(out.begin(), out.end());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> merged;
  for (const auto& r : out) {
    if (!merged.empty() && r.first <= merged.back().second + 1ull) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

std::uint32_t highest_named(const sequence_set& set) {
  std::uint32_t out = 0;
  for (auto [a, b] : set.ranges) out = std::max({out, a, b});
  return out;
}

bool names_star(const sequence_set& set) {
  return std::any_of(set.ranges.begin(), set.ranges.end(),
                     [](const auto& r) { return r.first == sequence_set::star || r.second == sequence_set::star; });
}

bool contains(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& ranges, std::uint32_t n) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), std::make_pair(n, UINT32_MAX));
  return it != ranges.begin() && std::prev(it)->second >= n;
}

std::string format_set(const std::vector<std::uint32_t>& ascending) {
  std::string out;
  for (std::size_t i = 0; i < ascending.size();) {
    std::size_t j = i;
    while (j + 1 < ascending.size() && ascending[j + 1] == ascending[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? fmt::format("{}", ascending[i]) : fmt::format("{}:{}", ascending[i], ascending[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace sim::imap
