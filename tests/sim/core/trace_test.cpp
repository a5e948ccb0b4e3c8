// Tests for sim/core/trace: stable fields, order and formatting.
#include <catch2/catch.hpp>

#include <sstream>

#include "sim/core/random.hpp"
#include "sim/core/trace.hpp"
#include "sim/core/virtual_clock.hpp"

using namespace std::chrono_literals;

TEST_CASE("events carry the common fields first, then their own in order") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, *sim::parse_rfc3339("2026-01-05T09:00:00Z"));
  sim::trace tr(&clk);
  tr.emit("sim", "sim", "sim.start", {{"scenario", "x"}, {"seed", 1}});
  clk.call_at(sim::at_millis(1500), [&] { tr.emit("mx1", "mta", "queue.enqueue", {{"queue_id", "A1"}, {"from", "a@b"}}); });
  clk.run();
  std::ostringstream out;
  tr.write_jsonl(out);
  CHECK(out.str() ==
        "{\"seq\":0,\"t\":0,\"host\":\"sim\",\"agent\":\"sim\",\"event\":\"sim.start\",\"scenario\":\"x\",\"seed\":1}\n"
        "{\"seq\":1,\"t\":1500,\"host\":\"mx1\",\"agent\":\"mta\",\"event\":\"queue.enqueue\",\"queue_id\":\"A1\","
        "\"from\":\"a@b\"}\n");
}

TEST_CASE("sinks see every event as it happens") {
  sim::trace tr;
  std::vector<std::string> got;
  tr.on_event([&](const sim::event& e) { got.push_back(e["event"].get<std::string>()); });
  tr.emit("h", "net", "net.connect");
  tr.emit("h", "net", "net.close");
  CHECK(got == std::vector<std::string>{"net.connect", "net.close"});
  CHECK(tr.next_session_id() == "s1");
  CHECK(tr.next_session_id() == "s2");
}

TEST_CASE("invalid UTF-8 from the wire still gives a valid JSON line") {
  sim::trace tr;
  const auto& e = tr.emit("h", "mta", "smtp.command", {{"line", std::string("MAIL \xff\xfe")}});
  auto line = sim::trace::to_line(e);
  CHECK_NOTHROW(nlohmann::json::parse(line));
}

namespace {
// A workload with random delays: each of 20 workers sleeps random times.
std::string run_workload(std::uint64_t seed) {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, *sim::parse_rfc3339("2026-01-05T09:00:00Z"));
  sim::trace tr(&clk);
  sim::random_source src(seed);
  for (int w = 0; w < 20; ++w) {
    std::string name = fmt::format("w{}", w);
    asio::co_spawn(ctx, [&, name, rng = src.stream("worker/" + name)]() mutable -> asio::awaitable<void> {
      for (int i = 0; i < 10; ++i) {
        co_await clk.sleep_for(sim::duration{rng.between(0, 5000)});
        tr.emit(name, "sim", "tick", {{"i", i}});
      }
    }, asio::detached);
  }
  clk.run();
  std::ostringstream out;
  tr.write_jsonl(out);
  return out.str();
}
}  // namespace

TEST_CASE("a workload with random delays gives a byte-identical trace for one seed") {
  auto a = run_workload(1), b = run_workload(1), c = run_workload(2);
  CHECK(a == b);
  CHECK(a != c);
}
