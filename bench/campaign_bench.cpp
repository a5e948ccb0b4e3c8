// bench_campaign - the full simulated delivery path at campaign scale.
//
// A world of three machines: a laptop whose MUA submits on 587 with AUTH
// PLAIN to mail.sender.test, which looks up the MX of example.org and
// relays over SMTP to mx.example.org, whose MTA hands each message to its
// LDA over LMTP.  Ten MUAs submit one after the other until N deliveries
// (messages filed in mailboxes) are done, R recipients per message (to the first,
// bcc to the others; 100 mailboxes in turn), 1 KiB messages.  Prints
// deliveries per second (real time), CPU per delivery (user + system) and
// the process's peak resident memory.  Run one size per process, so that
// the peak belongs to that size:
//   bench_campaign N [R] [--trace FILE]
// No sink listens to the trace unless --trace streams the JSON Lines trace
// to FILE as `mailsim run --trace` does (/dev/null: the writing without the
// disk).  Built with -DMAILSIM_BENCH_BASE it compiles against the code
// before the trace was streamed (40d6f27), for before/after figures.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "bench_util.hpp"
#include "sim/core/virtual_clock.hpp"
#ifndef MAILSIM_BENCH_BASE
#include "sim/core/trace_jsonl.hpp"
#endif
#include "sim/mua/mua.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/world.hpp"

namespace {

constexpr std::size_t mailbox_count = 100;
constexpr std::size_t senders = 10;

std::string mailbox(std::size_t i) { return "r" + std::to_string(i % mailbox_count) + "@example.org"; }

std::string world_json() {
  std::string boxes;
  for (std::size_t i = 0; i < mailbox_count; ++i) boxes += (i ? ", \"" : "\"") + mailbox(i) + "\"";
  return R"({
  "scenario": "bench-campaign",
  "title": "bench_campaign",
  "dns": ["example.org MX 10 mx.example.org"],
  "hosts": {
    "laptop.sender.test": { "ip": "192.0.2.99" },
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"], "submission": true,
                          "mailboxes": { "alice@sender.test": { "password": "alice-secret" } } },
    "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": [)" +
         boxes + R"(] }
  }
})";
}

struct campaign {
  std::size_t messages = 0;
  std::size_t rcpts = 1;
  std::size_t next = 0;  // messages handed to an MUA so far
};

sim::mua::submission make_submission(std::size_t n, std::size_t rcpts, const std::string& via_ip) {
  sim::mua::submission s;
  s.message.from = "alice@sender.test";
  for (std::size_t k = 0; k < rcpts; ++k) (k == 0 ? s.message.to : s.message.bcc).push_back(mailbox(n * rcpts + k));
  s.message.subject = "Campaign message " + std::to_string(n);
  s.message.body = "Hello.\r\n";
  s.message.size = 1024;
  s.sequence = n + 1;
  s.scenario = "bench-campaign";
  s.client_host = "laptop.sender.test";
  s.via_host = "mail.sender.test";
  s.via_ip = via_ip;
  s.port = 587;
  s.password = "alice-secret";
  return s;
}

asio::awaitable<void> sender(sim::mua::mua& agent, campaign& c, std::string via_ip) {
  while (c.next < c.messages) {
    std::size_t n = c.next++;
    co_await agent.submit(make_submission(n, c.rcpts, via_ip));
  }
}

struct usage {
  double cpu_seconds = 0;
  long peak_rss_kib = 0;
};

usage process_usage() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return {secs(ru.ru_utime) + secs(ru.ru_stime), ru.ru_maxrss};
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t deliveries = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000;
  std::size_t rcpts = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  const char* trace_path = argc > 4 && std::string(argv[3]) == "--trace" ? argv[4] : nullptr;
  if (deliveries == 0 || rcpts == 0 || rcpts > 100 || deliveries % rcpts != 0) {
    std::fprintf(stderr, "usage: bench_campaign N [R] [--trace FILE]  (R from 1 to 100, dividing N)\n");
    return 2;
  }
  auto spec = sim::scenario::load_from_string(world_json(), "bench-campaign.json");
#ifdef MAILSIM_BENCH_BASE
  asio::io_context ctx;
#else
  asio::io_context ctx(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE);  // as run_scenario() has it
#endif
  sim::virtual_clock clk(ctx, spec.start);
  sim::trace tr(&clk);
  std::unique_ptr<std::ofstream> trace_file;
  if (trace_path) trace_file = std::make_unique<std::ofstream>(trace_path, std::ios::binary);
#ifdef MAILSIM_BENCH_BASE
  // The code before the trace was streamed: events are JSON objects, and
  // nothing keeps them when a benchmark says so.
  tr.set_keep(false);
  if (trace_file) tr.on_event([&](const sim::event& e) { *trace_file << sim::trace::to_line(e) << '\n'; });
  sim::scenario::world w(spec, clk, tr, spec.seed);
#else
  std::unique_ptr<sim::jsonl_sink> jsonl;
  if (trace_file) jsonl = std::make_unique<sim::jsonl_sink>(tr, *trace_file);
  // What `mailsim run` keeps for a scenario without fetches or expectations
  // about mail: nothing reads the mailboxes or the deliveries afterwards.
  sim::scenario::world w(spec, clk, tr, spec.seed, {}, sim::scenario::retention_for(spec, false));
#endif
  sim::mua::mua agent(clk, tr, w.network());
  campaign c{deliveries / rcpts, rcpts, 0};
  std::string via_ip = w.network().ip_of("mail.sender.test").value_or("");
  usage before = process_usage();
  double seconds = bench::seconds_for([&] {
    w.start();
    for (std::size_t i = 0; i < senders; ++i) asio::co_spawn(ctx, sender(agent, c, via_ip), asio::detached);
    clk.run();
  });
  usage after = process_usage();
  if (w.failure()) std::rethrow_exception(w.failure());
  std::size_t delivered = 0;  // what the mailboxes hold (counted after the measurement)
  for (const auto& box : w.mailboxes()) delivered += box.messages.size();
  double cpu = after.cpu_seconds - before.cpu_seconds;
  std::printf("bench_campaign N=%zu R=%zu: %zu deliveries in %.3f s = %.0f /s, CPU %.2f us/delivery, "
              "peak RSS %.1f MiB (%.0f B/delivery), virtual time %s\n",
              deliveries, rcpts, delivered, seconds, static_cast<double>(delivered) / seconds,
              cpu * 1e6 / static_cast<double>(delivered), static_cast<double>(after.peak_rss_kib) / 1024.0,
              static_cast<double>(after.peak_rss_kib) * 1024.0 / static_cast<double>(delivered),
              sim::format_offset(clk.now()).c_str());
  return delivered == deliveries ? 0 : 1;
}
