// examples/embed/outage_test.cpp - a Catch2 test that runs a mail world with
// the installed mailsim library: include <mailsim/mailsim.hpp>, link
// mailsim::mailsim, nothing else.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <mailsim/mailsim.hpp>

TEST_CASE("an order mail survives a 20 minute outage of the customer's MX") {
  auto scenario = mailsim::scenario::from_file(SCENARIO_DIR "/outage.json");
  mailsim::run_result r = scenario.run({.seed = 1});

  // The scenario's own expectations, exactly as `mailsim run` checks them.
  INFO(r.summary());
  REQUIRE(r.passed());

  // The mailbox: one message, as the LDA filed it.
  const mailsim::mailbox* bob = r.mailbox_of("bob@example.org");
  REQUIRE(bob != nullptr);
  REQUIRE(bob->messages.size() == 1);
  CHECK(bob->messages[0].header("Subject") == "Your order 1234");

  // The trace: the shop's MTA deferred, then handed the mail to the MX
  // after the heal (the MX's own queue.delivered is its LMTP delivery).
  CHECK(r.count("queue.defer") >= 1);
  std::vector<mailsim::event> handed;
  for (const auto& e : r.events_named("queue.delivered"))
    if (e.host == "mail.shop.test") handed.push_back(e);
  REQUIRE(handed.size() == 1);
  CHECK(handed[0].field("peer") == "mx.example.org");
  CHECK(handed[0].t >= 20 * 60 * 1000);
  CHECK(r.queued().empty());
}

TEST_CASE("stopped during the outage, the message waits in the shop's queue") {
  auto scenario = mailsim::scenario::from_file(SCENARIO_DIR "/outage.json");
  mailsim::run_result r = scenario.run({.seed = 1, .until_ms = 10 * 60 * 1000});

  CHECK_FALSE(r.passed());  // not delivered yet, queue not empty
  auto queue = r.queue("mail.shop.test");
  REQUIRE(queue.size() == 1);
  CHECK(queue[0].sender == "orders@shop.test");
  REQUIRE(queue[0].recipients.size() == 1);
  CHECK(queue[0].recipients[0].status == "deferred");
  CHECK(queue[0].recipients[0].last_reply.find("421") != std::string::npos);
  CHECK(r.mailbox_of("bob@example.org")->messages.empty());
}

TEST_CASE("a scenario can be written inline and watched event by event") {
  auto scenario = mailsim::scenario::from_json(R"({
    "scenario": "inline",
    "title": "a message to an unknown user bounces",
    "dns": ["example.org MX 10 mx.example.org"],
    "hosts": {
      "mail.shop.test": { "ip": "192.0.2.25", "local_domains": ["shop.test"],
                          "mailboxes": { "orders@shop.test": { "password": "pw" } }, "submission": true },
      "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"] }
    },
    "timeline": [
      { "at": "1s", "send": { "from": "orders@shop.test", "to": ["nobody@example.org"], "subject": "Hi" } }
    ],
    "expect": [ { "bounced": { "recipient": "nobody@example.org" } } ]
  })");
  std::vector<std::string> replies;
  auto r = scenario.run({.record_trace = false, .on_event = [&](const mailsim::event& e) {
                           if (e.name == "smtp.reply" && e.field("code") == "550") replies.push_back(e.line);
                         }});
  CHECK(r.passed());
  CHECK(r.events().empty());
  CHECK_FALSE(replies.empty());
  // Same scenario, same seed: the same trace, byte for byte.
  CHECK(scenario.run().trace_jsonl() == scenario.run().trace_jsonl());
}

TEST_CASE("a broken scenario is one clear error") {
  CHECK_THROWS_WITH(mailsim::scenario::from_json(R"({"scenario": "x", "title": "broken", "hosts": 3})", "broken.json"),
                    Catch::Contains("broken.json: /hosts"));
}
