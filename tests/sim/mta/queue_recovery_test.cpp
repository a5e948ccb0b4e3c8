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
  std::optional<std::string> get(const std::string& name) {
    auto out = start(ctx, spool.get(name));
    clock.run();
    REQUIRE(out->value);
    return std::move(*out->value);
  }
  recovered_queue recover() {
    auto out = start(ctx, recover_queue(spool));
    clock.run();
    REQUIRE(out->value);
    return std::move(*out->value);
  }
};

}  // namespace

TEST_CASE("queue_recovery: intact files come back in id order, damaged ones are moved to corrupt/") {
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
  REQUIRE(got.corrupt.size() == 2);
  CHECK(got.corrupt[0].name == "queue/00000000CC");
  CHECK(got.corrupt[0].moved_to == "corrupt/queue/00000000CC");
  CHECK(got.corrupt[0].reason == "checksum mismatch (damaged or cut short)");
  CHECK(got.corrupt[1].name == "queue/00000000DD");
  CHECK(got.corrupt[1].reason == "it holds queue id 00000000EE");
  // Moved, not deleted: the bytes are kept for a person to look at.
  CHECK(h.get("corrupt/queue/00000000CC") == truncated);
  CHECK(h.get("corrupt/queue/00000000DD") == serialize(message("00000000EE")));
  CHECK_FALSE(h.get("queue/00000000CC"));
  // Reported once: a second recovery finds only the good ones.
  auto again = h.recover();
  CHECK(again.messages.size() == 2);
  CHECK(again.corrupt.empty());
  CHECK(h.spool.durable_count() == 5);
}

TEST_CASE("queue_recovery: one changed byte of the message makes the file corrupt, and it is kept") {
  host h;
  auto bytes = serialize(message("00000000AA"));
  bytes[bytes.size() - 3] ^= 0x01;
  h.put("queue/00000000AA", bytes);
  auto got = h.recover();
  CHECK(got.messages.empty());
  REQUIRE(got.corrupt.size() == 1);
  CHECK(got.corrupt[0].reason == "checksum mismatch (damaged or cut short)");
  CHECK(h.get("corrupt/queue/00000000AA") == bytes);
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
  CHECK(got.corrupt.empty());
}

TEST_CASE("queue_recovery: an empty spool recovers nothing") {
  host h;
  auto got = h.recover();
  CHECK(got.messages.empty());
  CHECK(got.corrupt.empty());
}
