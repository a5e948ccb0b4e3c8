// tests/sim/campaign/generator_test.cpp - generated recipient lists:
// deterministic from the seed, shares and fractions as asked.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "sim/campaign/generator.hpp"
#include "sim/core/random.hpp"

using namespace sim::campaign;

namespace {

generate_spec spec(std::uint64_t count) {
  generate_spec g;
  g.count = count;
  g.domains = {{"mail.example", 0.6}, {"post.example", 0.3}, {"inbox.example", 0.1}};
  g.unknown = 0.02;
  g.full = 0.01;
  return g;
}

std::vector<generated_recipient> run(const generate_spec& g, std::uint64_t seed) {
  auto stream = sim::random_source(seed).stream("campaign/spring");
  return generate(g, [&stream](std::uint64_t n) { return stream.below(n); });
}

}  // namespace

TEST_CASE("generator: the same seed gives the same list, another seed another") {
  auto a = run(spec(1000), 7), b = run(spec(1000), 7), c = run(spec(1000), 8);
  REQUIRE(a.size() == 1000);
  bool same = true, differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    same = same && a[i].address == b[i].address && a[i].kind == b[i].kind && a[i].name == b[i].name;
    differs = differs || a[i].address != c[i].address;
  }
  CHECK(same);
  CHECK(differs);
}

TEST_CASE("generator: shares split the count exactly, unknown and full are fractions of it") {
  auto list = run(spec(1000), 3);
  std::map<std::string, int> per_domain, unknown, full;
  std::set<std::string> addresses;
  for (const auto& r : list) {
    ++per_domain[r.domain];
    if (r.kind == recipient_kind::unknown) ++unknown[r.domain];
    if (r.kind == recipient_kind::full) ++full[r.domain];
    addresses.insert(r.address);
    CHECK(r.address.ends_with("@" + r.domain));
  }
  CHECK(addresses.size() == 1000);  // every address distinct
  CHECK(per_domain["mail.example"] == 600);
  CHECK(per_domain["post.example"] == 300);
  CHECK(per_domain["inbox.example"] == 100);
  int u = 0, f = 0;
  for (auto& [d, n] : unknown) u += n;
  for (auto& [d, n] : full) f += n;
  CHECK(u == 20);
  CHECK(f == 10);
  CHECK(unknown.size() >= 2);  // spread over the domains, not all in one
}

TEST_CASE("generator: largest remainders add up to the count") {
  generate_spec g;
  g.count = 10;
  g.domains = {{"a.example", 1.0 / 3}, {"b.example", 1.0 / 3}, {"c.example", 1.0 / 3}};
  auto counts = domain_counts(g);
  CHECK(counts == std::vector<std::uint64_t>{4, 3, 3});
  // Shares under 1 are weights: relative to their sum.
  g.domains = {{"a.example", 0.2}, {"b.example", 0.2}};
  g.count = 7;
  CHECK(domain_counts(g) == std::vector<std::uint64_t>{4, 3});
}

TEST_CASE("generator: the domains take turns in the sending order") {
  auto list = run(spec(300), 11);
  std::set<std::string> first_ten;
  for (std::size_t i = 0; i < 10; ++i) first_ten.insert(list[i].domain);
  CHECK(first_ten.size() >= 2);
}

TEST_CASE("generator: spam traps are mixed in and counted in the total") {
  auto g = spec(1000);
  g.traps = {"old-list@mail.example", "abandoned@post.example"};
  auto list = run(g, 7);
  REQUIRE(list.size() == 1000);
  std::map<std::string, int> traps;
  std::size_t first_trap = list.size();
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].kind == recipient_kind::trap) {
      ++traps[list[i].address];
      first_trap = std::min(first_trap, i);
    }
  CHECK(traps == std::map<std::string, int>{{"abandoned@post.example", 1}, {"old-list@mail.example", 1}});
  CHECK(first_trap > 0);  // shuffled among the others, not at the end
  auto counts = domain_counts(g);
  CHECK(counts[0] + counts[1] + counts[2] == 998);
  for (const auto& r : list)
    if (r.kind == recipient_kind::trap && r.address == "old-list@mail.example") CHECK(r.domain == "mail.example");
}
