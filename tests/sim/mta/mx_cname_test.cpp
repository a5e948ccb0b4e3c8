// An MX whose exchange is an alias (RFC 2181 section 10.3 forbids it): the
// router follows the CNAME, as most MTAs do, and traces mx.cname.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

TEST_CASE("mx.cname: an exchange that is a CNAME is followed, and said") {
  const std::string doc = R"({
  "scenario": "mx-cname", "title": "MX to a CNAME",
  "dns": ["example.org MX 10 mail.example.org", "mail.example.org CNAME mx.example.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true },
    "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"] }
  },
  "timeline": [ { "at": "1s", "send": { "id": "m", "from": "alice@sender.test", "to": ["bob@example.org"] } } ],
  "expect": [ { "delivered": { "to": "bob@example.org", "via": ["mail.sender.test", "mx.example.org"] } } ]
})";
  sim::recording_trace tr;
  auto got = sim::scenario::run_scenario(sim::scenario::load_from_string(doc, "mx-cname.json"), {}, tr);
  CHECK(got.passed());
  std::vector<sim::event> warned;
  for (const auto& e : tr.events())
    if (e["event"] == "mx.cname") warned.push_back(e);
  REQUIRE(warned.size() == 1);
  CHECK(warned[0]["host"] == "mail.sender.test");
  CHECK(warned[0]["domain"] == "example.org");
  CHECK(warned[0]["exchange"] == "mail.example.org");
  CHECK(warned[0]["target"] == "mx.example.org");
  CHECK(warned[0].contains("queue_id"));
}
