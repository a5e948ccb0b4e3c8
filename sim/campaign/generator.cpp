// sim/campaign/generator.cpp - generated recipient lists.
#include "sim/campaign/generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <string_view>

#include "sim/core/ascii.hpp"

namespace sim::campaign {
namespace {

constexpr std::array<std::string_view, 16> first_names{"Anna", "Ben",  "Chloe", "David", "Emma", "Farid", "Grace", "Hugo",
                                                       "Ines", "Jonas", "Kaito", "Lena",  "Malik", "Nora", "Omar",  "Paula"};
constexpr std::array<std::string_view, 16> last_names{"Berg",   "Costa", "Dubois", "Eriksen", "Fischer", "Garcia",
                                                      "Hansen", "Ito",   "Jensen", "Kowalski", "Larsen", "Moreau",
                                                      "Novak",  "Okafor", "Petrov", "Quinn"};

// Fisher-Yates, as sim::random_stream::shuffle does.
template <typename T>
void shuffle(std::vector<T>& items, const draw& below) {
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
}

std::uint64_t fraction_of(double share, std::uint64_t count) {
  return static_cast<std::uint64_t>(std::llround(share * static_cast<double>(count)));
}

// A trap has no person behind it: its local part stands for a name.
std::string name_of_trap(const std::string& local) {
  std::string name = local;
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

}  // namespace

// Largest remainder (Hamilton's method): each domain gets the floor of its
// exact quota, the rest go one each to the largest remainders (ties in file
// order).  Shares are weights: they are taken relative to their sum.
std::vector<std::uint64_t> domain_counts(const generate_spec& g) {
  const std::uint64_t count = g.count - std::min<std::uint64_t>(g.traps.size(), g.count);
  double total = 0;
  for (const auto& [domain, share] : g.domains) total += share;
  std::vector<std::uint64_t> counts(g.domains.size(), 0);
  if (g.domains.empty() || total <= 0) return counts;
  std::vector<double> remainders(g.domains.size());
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < g.domains.size(); ++i) {
    double exact = g.domains[i].second / total * static_cast<double>(count);
    counts[i] = static_cast<std::uint64_t>(std::floor(exact));
    remainders[i] = exact - std::floor(exact);
    given += counts[i];
  }
  std::vector<std::size_t> order(g.domains.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t k = 0; given < count; k = (k + 1) % order.size(), ++given) ++counts[order[k]];
  return counts;
}

std::vector<generated_recipient> generate(const generate_spec& g, const draw& below) {
  auto counts = domain_counts(g);
  std::vector<generated_recipient> out;
  out.reserve(g.count);
  for (std::size_t d = 0; d < counts.size(); ++d) {
    const std::string& domain = g.domains[d].first;
    for (std::uint64_t j = 0; j < counts[d]; ++j) {
      auto first = first_names[below(first_names.size())];
      auto last = last_names[below(last_names.size())];
      // The number keeps every address of a domain distinct.
      std::string local = ascii::to_lower(first) + "." + ascii::to_lower(last) + "." + std::to_string(j + 1);
      out.push_back({local + "@" + domain, std::string(first) + " " + std::string(last), domain, recipient_kind::mailbox});
    }
  }
  // Which ones are unknown and full: the first of a shuffled index.
  std::vector<std::size_t> pick(out.size());
  std::iota(pick.begin(), pick.end(), 0);
  shuffle(pick, below);
  std::uint64_t unknown = std::min<std::uint64_t>(fraction_of(g.unknown, g.count), out.size());
  std::uint64_t full = std::min<std::uint64_t>(fraction_of(g.full, g.count), out.size() - unknown);
  for (std::uint64_t k = 0; k < unknown + full; ++k)
    out[pick[k]].kind = k < unknown ? recipient_kind::unknown : recipient_kind::full;
  for (const auto& trap : g.traps) {
    auto at = trap.rfind('@');
    std::string local = trap.substr(0, at);
    out.push_back({trap, name_of_trap(local), trap.substr(at + 1), recipient_kind::trap});
  }
  shuffle(out, below);
  return out;
}

}  // namespace sim::campaign
