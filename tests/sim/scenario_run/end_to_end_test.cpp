// The whole delivery path in virtual time (overview.md): alice's MUA
// submits, the message crosses two MTAs, the LDA files it, and bob's MUA
// fetches it over POP3.  What bob gets carries Return-Path, two Received
// fields and alice's body byte for byte.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/message/compose.hpp"
#include "sim/message/message.hpp"
#include "sim/message/received.hpp"
#include "sim/scenario/expect.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/world.hpp"

namespace {

// Dot lines, a lone dot, trailing blanks: everything the transports stuff or
// could trim must come back as it was written.
const std::string body = "Hello Bob,\n\nThe figures for Q4:\n.\n..two dots\n.leading dot\ntrailing blanks   \nAlice\n";

const std::string document = R"({
  "scenario": "end-to-end", "title": "MUA to MTA to MTA to LDA to POP3",
  "dns": ["example.org MX 10 mx.example.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": {"alice@sender.test": {"password": "alice-pw"}}, "submission": true },
    "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"],
                        "mailboxes": {"bob@example.org": {"password": "bob-pw"}} }
  },
  "timeline": [
    { "at": "1s", "send": { "id": "figures", "from": "alice@sender.test", "to": ["bob@example.org"],
                            "subject": "Q4 figures", "body": "Hello Bob,\n\nThe figures for Q4:\n.\n..two dots\n.leading dot\ntrailing blanks   \nAlice\n" } },
    { "at": "1m", "fetch": { "user": "bob@example.org" } }
  ],
  "expect": [
    { "delivered": { "to": "bob@example.org", "message": "figures", "via": ["mail.sender.test", "mx.example.org"],
                     "within": "10s", "headers": { "Return-Path": "<alice@sender.test>" } } },
    { "fetched": { "user": "bob@example.org", "subject": "Q4 figures", "count": 1 } },
    { "no_bounce": {} },
    { "queue_empty": true }
  ]
})";

struct played {
  std::vector<sim::event> events;
  std::vector<sim::scenario::fetch_record> fetched;
  std::vector<sim::scenario::expect_result> expectations;
};

// What run_scenario() does, keeping the fetched messages it does not return.
played play(const sim::scenario::scenario& s) {
  played out;
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, s.start);
  sim::recording_trace tr(&clk);
  {
    sim::scenario::world w(s, clk, tr, s.seed);
    w.start();
    clk.run(sim::time_point{sim::scenario::scenario::max_run});
    if (w.failure()) std::rethrow_exception(w.failure());
    auto& o = w.collect();
    o.trace = &tr.events();
    out.expectations = sim::scenario::evaluate_all(s.expect, o);
    out.fetched = o.fetched;
  }
  out.events = tr.events();
  return out;
}

std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

std::string body_of(const std::string& raw) { return raw.substr(raw.find("\r\n\r\n") + 4); }

}  // namespace

TEST_CASE("end to end: alice's message crosses two MTAs and bob fetches it over POP3 as she wrote it") {
  auto scenario = sim::scenario::load_from_string(document, "end-to-end.json");
  auto got = play(scenario);
  for (const auto& e : got.expectations) {
    INFO(e.line());
    CHECK(e.passed);
  }
  REQUIRE(got.fetched.size() == 1);
  const std::string& raw = got.fetched[0].raw;
  CHECK(got.fetched[0].user == "bob@example.org");

  auto msg = sim::message::message::parse(raw);
  REQUIRE(!msg.fields().empty());
  CHECK(msg.fields()[0].name == "Return-Path");
  CHECK(msg.get("Return-Path") == "<alice@sender.test>");
  CHECK(msg.get("Delivered-To") == "bob@example.org");
  auto received = msg.get_all("Received");
  REQUIRE(received.size() == 2);
  auto last_hop = sim::message::parse_received(received[0]);
  auto first_hop = sim::message::parse_received(received[1]);
  REQUIRE(last_hop);
  REQUIRE(first_hop);
  CHECK(first_hop->by_host == "mail.sender.test");
  CHECK(first_hop->protocol == "ESMTPA");
  CHECK(last_hop->from_host == "mail.sender.test");
  CHECK(last_hop->ip == "192.0.2.25");
  CHECK(last_hop->by_host == "mx.example.org");
  CHECK(last_hop->protocol == "ESMTP");
  CHECK(sim::message::received_path(msg) == std::vector<std::string>{"mail.sender.test", "mx.example.org"});

  // The body, byte for byte: alice's text with CRLF line ends, as the MUA composed it.
  CHECK(body_of(raw) == crlf(body));
  sim::message::compose_request request;
  request.from = "alice@sender.test";
  request.to = {"bob@example.org"};
  request.subject = "Q4 figures";
  request.body = body;
  CHECK(body_of(raw) == body_of(sim::message::compose(request)));

  // Every hop in order, in the trace: each MTA reports a recipient delivered
  // once the next one has taken it (enqueued, or filed by the LDA).
  std::vector<std::string> path;
  for (const auto& e : got.events) {
    auto name = e["event"].get<std::string>();
    if (name == "mua.submit" || name == "queue.enqueue" || name == "queue.delivered" || name == "lda.deliver" ||
        name == "mua.fetch")
      path.push_back(e["host"].get<std::string>() + " " + name);
  }
  CHECK(path == std::vector<std::string>{
                    "client.invalid mua.submit", "mail.sender.test queue.enqueue", "mx.example.org queue.enqueue",
                    "mail.sender.test queue.delivered", "mx.example.org lda.deliver", "mx.example.org queue.delivered",
                    "bob-mua.example.org mua.fetch"});
}

TEST_CASE("end to end: the run takes seconds of simulated time and leaves no work behind") {
  auto got = play(sim::scenario::load_from_string(document, "end-to-end.json"));
  REQUIRE(!got.events.empty());
  std::int64_t delivered_at = -1;
  for (const auto& e : got.events)
    if (e["event"] == "lda.deliver") delivered_at = e["t"].get<std::int64_t>();
  CHECK(delivered_at > 1'000);
  CHECK(delivered_at < 2'000);
  // bob's MUA fetched at one minute, a few network round trips later.
  CHECK(got.fetched.at(0).at >= sim::at_millis(60'000));
  CHECK(got.fetched.at(0).at < sim::at_millis(61'000));
}
