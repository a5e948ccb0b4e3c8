// lmtp_pipe: the MTA's LMTP dialogue with its LDA without a connection
// gives what the same dialogue over a zero-latency connection gives: the
// same trace events in the same order, the same outcomes, the same copy filed.
#include <catch2/catch.hpp>

#include "sim/lda/lmtp_pipe.hpp"
#include "sim/smtp/client_session.hpp"
#include "tests/sim/lda/lda_world.hpp"

using namespace sim::lda;
using namespace sim::lda::test;

namespace {

struct dialogue_result {
  std::vector<std::string> events;  // each event without seq and t
  sim::smtp::delivery_report report;
  std::vector<std::string> filed;   // bob's mailbox
};

sim::smtp::client_session_options client_options(const std::string& host) {
  sim::smtp::client_session_options opts;
  opts.protocol.helo_name = host;
  opts.protocol.lmtp = true;
  opts.host = host;
  opts.agent = "mta";
  opts.peer = host;
  return opts;
}

sim::smtp::outgoing_message message_to(const std::vector<std::string>& rcpts) {
  sim::smtp::outgoing_message m;
  m.reverse_path = sim::smtp::parse_mailbox("alice@sender.test");
  for (const auto& r : rcpts) m.recipients.push_back({*sim::smtp::parse_mailbox(r), {}});
  m.content = sample_unstuffed;
  return m;
}

// One delivery to `rcpts` (bob takes it, carol is full, nobody is unknown),
// over the pipe or over a connection.
dialogue_result deliver(bool pipe, const std::vector<std::string>& rcpts) {
  lda_world w;
  w.net.set_latency(sim::duration{0});
  w.boxes.add_mailbox("bob@example.org", {});
  w.boxes.add_mailbox("carol@example.org", {});
  w.agent.set_full("carol@example.org");
  dialogue_result out;
  sim::net::endpoint self{w.host, "198.51.100.10", 0}, lmtp{w.host, "198.51.100.10", 24};
  auto run = [&]() -> asio::awaitable<void> {
    std::string session = w.tr.next_session_id();
    if (pipe) {
      lmtp_pipe p(w.agent, w.clk, w.tr, session, self, lmtp, client_options(w.host));
      co_await p.open();
      out.report = co_await p.deliver(message_to(rcpts));
      co_await p.quit();
    } else {
      auto [client, server] = sim::net::memory_stream::make_pair(w.net, session, self, lmtp);
      w.tasks.spawn(w.agent.serve(server));
      sim::smtp::client_session s(client, w.clk, w.tr, client_options(w.host));
      co_await s.open();
      out.report = co_await s.deliver(message_to(rcpts));
      co_await s.quit();
    }
  };
  w.tasks.spawn(run());
  w.run();
  for (auto e : w.tr.events()) {
    e.erase("seq");
    e.erase("t");
    out.events.push_back(e.dump());
  }
  for (const auto& m : w.boxes.messages("bob@example.org")) out.filed.push_back(m.raw);
  return out;
}

}  // namespace

TEST_CASE("lmtp pipe: the same events in the same order as over a connection, and the same outcomes") {
  const std::vector<std::string> rcpts{"bob@example.org", "carol@example.org", "nobody@example.org"};
  auto direct = deliver(true, rcpts);
  auto connected = deliver(false, rcpts);
  CHECK(direct.events == connected.events);
  REQUIRE(direct.report.recipients.size() == 3);
  REQUIRE(connected.report.recipients.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("recipient " << i);
    CHECK(direct.report.recipients[i].status == connected.report.recipients[i].status);
    REQUIRE(direct.report.recipients[i].server_reply);
    CHECK(direct.report.recipients[i].server_reply->code == connected.report.recipients[i].server_reply->code);
  }
  CHECK(direct.report.recipients[0].server_reply->code == 250);
  CHECK(direct.report.recipients[1].server_reply->code == 452);
  CHECK(direct.report.recipients[2].server_reply->code == 550);
  REQUIRE(direct.filed.size() == 1);
  CHECK(direct.filed == connected.filed);
}

TEST_CASE("lmtp pipe: one net.close after the 221, and nothing filed when every recipient is refused") {
  auto direct = deliver(true, {"nobody@example.org"});
  CHECK(direct.events == deliver(false, {"nobody@example.org"}).events);
  std::size_t closes = 0;
  for (const auto& e : direct.events) closes += e.find("\"net.close\"") != std::string::npos;
  CHECK(closes == 1);
  REQUIRE(direct.events.size() >= 2);
  CHECK(direct.events.back().find("\"net.close\"") != std::string::npos);
  CHECK(direct.events[direct.events.size() - 2].find("\"code\":221") != std::string::npos);
  CHECK(direct.filed.empty());
  REQUIRE(direct.report.recipients.size() == 1);
  CHECK(direct.report.recipients[0].status == sim::smtp::delivery_status::permfail);
}
