// tests/sim/sweep/shrink_test.cpp - delta debugging keeps exactly the faults that matter.
#include <catch2/catch.hpp>

#include "sim/sweep/shrink.hpp"

using namespace sim::sweep;

namespace {

fault_schedule numbered(std::size_t n) {
  fault_schedule f;
  for (std::size_t i = 0; i < n; ++i) f.push_back({sim::scenario::json{{"n", i}}, {}, {}, {}});
  return f;
}

bool has(const fault_schedule& f, std::size_t n) {
  for (const auto& u : f)
    if (u.begin["n"] == n) return true;
  return false;
}

}  // namespace

TEST_CASE("shrinking keeps the two faults whose pair fails") {
  for (std::size_t size : {2, 5, 12}) {
    std::size_t runs = 0;
    auto got = shrink_schedule(numbered(size), [&](const fault_schedule& f) { return has(f, 0) && has(f, size - 1); },
                               &runs);
    REQUIRE(got.size() == 2);
    CHECK(has(got, 0));
    CHECK(has(got, size - 1));
    CHECK(runs <= size * size);
  }
}

TEST_CASE("shrinking a failure that needs no fault gives the empty schedule") {
  auto got = shrink_schedule(numbered(7), [](const fault_schedule&) { return true; });
  CHECK(got.empty());
}

TEST_CASE("a schedule where every fault is needed stays whole") {
  auto got = shrink_schedule(numbered(4), [](const fault_schedule& f) { return f.size() == 4; });
  CHECK(got.size() == 4);
}
