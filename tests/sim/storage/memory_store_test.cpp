// memory_store: durability takes virtual time; a crash keeps what was durable
// and fails what was in flight.
#include <catch2/catch.hpp>

#include "sim/core/virtual_clock.hpp"
#include "sim/storage/memory_store.hpp"
#include "tests/sim/storage/outcome.hpp"

using namespace std::chrono_literals;
using sim::storage::memory_store;
using sim::storage::store_errc;
using sim::testing::start;

namespace {

struct disk {
  asio::io_context ctx;
  sim::virtual_clock clock{ctx, sim::wall_time{}};
  memory_store store{clock};

  std::optional<std::string> get(const std::string& name) {
    auto out = start(ctx, store.get(name));
    clock.run();
    return *out->value;
  }
  std::vector<std::string> list(const std::string& prefix) {
    auto out = start(ctx, store.list(prefix));
    clock.run();
    return *out->value;
  }
};

}  // namespace

TEST_CASE("memory_store: a put returns once durable, after the durability delay") {
  disk d;
  auto put = start(d.ctx, d.store.put("queue/A", "hello"));
  d.clock.run(sim::at_millis(0));
  CHECK_FALSE(put->done);
  CHECK(d.store.in_flight() == 1);
  d.clock.run();
  CHECK(put->done);
  CHECK_FALSE(put->error);
  CHECK(d.clock.now() == sim::at_millis(1));
  CHECK(d.store.in_flight() == 0);
  CHECK(d.get("queue/A") == std::optional<std::string>("hello"));
}

TEST_CASE("memory_store: the durability delay is configurable") {
  asio::io_context ctx;
  sim::virtual_clock clock{ctx, sim::wall_time{}};
  memory_store store{clock, 50ms};
  auto put = start(ctx, store.put("mbox/bob@example.org/0001", "x"));
  clock.run(sim::at_millis(49));
  CHECK_FALSE(put->done);
  clock.run();
  CHECK(put->done);
  CHECK(clock.now() == sim::at_millis(50));
}

TEST_CASE("memory_store: crash keeps durable data and fails puts in flight") {
  disk d;
  start(d.ctx, d.store.put("queue/DURABLE", "kept"));
  d.clock.run();
  auto lost = start(d.ctx, d.store.put("queue/LOST", "gone"));
  auto replaced = start(d.ctx, d.store.put("queue/DURABLE", "new"));
  d.clock.run(d.clock.now());
  REQUIRE_FALSE(lost->done);
  d.store.crash();
  d.clock.run();
  CHECK(lost->done);
  CHECK(lost->code() == store_errc::crashed);
  CHECK_FALSE(lost->value.has_value());
  CHECK(replaced->code() == store_errc::crashed);
  CHECK(d.get("queue/LOST") == std::nullopt);
  CHECK(d.get("queue/DURABLE") == std::optional<std::string>("kept"));
  CHECK(d.store.in_flight() == 0);
  CHECK(d.store.durable_count() == 1);
}

TEST_CASE("memory_store: the failed put resumes at the crash, not later") {
  asio::io_context ctx;
  sim::virtual_clock clock{ctx, sim::wall_time{}};
  memory_store store{clock, 1h};
  auto lost = start(ctx, store.put("queue/A", "a"));
  clock.call_at(sim::at_millis(10), [&] { store.crash(); });
  clock.run(sim::at_millis(10));
  CHECK(clock.now() == sim::at_millis(10));
  CHECK(lost->done);
  CHECK(lost->code() == store_errc::crashed);
}

TEST_CASE("memory_store: a remove in flight at a crash did not happen") {
  disk d;
  start(d.ctx, d.store.put("queue/A", "a"));
  d.clock.run();
  auto removal = start(d.ctx, d.store.remove("queue/A"));
  d.clock.run(d.clock.now());
  d.store.crash();
  d.clock.run();
  CHECK(removal->code() == store_errc::crashed);
  CHECK(d.get("queue/A") == std::optional<std::string>("a"));
}

TEST_CASE("memory_store: works again after a crash (restart)") {
  disk d;
  d.store.crash();
  auto put = start(d.ctx, d.store.put("queue/B", "b"));
  d.clock.run();
  CHECK_FALSE(put->error);
  CHECK(d.get("queue/B") == std::optional<std::string>("b"));
  auto removal = start(d.ctx, d.store.remove("queue/B"));
  d.clock.run();
  CHECK_FALSE(removal->error);
  CHECK(d.get("queue/B") == std::nullopt);
}

TEST_CASE("memory_store: list returns the names under a prefix in sorted order") {
  disk d;
  for (auto name : {"queue/C", "mbox/bob@example.org/0002", "queue/A", "mbox/bob@example.org/0001", "queueX"}) {
    start(d.ctx, d.store.put(name, "."));
  }
  d.clock.run();
  using names = std::vector<std::string>;
  CHECK(d.list("queue/") == names{"queue/A", "queue/C"});
  CHECK(d.list("queue") == names{"queue/A", "queue/C", "queueX"});
  CHECK(d.list("mbox/bob@example.org/") == names{"mbox/bob@example.org/0001", "mbox/bob@example.org/0002"});
  CHECK(d.list("mbox/alice") == names{});
  CHECK(d.list("").size() == 5);
}

TEST_CASE("memory_store: removing a missing name is not an error") {
  disk d;
  auto removal = start(d.ctx, d.store.remove("queue/NONE"));
  d.clock.run();
  CHECK(removal->done);
  CHECK_FALSE(removal->error);
}

TEST_CASE("memory_store: invalid names are refused") {
  disk d;
  for (auto name : {"", "/abs", "queue/", "queue//A", "../x", "queue/.tmp-A", "a/./b"}) {
    auto put = start(d.ctx, d.store.put(name, "x"));
    d.clock.run();
    INFO(name);
    CHECK(put->code() == store_errc::bad_name);
  }
  CHECK(d.store.durable_count() == 0);
}

TEST_CASE("memory_store: bytes put as a maker are made at the first read only and survive a crash") {
  disk d;
  int made = 0;
  auto put = start(d.ctx, d.store.put_made("queue/M", [&made] {
    ++made;
    return std::string("made bytes");
  }));
  d.clock.run();
  CHECK(put->done);
  CHECK_FALSE(put->error);
  CHECK(made == 0);
  CHECK(d.list("queue/") == std::vector<std::string>{"queue/M"});
  d.store.crash();
  CHECK(d.get("queue/M") == std::optional<std::string>("made bytes"));
  CHECK(d.get("queue/M") == std::optional<std::string>("made bytes"));
  CHECK(made == 1);
  // Replaced by plain bytes, and removed: the maker is never called again.
  start(d.ctx, d.store.put("queue/M", "plain"));
  d.clock.run();
  CHECK(d.get("queue/M") == std::optional<std::string>("plain"));
  start(d.ctx, d.store.put_made("queue/N", [&made] {
    ++made;
    return std::string("never read");
  }));
  d.clock.run();
  start(d.ctx, d.store.remove("queue/N"));
  d.clock.run();
  CHECK(d.get("queue/N") == std::nullopt);
  CHECK(made == 1);
}
