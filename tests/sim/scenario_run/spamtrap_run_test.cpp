// Spam traps to a DNSBL listing to a delisting: how a sending IP gets
// blacklisted (host keys `spamtraps` and `dnsbl_zone`), read from whole runs.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace {

std::vector<sim::event> run_events(const std::string& json) {
  sim::recording_trace tr;
  sim::scenario::run_scenario(sim::scenario::load_from_string(json, "spamtrap.json"), {}, tr);
  return tr.events();
}

std::vector<sim::event> named(const std::vector<sim::event>& events, std::string_view name) {
  std::vector<sim::event> out;
  for (const auto& e : events)
    if (e["event"] == name) out.push_back(e);
  return out;
}

// One message to a trap at 1s; messages to a receiver that consults the
// list at `later` (each "at" in the array).
std::string trap_world(const std::string& zone, const std::vector<std::string>& later) {
  std::string timeline = R"({ "at": "1s", "send": { "id": "trap", "from": "alice@sender.test",
                                                    "to": ["old-list@example.org"], "subject": "News" } })";
  for (std::size_t i = 0; i < later.size(); ++i)
    timeline += R"(, { "at": ")" + later[i] + R"(", "send": { "id": "m)" + std::to_string(i) +
                R"(", "from": "alice@sender.test", "to": ["bob@other.org"], "subject": "News" } })";
  return R"({
  "scenario": "spamtrap", "title": "spam trap",
  "dns": ["example.org MX 10 mx.example.org", "other.org MX 10 mx.other.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true,
                          "queue": { "lifetime": "1h" } },
    "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "spamtraps": ["old-list@example.org"] },
    "mx.other.org": { "ip": "198.51.100.20", "local_domains": ["other.org"], "mailboxes": ["bob@other.org"],
                      "policy": { "dnsbl": ["bl.example"] }, "dns_cache": false },
    "dnsbl.example": { "ip": "203.0.113.5", "dnsbl_zone": )" + zone + R"( }
  },
  "timeline": [ )" + timeline + R"( ]})";
}

}  // namespace

TEST_CASE("spam trap: a hit lists the sending IP after the delay, receivers refuse it, then it is delisted") {
  auto events = run_events(trap_world(R"({"zone": "bl.example", "delay": "10m", "delist_after": "2h"})", {"5m", "20m", "3h"}));
  auto hits = named(events, "spamtrap.hit");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["host"] == "mx.example.org");
  CHECK(hits[0]["ip"] == "192.0.2.25");
  CHECK(hits[0]["rcpt"] == "old-list@example.org");
  auto listed = named(events, "dnsbl.list");
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["host"] == "dnsbl.example");
  CHECK(listed[0]["zone"] == "bl.example");
  CHECK(listed[0]["ip"] == "192.0.2.25");
  const std::int64_t listed_at = listed[0]["t"].get<std::int64_t>();
  CHECK(listed_at > 10 * 60 * 1000);
  CHECK(listed_at < 11 * 60 * 1000);
  REQUIRE(named(events, "dnsbl.delist").size() == 1);
  CHECK(named(events, "dnsbl.delist")[0]["t"].get<std::int64_t>() == listed_at + 2 * 3600 * 1000);
  // The trap got the mail (traps accept silently).
  std::size_t trap_filed = 0, bob_filed = 0;
  for (const auto& e : named(events, "lda.deliver")) {
    trap_filed += e["mailbox"] == "old-list@example.org" ? 1 : 0;
    bob_filed += e["mailbox"] == "bob@other.org" ? 1 : 0;
  }
  CHECK(trap_filed == 1);
  // Before the listing (5m) and after the delisting (3h): delivered; at 20m: refused.
  CHECK(bob_filed == 2);
  std::size_t refused = 0;
  for (const auto& e : named(events, "policy.check"))
    if (e["host"] == "mx.other.org" && e["check"] == "dnsbl" && e["result"] == "listed") ++refused;
  CHECK(refused == 1);
  auto bounces = named(events, "queue.bounce");
  REQUIRE(bounces.size() == 1);
  CHECK(bounces[0]["status"] == "5.7.1");
  // Each listing change is a DNS change too.
  CHECK(named(events, "dns.change").size() == 2);
}

TEST_CASE("spam trap: below the threshold nothing is listed") {
  auto events = run_events(trap_world(R"({"zone": "bl.example", "threshold": 2})", {"20m"}));
  CHECK(named(events, "spamtrap.hit").size() == 1);
  CHECK(named(events, "dnsbl.report").empty());
  CHECK(named(events, "dnsbl.list").empty());
  CHECK(named(events, "queue.bounce").empty());
}

TEST_CASE("spam trap: a zone given by name alone uses the documented defaults") {
  auto events = run_events(trap_world(R"("bl.example")", {}));
  auto report = named(events, "dnsbl.report");
  REQUIRE(report.size() == 1);
  auto listed = named(events, "dnsbl.list");
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["t"].get<std::int64_t>() - report[0]["t"].get<std::int64_t>() == 10 * 60 * 1000);
  CHECK(listed[0]["until"].get<std::int64_t>() - listed[0]["t"].get<std::int64_t>() == 24 * 3600 * 1000);
}
