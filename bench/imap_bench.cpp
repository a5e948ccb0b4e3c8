// bench_imap - IMAP fetches per second, and FETCH throughput.
//
// Two figures, in virtual time (no real latency):
//   fetches:  the MUA's client_session against server_session over the
//             simulated network: log in, select, search, fetch, mark \Seen,
//             logout; 10 messages of 2 KB each time (marked unseen again
//             before the next run).
//   fetch:    one session answering FETCH 1:* (FLAGS ENVELOPE BODY[]) on a
//             mailbox of 1000 messages, server_fsm alone (no network).
// Trace events not kept.
//   bench_imap [fetches-count] [fetch-rounds]
#include <cstdlib>

#include "bench_util.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/imap/client_session.hpp"
#include "sim/imap/memory_mail_store.hpp"
#include "sim/imap/server_fsm.hpp"
#include "sim/imap/server_session.hpp"
#include "sim/net/network.hpp"

using namespace std::chrono_literals;

namespace {

std::string message(std::size_t i) {
  std::string m = "From: alice@example.com\r\nTo: bob@example.org\r\nSubject: message " + std::to_string(i) +
                  "\r\nDate: Mon, 05 Jan 2026 09:00:00 +0000\r\n\r\n";
  while (m.size() < 2048) m += "All work and no play makes Jack a dull boy.\r\n";
  return m;
}

// n fetches of 10 messages; returns the messages fetched.
std::size_t run_fetches(std::size_t n) {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, *sim::parse_rfc3339("2026-01-05T09:00:00Z"));
  sim::trace tr(&clk);  // no sink: events are numbered, nothing more
  sim::net::network net(clk, tr);
  net.add_host("mx.example.org", "198.51.100.10");
  net.add_host("pc.example.org", "192.0.2.10");
  sim::imap::memory_mail_store store;
  store.add_user("bob@example.org", "pw");
  for (std::size_t i = 0; i < 10; ++i) store.deliver("bob@example.org", message(i), clk.wall_now());
  net.listen("mx.example.org", 143, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    sim::imap::server_options o;
    o.host = "mx.example.org";
    asio::co_spawn(ctx, sim::imap::server_session(std::move(s), store, clk, tr, std::move(o)), asio::detached);
  });
  std::size_t fetched = 0;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<sim::imap::flag_update> unseen;
      for (const auto& m : store.messages("bob@example.org", "INBOX")) unseen.push_back({m.uid, {}});
      store.set_flags("bob@example.org", "INBOX", unseen);
      auto c = co_await net.connect("pc.example.org", "198.51.100.10", 143, 30s);
      sim::imap::client_options o{"pc.example.org", {"bob@example.org", "pw", "INBOX", false}, 10min};
      auto got = co_await sim::imap::client_session(c.conn, clk, tr, std::move(o));
      fetched += got.messages.size();
    }
  }, asio::detached);
  clk.run();
  return fetched;
}

// `rounds` FETCH 1:* over 1000 messages; returns the octets written.
std::size_t run_fetch(std::size_t rounds) {
  sim::imap::memory_mail_store store;
  store.add_user("bob@example.org", "pw");
  for (std::size_t i = 0; i < 1000; ++i) store.deliver("bob@example.org", message(i), {});
  sim::imap::server_fsm fsm(store, {});
  fsm.start();
  fsm.receive("a LOGIN bob@example.org pw\r\nb EXAMINE INBOX\r\n");
  std::size_t octets = 0;
  for (std::size_t i = 0; i < rounds; ++i) {
    for (auto& a : fsm.receive("c FETCH 1:* (FLAGS ENVELOPE BODY.PEEK[])\r\n")) {
      if (auto* s = std::get_if<sim::imap::send_action>(&a)) octets += s->bytes.size();
    }
  }
  return octets;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t fetches = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2000;
  std::size_t rounds = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 20;
  std::size_t fetched = 0, octets = 0;
  double s1 = bench::seconds_for([&] { fetched = run_fetches(fetches); });
  bench::report("imap fetch sessions (10 messages each)", static_cast<double>(fetches), s1);
  double s2 = bench::seconds_for([&] { octets = run_fetch(rounds); });
  bench::report("FETCH 1:* responses (1000 messages)", static_cast<double>(rounds) * 1000, s2);
  std::printf("(%zu messages fetched, %zu octets of FETCH responses)\n", fetched, octets);
  return fetched == fetches * 10 ? 0 : 1;
}
