// tests/sim/embed/embed_test.cpp - the public API (include/mailsim/mailsim.hpp)
// against the engine it wraps: same results, same trace, queues and mailboxes.
#include <catch2/catch.hpp>

#include <sstream>

#include "mailsim/mailsim.hpp"
#include "sim/core/trace_jsonl.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace {

// alice sends bob one message; `fault` (a timeline entry or "") is added first.
std::string world_json(const std::string& fault, const std::string& expect) {
  return R"({
  "scenario": "embed-test",
  "title": "alice sends bob one message",
  "dns": ["example.org MX 10 mx.example.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": { "alice@sender.test": { "password": "pw" } }, "submission": true },
    "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"] }
  },
  "timeline": [)" + fault + R"(
    { "at": "1s", "send": { "id": "hello", "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "Hello Bob" } }
  ],
  "expect": [)" + expect + R"(]
})";
}

const std::string delivered = R"({ "delivered": { "to": "bob@example.org", "message": "hello", "within": "1m" } },
                                  { "queue_empty": true })";

}  // namespace

TEST_CASE("a scenario given as JSON runs and its expectations pass") {
  auto s = mailsim::scenario::from_json(world_json("", delivered));
  CHECK(s.id() == "embed-test");
  mailsim::run_result r = s.run({.seed = 7});
  CHECK(r.seed() == 7);
  REQUIRE(r.expectations().size() == 2);
  CHECK(r.passed());
  CHECK(r.expectations()[0].line.rfind("PASS delivered bob@example.org", 0) == 0);
  CHECK(r.summary().ends_with("2 passed, 0 failed\n"));
}

TEST_CASE("the mailbox holds the message as filed") {
  auto r = mailsim::scenario::from_json(world_json("", delivered)).run();
  const mailsim::mailbox* bob = r.mailbox_of("bob@example.org");
  REQUIRE(bob != nullptr);
  CHECK(bob->host == "mx.example.org");
  REQUIRE(bob->messages.size() == 1);
  CHECK(bob->messages[0].folder == "INBOX");
  CHECK(bob->messages[0].header("Subject") == "Hello Bob");
  CHECK(bob->messages[0].header("Delivered-To") == "bob@example.org");
  CHECK_FALSE(bob->messages[0].header("X-Nothing").has_value());
  CHECK(r.mailbox_of("nobody@example.org") == nullptr);
  CHECK(r.mailbox_of("bob@example.org", "mail.sender.test") == nullptr);
}

TEST_CASE("trace events carry their fields and the line") {
  auto r = mailsim::scenario::from_json(world_json("", delivered)).run();
  CHECK(r.count("lda.deliver") == 1);
  auto deliveries = r.events_named("lda.deliver");
  REQUIRE(deliveries.size() == 1);
  const mailsim::event& e = deliveries[0];
  CHECK(e.host == "mx.example.org");
  CHECK(e.field("mailbox") == "bob@example.org");
  CHECK_FALSE(e.field("event").has_value());  // the common fields are members
  CHECK(e.line.find(R"("event":"lda.deliver")") != std::string::npos);
  CHECK(r.events().front().name == "sim.start");
  CHECK(r.events().back().name == "sim.end");
  for (std::size_t i = 0; i < r.events().size(); ++i) CHECK(r.events()[i].seq == i);  // 0, 1, 2, ...
}

TEST_CASE("the trace is byte for byte what the runner writes with the same seed") {
  std::string text = world_json("", delivered);
  auto r = mailsim::scenario::from_json(text).run({.seed = 42});
  auto spec = sim::scenario::load_from_string(text, "scenario.json");
  std::ostringstream want;
  {
    sim::trace tr;
    sim::jsonl_sink sink(tr, want);
    sim::scenario::run_options opts;
    opts.seed = 42;
    sim::scenario::run_scenario(spec, opts, tr);
  }
  CHECK(r.trace_jsonl() == want.str());
  CHECK(mailsim::scenario::from_json(text).run({.seed = 42}).trace_jsonl() == r.trace_jsonl());
}

TEST_CASE("a message still queued is seen with its recipients") {
  std::string refuse = R"(
    { "at": "0s", "fault": { "host": "mx.example.org", "kind": "reply", "phase": "rcpt", "code": 451,
                             "enhanced": "4.7.1", "text": "try later" } },)";
  auto r = mailsim::scenario::from_json(world_json(refuse, R"({ "queue_empty": true })")).run({.until_ms = 600'000});
  CHECK_FALSE(r.passed());
  CHECK(r.failed() == 1);
  CHECK(r.summary().ends_with("0 passed, 1 failed\n"));
  CHECK(r.queue("mx.example.org").empty());
  auto q = r.queue("mail.sender.test");
  REQUIRE(q.size() == 1);
  CHECK(q[0].sender == "alice@sender.test");
  CHECK(q[0].size > 0);
  REQUIRE(q[0].recipients.size() == 1);
  const auto& bob = q[0].recipients[0];
  CHECK(bob.address == "bob@example.org");
  CHECK(bob.status == "deferred");
  CHECK(bob.attempts >= 2);
  CHECK(bob.last_reply.find("451") != std::string::npos);
  REQUIRE(bob.next_attempt.has_value());
  CHECK(*bob.next_attempt > 600'000);
  CHECK(r.queued().size() == 1);
}

TEST_CASE("on_event sees every event and record_trace off keeps none") {
  std::size_t seen = 0;
  std::string last;
  auto r = mailsim::scenario::from_json(world_json("", delivered)).run({.record_trace = false, .on_event = [&](const mailsim::event& e) {
    ++seen;
    last = e.name;
  }});
  CHECK(r.events().empty());
  CHECK(seen > 10);
  CHECK(last == "sim.end");
  CHECK(r.passed());
}

TEST_CASE("a scenario file runs as mailsim run plays it") {
  auto s = mailsim::scenario::from_file(MAILSIM_SOURCE_DIR "/scenarios/mx-preference.json");
  auto r = s.run();
  CHECK(r.seed() == s.seed());
  CHECK(r.passed());
  CHECK(r.expectations().size() == 7);
  CHECK(r.count("net.connect") >= 1);
}

TEST_CASE("a bad scenario is one load_error naming the file and the pointer") {
  std::string bad = world_json("", delivered);
  bad.replace(bad.find("198.51.100.10"), 13, "300.1.2.3");
  try {
    mailsim::scenario::from_json(bad, "bad.json");
    FAIL("no load_error");
  } catch (const mailsim::load_error& e) {
    CHECK(std::string(e.what()).rfind("bad.json: /hosts/mx.example.org/ip:", 0) == 0);
  }
  CHECK_THROWS_AS(mailsim::scenario::from_file("no/such/file.json"), mailsim::load_error);
  CHECK_THROWS_AS(mailsim::scenario::from_json("{", "x.json"), mailsim::load_error);
}

TEST_CASE("a negative stop time is refused before anything runs") {
  auto s = mailsim::scenario::from_json(world_json("", delivered));
  CHECK_THROWS_AS(s.run({.until_ms = -1}), std::invalid_argument);
  CHECK(s.run({.until_ms = 0}).count("lda.deliver") == 0);
}

TEST_CASE("the version is the project's") { CHECK(!mailsim::version().empty()); }
