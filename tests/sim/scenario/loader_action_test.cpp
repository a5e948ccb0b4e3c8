// tests/sim/scenario/loader_action_test.cpp - one timeline action or an
// expect array read on its own (live mode's API): the same rules and
// messages as in a file, the pointer within the value given.
#include <catch2/catch.hpp>

#include "sim/scenario/loader.hpp"

using namespace sim::scenario;

namespace {

const scenario& world_spec() {
  static const scenario s = load_from_string(R"({
    "scenario": "t", "title": "T",
    "hosts": {
      "mail.sender.test": {"ip": "192.0.2.25", "local_domains": ["sender.test"],
                           "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true},
      "mx1.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"]}
    }
  })", "x.json");
  return s;
}

std::string action_error(std::string_view key, const json& value) {
  try {
    load_action(key, value, world_spec(), "request body");
  } catch (const load_error& e) {
    return e.what();
  }
  return "(read)";
}

}  // namespace

TEST_CASE("An action on its own is read as in a timeline") {
  auto f = load_action("fault", json::parse(R"({"host": "mx1.example.org", "kind": "reply", "phase": "rcpt", "code": 451})"),
                       world_spec(), "request body");
  const auto& fault = std::get<host_fault>(f);
  CHECK(fault.host == "mx1.example.org");
  CHECK(fault.code == 451);
  CHECK(fault.as_written["code"] == 451);
  auto d = load_action("fault", json::parse(R"({"dns": "example.org", "rcode": "SERVFAIL"})"), world_spec(), "b");
  CHECK(std::get<dns_fault>(d).name == "example.org");
  auto h = load_action("heal", json::parse(R"({"host": "mx1.example.org"})"), world_spec(), "b");
  CHECK(std::get<heal_action>(h).name == "mx1.example.org");
  auto s = load_action("send", json::parse(R"({"from": "alice@sender.test", "to": ["bob@example.org"], "subject": "Hi"})"),
                       world_spec(), "b");
  CHECK(std::get<send_action>(s).subject == "Hi");
  CHECK_FALSE(std::get<send_action>(s).id.has_value());
}

TEST_CASE("A reset at accepted comes after the reply to the final dot") {
  auto f = load_action("fault", json::parse(R"({"host": "mx1.example.org", "kind": "reset", "phase": "accepted"})"),
                       world_spec(), "b");
  const auto& fault = std::get<host_fault>(f);
  CHECK(fault.kind == fault_kind::reset);
  CHECK(fault.phase == smtp_phase::dot);
  CHECK(fault.after_reply);
  auto before = load_action("fault", json::parse(R"({"host": "mx1.example.org", "kind": "reset", "phase": "dot"})"),
                            world_spec(), "b");
  CHECK_FALSE(std::get<host_fault>(before).after_reply);
  // Only a reset takes it: a reply or a slow server at "accepted" means nothing.
  CHECK(action_error("fault", json::parse(R"({"host": "mx1.example.org", "kind": "reply", "phase": "accepted", "code": 451})")) ==
        "request body: /phase: \"accepted\" is not a phase (connect, ehlo, mail, rcpt, data, dot, quit)");
  CHECK(action_error("fault", json::parse(R"({"host": "mx1.example.org", "kind": "reset", "phase": "later"})")) ==
        "request body: /phase: \"later\" is not a phase (connect, ehlo, mail, rcpt, data, dot, accepted, quit)");
}

TEST_CASE("A wrong action on its own names the pointer within it") {
  CHECK(action_error("fault", json::parse(R"({"host": "mx1.example.org", "kind": "reply", "phase": "rcpt", "code": "soon"})")) ==
        "request body: /code: expected a non-negative integer, got a string");
  CHECK(action_error("fault", json::parse(R"({"host": "mx1.example.org", "kind": "explode"})")).starts_with(
      "request body: /kind: \"explode\" is not a fault kind"));
  CHECK(action_error("send", json::parse(R"({"from": "alice@sender.test", "to": []})")) ==
        "request body: /to: a message needs at least one recipient");
  CHECK(action_error("heal", json::parse(R"({})")) ==
        "request body: top level: expected exactly one of \"host\" and \"dns\"");
  CHECK(action_error("fault", json::parse(R"([1])")).starts_with("request body: top level: "));
  CHECK(action_error("explode", json::object()).starts_with("request body: top level: \"explode\" is not a timeline action"));
}

TEST_CASE("An expect array on its own is read against the scenario") {
  auto list = load_expectations(json::parse(R"([{"delivered": {"to": "bob@example.org"}}, {"queue_empty": true}])"),
                                world_spec(), "request body");
  REQUIRE(list.size() == 2);
  CHECK(list[1].index == 1);
  try {
    load_expectations(json::parse(R"([{"queue_empty": true}, {"delivered": {"to": "nobody@nowhere.test"}}])"), world_spec(),
                      "request body");
    FAIL("an unknown mailbox was accepted");
  } catch (const load_error& e) {
    CHECK(std::string(e.what()).starts_with("request body: /1/delivered/to: "));
  }
}
