// queue_recovery: what a restarted MTA finds in its spool.
#include <catch2/catch.hpp>

#include "sim/core/virtual_clock.hpp"
#include "sim/mta/queue_recovery.hpp"
#include "sim/storage/memory_store.hpp"
#include "tests/sim/storage/outcome.hpp"

using namespace sim::mta;
using sim::testing::start;

namespace {

queue_file message(std::string id) {
  queue_file f;
  f.queue_id = std::move(id);
  f.reverse_path = "alice@sender.test";
  f.message = "Subject: hi\r\n\r\nhello\r\n";
  f.recipients.push_back({});
  f.recipients[0].address = "bob@example.org";
  return f;
}

struct host {
  asio::io_context ctx;
  sim::virtual_clock clock{ctx, sim::wall_time{}};
  sim::storage::memory_store spool{clock};

  void put(const std::string& name, std::string bytes) {
    start(ctx, spool.put(name, std::move(bytes)));
    clock.run();
  }
  recovered_queue recover() {
    auto out = start(ctx, recover_queue(spool));
    clock.run();
    REQUIRE(out->value);
    return std::move(*out->value);
  }
};

}  // namespace

TEST_CASE("queue_recovery: intact files come back in id order, damaged ones are discarded") {
  host h;
  auto truncated = serialize(message("00000000CC"));
  truncated.pop_back();
  h.put("queue/00000000BB", serialize(message("00000000BB")));
  h.put("queue/00000000AA", serialize(message("00000000AA")));
  h.put("queue/00000000CC", truncated);
  h.put("queue/00000000DD", serialize(message("00000000EE")));  // name and id disagree
  h.put("mbox/bob@example.org/0001", "not a queue file, not ours");
  auto got = h.recover();
  REQUIRE(got.messages.size() == 2);
  CHECK(got.messages[0] == message("00000000AA"));
  CHECK(got.messages[1] == message("00000000BB"));
  CHECK(got.discarded == std::vector<std::string>{"queue/00000000CC", "queue/00000000DD"});
  // Discarded once: a second recovery finds only the good ones.
  auto again = h.recover();
  CHECK(again.messages.size() == 2);
  CHECK(again.discarded.empty());
  CHECK(h.spool.durable_count() == 3);
}

TEST_CASE("queue_recovery: a message whose put was in flight at a crash is not recovered") {
  host h;
  h.put("queue/00000000AA", serialize(message("00000000AA")));
  auto in_flight = start(h.ctx, h.spool.put("queue/00000000BB", serialize(message("00000000BB"))));
  h.clock.run(h.clock.now());
  h.spool.crash();
  h.clock.run();
  CHECK(in_flight->code() == sim::storage::store_errc::crashed);
  auto got = h.recover();
  REQUIRE(got.messages.size() == 1);
  CHECK(got.messages[0].queue_id == "00000000AA");
  CHECK(got.discarded.empty());
}

TEST_CASE("queue_recovery: an empty spool recovers nothing") {
  host h;
  auto got = h.recover();
  CHECK(got.messages.empty());
  CHECK(got.discarded.empty());
}
