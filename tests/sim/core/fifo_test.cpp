// tests/sim/core/fifo_test.cpp - sim::fifo: order, draining, reuse.
#include <catch2/catch.hpp>

#include <string>

#include "sim/core/fifo.hpp"

TEST_CASE("fifo hands items out in the order they came") {
  sim::fifo<std::string> q;
  CHECK(q.empty());
  q.push_back("a");
  q.emplace_back("b");
  q.push_back("c");
  CHECK(q.size() == 3);
  CHECK(q.front() == "a");
  CHECK(q.take_front() == "a");
  q.push_back("d");  // pushed while not drained
  CHECK(q.take_front() == "b");
  CHECK(q.take_front() == "c");
  CHECK(q.take_front() == "d");
  CHECK(q.empty());
  CHECK(q.size() == 0);
}

TEST_CASE("fifo that never drains keeps its order and drops what was taken") {
  sim::fifo<int> q;
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 1000; ++round) {
    q.push_back(next_in++);
    q.push_back(next_in++);
    CHECK(q.take_front() == next_out++);
    REQUIRE(q.size() == static_cast<std::size_t>(next_in - next_out));
  }
  while (!q.empty()) CHECK(q.take_front() == next_out++);
  CHECK(next_out == next_in);
}

TEST_CASE("fifo clear empties it and it fills again") {
  sim::fifo<int> q;
  q.push_back(1);
  q.push_back(2);
  q.pop_front();
  q.clear();
  CHECK(q.empty());
  q.push_back(3);
  CHECK(q.front() == 3);
}
