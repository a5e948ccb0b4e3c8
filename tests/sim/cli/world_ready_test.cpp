// tests/sim/cli/world_ready_test.cpp - `mailsim world --wait-ready` without a
// namespace: the readiness pipe's verdicts, and the clock whose t = 0 is READY.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "sim/cli/world_clock.hpp"
#include "sim/cli/world_ready.hpp"

using sim::cli::ready_pipe;
using sim::cli::world_clock;

namespace {

// Writes the chunks to the pipe (then closes it when asked) and returns
// the verdict: "" for READY, else the reason.
std::string verdict(const std::vector<std::string>& chunks, bool close) {
  asio::io_context ctx;
  ready_pipe pipe(ctx);
  for (const auto& c : chunks) REQUIRE(::write(pipe.write_fd(), c.data(), c.size()) == static_cast<ssize_t>(c.size()));
  if (close) pipe.close_write_end();
  std::optional<std::string> seen;
  bool called = false;
  pipe.wait([&](std::optional<std::string> why, bool) {
    called = true;
    seen = std::move(why);
  });
  ctx.run_for(std::chrono::seconds(5));
  REQUIRE(called);
  return seen.value_or("");
}

}  // namespace

TEST_CASE("the readiness pipe reads one READY line however it is written") {
  CHECK(verdict({"READY\n"}, false).empty());
  CHECK(verdict({"READY\r\n"}, true).empty());
  CHECK(verdict({"RE", "AD", "Y\n", "more\n"}, false).empty());
}

TEST_CASE("the readiness pipe closing or another line is a clear refusal") {
  CHECK(verdict({}, true) == "COMMAND closed MAILSIM_READY_FD without writing READY");
  CHECK(verdict({"READY"}, true) == "COMMAND closed MAILSIM_READY_FD without writing READY");
  CHECK(verdict({"ready\n"}, false) == "COMMAND wrote \"ready\" to MAILSIM_READY_FD, not READY");
  CHECK(verdict({std::string("\x01") + std::string(70, 'x') + "\n"}, false) ==
        "COMMAND wrote \"?" + std::string(59, 'x') + "...\" to MAILSIM_READY_FD, not READY");
}

TEST_CASE("the readiness pipe is close-on-exec on mailsim's side") {
  asio::io_context ctx;
  ready_pipe pipe(ctx);
  CHECK((::fcntl(pipe.write_fd(), F_GETFD) & FD_CLOEXEC) != 0);
}

TEST_CASE("before READY time stands at 0 and held timers wait for READY") {
  asio::io_context ctx;
  sim::real_clock real(ctx, sim::real_clock::system_now());
  world_clock clk(real, false);
  std::vector<std::string> order;
  clk.hold(true);
  auto timeline = clk.call_at(sim::at_millis(30), [&] {
    order.push_back("timeline 30ms at " + std::to_string(sim::millis(clk.now()) >= 30));
  });
  auto cancelled = clk.call_at(sim::at_millis(10), [&] { order.push_back("cancelled"); });
  clk.hold(false);
  CHECK(clk.cancel(cancelled));
  // A timeout armed while waiting counts real time.
  clk.call_after(std::chrono::milliseconds(20), [&] {
    order.push_back("relative 20ms at t=" + std::to_string(sim::millis(clk.now())));
    clk.become_ready();
    CHECK(clk.ready());
  });
  ctx.run_for(std::chrono::seconds(5));
  CHECK(order == std::vector<std::string>{"relative 20ms at t=0", "timeline 30ms at 1"});
  CHECK_FALSE(clk.cancel(timeline));
  CHECK(sim::millis(clk.now()) >= 30);
}

TEST_CASE("a held timer cancelled after READY does not run") {
  asio::io_context ctx;
  sim::real_clock real(ctx, sim::real_clock::system_now());
  world_clock clk(real, false);
  bool ran = false;
  clk.hold(true);
  auto id = clk.call_at(sim::at_millis(50), [&] { ran = true; });
  clk.hold(false);
  clk.become_ready();
  CHECK(clk.cancel(id));
  CHECK_FALSE(clk.cancel(id));
  ctx.run_for(std::chrono::milliseconds(120));
  CHECK_FALSE(ran);
}

TEST_CASE("a clock ready from the start is the real clock") {
  asio::io_context ctx;
  sim::real_clock real(ctx, sim::real_clock::system_now());
  world_clock clk(real, true);
  clk.hold(true);  // holds nothing once ready
  bool ran = false;
  clk.call_after(std::chrono::milliseconds(10), [&] { ran = true; });
  ctx.run_for(std::chrono::seconds(2));
  CHECK(ran);
  CHECK(sim::millis(clk.now()) >= 10);
}
