// sim/campaign/generator.hpp - the recipients of a `generate` campaign.
//
// Deterministic from one seeded stream (the world draws it from the run's
// seed as "campaign/<id>"): the same seed gives the same addresses, names,
// order and choice of unknown and full ones.  Each domain gets its share of
// `count` (largest remainder, so the counts add up to `count` exactly); the
// unknown and full ones are picked among all of them, so that they spread
// over the domains in proportion; the spam traps (`traps`, part of `count`)
// are added as they are; the list is then shuffled so that the
// domains take turns in the sending order, as a real list's would.
#pragma once

#include <string>
#include <vector>

#include "sim/campaign/spec.hpp"
#include <cstdint>
#include <functional>

namespace sim::campaign {

enum class recipient_kind { mailbox, unknown, full, trap };

struct generated_recipient {
  std::string address;  // "anna.berg.17@mail.example"
  std::string name;     // "Anna Berg"
  std::string domain;
  recipient_kind kind = recipient_kind::mailbox;
};

// How many recipients each domain gets (file order), adding up to g.count.
std::vector<std::uint64_t> domain_counts(const generate_spec& g);
// `below(n)`: a uniform draw in [0, n) from the seeded stream
// (sim::random_stream::below; the world passes its own).
using draw = std::function<std::uint64_t(std::uint64_t)>;
std::vector<generated_recipient> generate(const generate_spec& g, const draw& below);

}  // namespace sim::campaign
