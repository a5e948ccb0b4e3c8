// Tests for sim/core/random: seeded, named, independent streams.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <vector>

#include "sim/core/random.hpp"

TEST_CASE("the same seed and name give the same numbers") {
  sim::random_source a(7), b(7);
  auto x = a.stream("mta/mx"), y = b.stream("mta/mx");
  for (int i = 0; i < 100; ++i) CHECK(x.next() == y.next());
}

TEST_CASE("streams are independent of each other and of the seed") {
  sim::random_source src(7);
  auto first = src.stream("mta/mx");
  std::vector<std::uint64_t> want;
  for (int i = 0; i < 10; ++i) want.push_back(first.next());
  // Drawing from another stream does not change this one's numbers.
  auto other = src.stream("net/split");
  for (int i = 0; i < 1000; ++i) other.next();
  auto again = src.stream("mta/mx");
  std::vector<std::uint64_t> got;
  for (int i = 0; i < 10; ++i) got.push_back(again.next());
  CHECK(got == want);
  auto seed8 = sim::random_source(8).stream("mta/mx");
  CHECK(seed8.next() != want[0]);
}

TEST_CASE("below stays in range and reaches every value") {
  sim::random_stream r(1);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    auto v = r.below(6);
    REQUIRE(v < 6);
    seen.insert(v);
  }
  CHECK(seen.size() == 6);
  CHECK(r.below(0) == 0);
  for (int i = 0; i < 100; ++i) {
    auto v = r.between(-3, 3);
    REQUIRE(v >= -3);
    REQUIRE(v <= 3);
  }
}

TEST_CASE("shuffle permutes and is reproducible") {
  std::vector<int> a{1, 2, 3, 4, 5, 6, 7, 8}, b = a;
  sim::random_stream r1(99), r2(99);
  r1.shuffle(a.begin(), a.end());
  r2.shuffle(b.begin(), b.end());
  CHECK(a == b);
  std::vector<int> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});
}
