// mx_select: the seeded shuffle of equal preferences, and the pure selection.
#include <catch2/catch.hpp>
#include <set>

#include "sim/mta/mx_select.hpp"
#include "tests/sim/mta/fake_resolver.hpp"

using namespace sim::mta;
using sim::mta::testing::address;
using sim::mta::testing::mx;

namespace {

const self_identity nobody{"mail.sender.test", {"192.0.2.25"}};

std::vector<std::string> order(const lookup_result& answer, std::uint64_t seed) {
  sim::random_stream random(seed);
  auto got = order_exchanges("example.org", answer, nobody, random);
  std::vector<std::string> hosts;
  for (const auto& e : std::get<exchange_list>(got).exchanges) hosts.push_back(e.host);
  return hosts;
}

lookup_result three_equal() {
  return {dns::rcode::noerror, {mx("example.org", 10, "a.example.org"), mx("example.org", 10, "b.example.org"),
                                mx("example.org", 10, "c.example.org")}};
}

}  // namespace

TEST_CASE("mx_select: the same seed gives the same order") {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) CHECK(order(three_equal(), seed) == order(three_equal(), seed));
}

TEST_CASE("mx_select: every order of equal preferences appears over many seeds") {
  std::set<std::vector<std::string>> seen;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) seen.insert(order(three_equal(), seed));
  CHECK(seen.size() == 6);
}

TEST_CASE("mx_select: the order does not depend on the order of the DNS answer") {
  auto answer = three_equal();
  auto reversed = answer;
  std::reverse(reversed.records.begin(), reversed.records.end());
  for (std::uint64_t seed = 1; seed <= 20; ++seed) CHECK(order(answer, seed) == order(reversed, seed));
}

TEST_CASE("mx_select: unequal preferences never reorder") {
  lookup_result answer{dns::rcode::noerror,
                       {mx("example.org", 30, "e"), mx("example.org", 20, "d"), mx("example.org", 10, "a"),
                        mx("example.org", 20, "c"), mx("example.org", 10, "b")}};
  std::set<std::vector<std::string>> seen;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    auto got = order(answer, seed);
    REQUIRE(got.size() == 5);
    CHECK(std::set<std::string>{got[0], got[1]} == std::set<std::string>{"a", "b"});
    CHECK(std::set<std::string>{got[2], got[3]} == std::set<std::string>{"c", "d"});
    CHECK(got[4] == "e");
    seen.insert(got);
  }
  CHECK(seen.size() == 4);  // both groups of two were shuffled both ways
}

TEST_CASE("mx_select: candidates keep the exchange order, one per distinct address") {
  exchange_list list{{{10, "mx1.example.org"}, {20, "mx2.example.org"}}, false};
  std::vector<address_lookup> lookups(2);
  lookups[0].a.records = {address("mx1.example.org", "198.51.100.10")};
  lookups[0].aaaa.records = {address("mx1.example.org", "2001:db8::10")};
  lookups[1].a.records = {address("mx2.example.org", "198.51.100.10"),  // same address as mx1
                          address("mx2.example.org", "198.51.100.20")};
  auto got = std::get<route_remote>(select_candidates("example.org", list, lookups, nobody));
  std::vector<candidate> want{{10, "mx1.example.org", "198.51.100.10"},
                              {10, "mx1.example.org", "2001:db8::10"},
                              {20, "mx2.example.org", "198.51.100.20"}};
  CHECK(got.candidates == want);
}

TEST_CASE("mx_select: canonical_domain lower-cases and drops one trailing dot") {
  CHECK(canonical_domain("MX1.Example.ORG.") == "mx1.example.org");
  CHECK(canonical_domain(".") == "");
  CHECK(canonical_domain("") == "");
}
