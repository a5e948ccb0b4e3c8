// bench_smtp - complete in-memory SMTP transactions per second.
//
// Two figures, both in virtual time (5ms one-way latency costs nothing real):
//   sessions: sim::smtp client and server sessions over the simulated
//             network with scripted policy (tests/sim/smtp/session_harness.hpp);
//   agents:   the real MTA on mx.example.org (relay and recipient checks,
//             PTR lookup, Received, durable enqueue, queue attempt, LMTP to
//             the LDA, mailbox write) for a client outside its networks.
// One connection per message, trace events not kept.
//   bench_smtp [sessions-count] [agents-count]
#include <cstdlib>

#include "bench_util.hpp"
#include "fake_dns/fake_resolver.hpp"
#include "fake_dns/reverse.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/lda/lda.hpp"
#include "sim/mta/mta.hpp"
#include "sim/smtp/client_session.hpp"
#include "sim/storage/memory_store.hpp"
#include "../tests/sim/smtp/session_harness.hpp"

using namespace std::chrono_literals;

namespace {

// n messages from client.outside.test to bob@example.org at mx.example.org;
// returns how many reached bob's mailbox.
std::size_t run_agents(std::size_t n) {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, *sim::parse_rfc3339("2026-01-05T09:00:00Z"));
  sim::trace tr(&clk);  // no sink: events are numbered, nothing more
  dns::zone_store zones;
  dns::fake_resolver resolver(clk, tr, zones);
  sim::net::network net(clk, tr);
  sim::random_source random(1);
  for (auto [name, ip] : {std::pair{"mx.example.org", "198.51.100.10"}, std::pair{"client.outside.test", "203.0.113.7"}}) {
    net.add_host(name, ip);
    for (auto& r : dns::auto_host_records(name, ip)) zones.add(std::move(r));
  }
  sim::storage::memory_store spool(clk), mail(clk);
  sim::lda::mailbox_store boxes(mail);
  boxes.add_mailbox("bob@example.org", {});
  sim::lda::lda local("mx.example.org", boxes, clk, tr);
  sim::mta::mta_config config;
  config.host = "mx.example.org";
  config.ip = "198.51.100.10";
  config.local_domains = {"example.org"};
  sim::mta::mta agent(sim::mta::services{clk, tr, net, resolver, random}, config, spool, &local);
  agent.start();

  sim::smtp::outgoing_message m;
  m.reverse_path = sim::smtp::parse_mailbox("alice@outside.test");
  m.recipients.push_back({*sim::smtp::parse_mailbox("bob@example.org"), {}});
  m.content = "From: alice@outside.test\r\nTo: bob@example.org\r\nSubject: bench\r\n\r\nHello Bob.\r\n";
  sim::smtp::client_session_options opts;
  opts.protocol.helo_name = "client.outside.test";
  opts.host = "client.outside.test";
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    for (std::size_t i = 0; i < n; ++i) {
      auto c = co_await net.connect("client.outside.test", "198.51.100.10", 25, 30s);
      co_await sim::smtp::deliver_one(c.conn, clk, tr, opts, m);
    }
  }, asio::detached);
  clk.run();
  return boxes.messages("bob@example.org").size();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t sessions = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20'000;
  const std::size_t agents = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 5'000;
  std::size_t accepted = 0;
  double s = bench::seconds_for([&] { accepted = sim::smtp::test::run_transactions(sessions); });
  bench::report("SMTP sessions: transactions", static_cast<double>(accepted), s);
  std::size_t delivered = 0;
  s = bench::seconds_for([&] { delivered = run_agents(agents); });
  bench::report("MTA+LDA agents: messages delivered", static_cast<double>(delivered), s);
  return accepted == sessions && delivered == agents ? 0 : 1;
}
