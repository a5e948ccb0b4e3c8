// queue_id: 10 upper-case hex digits, deterministic per seed, unique per host.
#include <catch2/catch.hpp>
#include <set>

#include "sim/mta/queue_id.hpp"

using sim::mta::queue_id_generator;
using sim::mta::valid_queue_id;

TEST_CASE("queue_id: ids are 10 upper-case hex digits") {
  queue_id_generator ids(sim::random_stream(1));
  for (int i = 0; i < 100; ++i) {
    auto got = ids.next();
    INFO(got);
    CHECK(valid_queue_id(got));
  }
}

TEST_CASE("queue_id: the same seed gives the same ids, another seed others") {
  queue_id_generator a(sim::random_stream(7)), b(sim::random_stream(7)), c(sim::random_stream(8));
  std::vector<std::string> got_a, got_b, got_c;
  for (int i = 0; i < 5; ++i) {
    got_a.push_back(a.next());
    got_b.push_back(b.next());
    got_c.push_back(c.next());
  }
  CHECK(got_a == got_b);
  CHECK(got_a != got_c);
}

TEST_CASE("queue_id: ids never repeat, and reserved (recovered) ids are skipped") {
  // Reserving what a twin generator will draw forces the collision path.
  queue_id_generator twin(sim::random_stream(3));
  auto first = twin.next();
  auto second = twin.next();
  queue_id_generator ids(sim::random_stream(3));
  ids.reserve(first);
  CHECK(ids.taken(first));
  CHECK(ids.next() == second);
  std::set<std::string> seen{first, second};
  bool all_new = true;
  for (int i = 0; i < 10000; ++i) all_new = seen.insert(ids.next()).second && all_new;
  CHECK(all_new);
  CHECK(seen.size() == 10002);
}

TEST_CASE("queue_id: validity at and past the boundaries") {
  CHECK(valid_queue_id("0123456789"));
  CHECK(valid_queue_id("ABCDEF0000"));
  CHECK_FALSE(valid_queue_id("012345678"));    // 9 digits
  CHECK_FALSE(valid_queue_id("0123456789A"));  // 11 digits
  CHECK_FALSE(valid_queue_id("abcdef0000"));   // lower case
  CHECK_FALSE(valid_queue_id("G123456789"));
  CHECK_FALSE(valid_queue_id(""));
}
