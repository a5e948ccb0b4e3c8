// tests/sim/scenario/loader_external_test.cpp - hosts that are real programs (`"external": true`).
#include <catch2/catch.hpp>

#include "sim/scenario/loader.hpp"
#include "tests/sim/scenario/load_error.hpp"

using namespace sim::scenario;

namespace {

const char* external_base = R"({
  "scenario": "t",
  "title": "T",
  "hosts": {
    "pc.sender.test": {"ip": "192.0.2.50"},
    "postfix.sender.test": {"ip": "192.0.2.25", "external": true},
    "mx1.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"]}
  },
  "timeline": [
    {"at": "1s", "send": {"id": "m1", "from": "alice@sender.test", "to": ["bob@example.org"],
                          "via": "postfix.sender.test", "port": 25, "client": "pc.sender.test"}}
  ],
  "expect": [ {"delivered": {"to": "bob@example.org"}} ]
})";

std::string with_external(const std::string& pointer, const json& value) { return testing::error_with(external_base, pointer, value); }

}  // namespace

TEST_CASE("an external host loads with its address and runs no agent") {
  auto s = load_from_string(external_base, "x.json", ".");
  const host* h = s.find_host("postfix.sender.test");
  REQUIRE(h);
  CHECK(h->external);
  CHECK(h->ip == "192.0.2.25");
  CHECK(h->publish);
  CHECK_FALSE(h->is_mta());
  CHECK(h->postmaster.empty());
  CHECK_FALSE(s.find_host("mx1.example.org")->external);
  // A submission through the external host (the MTA under test) is allowed.
  const auto& send = std::get<send_action>(s.timeline.front().what);
  CHECK(send.via == "postfix.sender.test");
}

TEST_CASE("an external host takes only its ip and the publish and external keys") {
  CHECK(with_external("/hosts/postfix.sender.test/local_domains", json::array({"sender.test"})) ==
        R"(x.json: /hosts/postfix.sender.test/local_domains: an external host runs no agent of mailsim: "local_domains" )"
        R"(belongs in its own configuration (an external host takes only ip, publish and external))");
  CHECK(with_external("/hosts/postfix.sender.test/queue", json::object({{"min_backoff", "5s"}})).find(
            "/hosts/postfix.sender.test/queue: an external host runs no agent") != std::string::npos);
  CHECK(with_external("/hosts/postfix.sender.test/publish", false) == "(loaded)");
  CHECK(with_external("/hosts/postfix.sender.test/external", "yes") ==
        "x.json: /hosts/postfix.sender.test/external: expected true or false, got a string");
  // Not external: a client machine of ours, which takes no submission.
  CHECK(with_external("/hosts/postfix.sender.test/external", false).find("/timeline/0/send/via: \"postfix.sender.test\" runs no MTA") !=
        std::string::npos);
}

TEST_CASE("faults and heals and client machines cannot be external hosts") {
  const std::string refused = R"("postfix.sender.test" is external (a real program): mailsim cannot inject faults into it or run programs on it)";
  CHECK(with_external("/timeline/1", json::parse(R"({"at": "2s", "fault": {"host": "postfix.sender.test", "kind": "refuse"}})")) ==
        "x.json: /timeline/1/fault/host: " + refused);
  CHECK(with_external("/timeline/1", json::parse(R"({"at": "2s", "heal": {"host": "postfix.sender.test"}})")) ==
        "x.json: /timeline/1/heal/host: " + refused);
  CHECK(with_external("/timeline/0/send/client", "postfix.sender.test") == "x.json: /timeline/0/send/client: " + refused);
  CHECK(with_external("/timeline/1", json::parse(R"({"at": "2s", "crash": "postfix.sender.test"})")).find("runs no MTA") !=
        std::string::npos);
}
