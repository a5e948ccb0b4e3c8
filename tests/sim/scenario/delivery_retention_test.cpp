// tests/sim/scenario/delivery_retention_test.cpp - the record of deliveries
// under `serve --retain`.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/scenario/delivery_retention.hpp"

using sim::scenario::delivery;
using sim::scenario::delivery_retention;

namespace {

delivery to(const std::string& mailbox, int n, const std::string& folder = "INBOX") {
  delivery d;
  d.host = "mx";
  d.mailbox = mailbox;
  d.raw = "message " + std::to_string(n);
  d.folder = folder;
  return d;
}

std::vector<std::string> raws(const std::vector<delivery>& list, const std::string& mailbox) {
  std::vector<std::string> out;
  for (const auto& d : list)
    if (d.mailbox == mailbox) out.push_back(d.raw);
  return out;
}

}  // namespace

TEST_CASE("delivery retention: the list stays within twice the bound plus slack") {
  delivery_retention keep(10);
  std::vector<delivery> list;
  for (int i = 0; i < 10000; ++i) {
    list.push_back(to("bob@example.org", i));
    keep.added(list);
    REQUIRE(list.size() <= 2 * 10 + 64);
  }
}

TEST_CASE("delivery retention: each mailbox folder keeps its newest in order") {
  delivery_retention keep(3);
  std::vector<delivery> list;
  for (int i = 0; i < 500; ++i) {
    list.push_back(to(i % 2 ? "bob@example.org" : "alice@example.org", i));
    keep.added(list);
  }
  list.push_back(to("carol@example.org", 1000, "Junk"));
  keep.added(list);
  // The list has compacted (501 entries against a bound of 7): each
  // folder's newest three are there, older ones may linger until the next.
  auto bob = raws(list, "bob@example.org");
  REQUIRE(bob.size() >= 3);
  CHECK(std::vector<std::string>(bob.end() - 3, bob.end()) ==
        std::vector<std::string>{"message 495", "message 497", "message 499"});
  auto alice = raws(list, "alice@example.org");
  CHECK(std::vector<std::string>(alice.end() - 3, alice.end()) ==
        std::vector<std::string>{"message 494", "message 496", "message 498"});
  CHECK(raws(list, "carol@example.org") == std::vector<std::string>{"message 1000"});
  for (std::size_t i = 1; i < list.size(); ++i) {
    auto n = [](const delivery& d) { return std::stoi(d.raw.substr(8)); };
    CHECK(n(list[i - 1]) < n(list[i]));
  }
}

TEST_CASE("delivery retention: a mailbox under its bound loses nothing") {
  delivery_retention keep(1000);
  std::vector<delivery> list;
  for (int i = 0; i < 3000; ++i) {
    list.push_back(to("user" + std::to_string(i % 30) + "@example.org", i));
    keep.added(list);
  }
  CHECK(list.size() == 3000);
}

TEST_CASE("delivery retention: folders of one mailbox are bounded apart") {
  delivery_retention keep(2);
  std::vector<delivery> list;
  for (int i = 0; i < 200; ++i) {
    list.push_back(to("bob@example.org", i, i < 2 ? "Junk" : "INBOX"));
    keep.added(list);
  }
  std::vector<std::string> junk;
  for (const auto& d : list)
    if (d.folder == "Junk") junk.push_back(d.raw);
  CHECK(junk == std::vector<std::string>{"message 0", "message 1"});
  CHECK(list.size() <= 2 * 4 + 64);
}
