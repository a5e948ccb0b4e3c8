// tests/sim/scenario/loader_reputation_test.cpp - a receiver's
// `policy.reputation`: true, false, every key read, each mistake with its pointer.
#include <catch2/catch.hpp>

#include "sim/scenario/loader.hpp"
#include "tests/sim/scenario/load_error.hpp"

using namespace sim::scenario;
using namespace std::chrono_literals;

namespace {

const char* reputation_base = R"({
  "scenario": "t",
  "title": "T",
  "hosts": {
    "mx.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                       "policy": {"reputation": {
                         "subjects": ["ip"],
                         "weights": {"unknown_user": 2, "spam_junk": 0.5, "spam_reject": 4, "trap_hit": 25,
                                     "complaint": 30},
                         "junk_at": 0.1, "throttle_at": 0.2, "block_at": 0.5, "min_volume": 20,
                         "half_life": "6h",
                         "throttle": {"messages": 3, "window": "30m", "code": 451, "enhanced": "4.7.500",
                                      "text": "Server busy, $key"},
                         "block": {"code": 554, "text": ["Blocked", "see postmaster"]}}}}
  }
})";

std::string with_reputation(const std::string& pointer, const json& value) {
  return testing::error_with(reputation_base, pointer, value);
}

}  // namespace

TEST_CASE("reputation keys: every key is read") {
  auto s = load_from_string(reputation_base, "x.json");
  REQUIRE(s.hosts.front().policy.reputation);
  const auto& r = *s.hosts.front().policy.reputation;
  CHECK(r.by_ip);
  CHECK_FALSE(r.by_domain);
  CHECK(r.weights.unknown_user == 2);
  CHECK(r.weights.spam_junk == 0.5);
  CHECK(r.weights.spam_reject == 4);
  CHECK(r.weights.trap_hit == 25);
  CHECK(r.weights.complaint == 30);
  CHECK(r.junk_at == 0.1);
  CHECK(r.throttle_at == 0.2);
  CHECK(r.block_at == 0.5);
  CHECK(r.min_volume == 20);
  CHECK(r.half_life == 6h);
  CHECK(r.throttle_messages == 3);
  CHECK(r.throttle_window == 30min);
  CHECK(r.throttle_reply.code == 451);
  CHECK(r.throttle_reply.enhanced == "4.7.500");
  CHECK(r.throttle_reply.lines == std::vector<std::string>{"Server busy, $key"});
  CHECK(r.block_reply.code == 554);
  CHECK(r.block_reply.enhanced == "5.7.1");
  CHECK(r.block_reply.lines.size() == 2);
}

TEST_CASE("reputation keys: true takes the defaults and false or absence turns it off") {
  json doc = json::parse(reputation_base);
  doc["hosts"]["mx.example.org"]["policy"]["reputation"] = true;
  auto on = load_from_string(doc.dump(), "x.json");
  REQUIRE(on.hosts.front().policy.reputation);
  CHECK(on.hosts.front().policy.reputation->junk_at == sim::policy::reputation_settings{}.junk_at);
  doc["hosts"]["mx.example.org"]["policy"]["reputation"] = false;
  CHECK_FALSE(load_from_string(doc.dump(), "x.json").hosts.front().policy.reputation);
  doc["hosts"]["mx.example.org"]["policy"].erase("reputation");
  CHECK_FALSE(load_from_string(doc.dump(), "x.json").hosts.front().policy.reputation);
}

TEST_CASE("reputation keys: each mistake is a load error with its pointer") {
  const std::string r = "/hosts/mx.example.org/policy/reputation";
  CHECK(with_reputation(r + "/throttle_at", 0.05) ==
        "x.json: " + r + "/throttle_at: thresholds out of order: junk_at 0.1 <= throttle_at 0.05 <= block_at 0.5 is "
                         "required");
  CHECK(with_reputation(r + "/block_at", 0.15) ==
        "x.json: " + r + "/block_at: thresholds out of order: junk_at 0.1 <= throttle_at 0.2 <= block_at 0.15 is "
                         "required");
  CHECK(with_reputation(r + "/junk_at", -1) ==
        "x.json: " + r + "/junk_at: a threshold is above 0 and at most 1000000, not -1");
  CHECK(with_reputation(r + "/weights/trap_hit", -2) ==
        "x.json: " + r + "/weights/trap_hit: a weight is between 0 and 1000000, not -2");
  CHECK(with_reputation(r + "/min_volume", 0) ==
        "x.json: " + r + "/min_volume: min_volume is between 1 and 1000000000, not 0");
  CHECK(with_reputation(r + "/half_life", "0s") == "x.json: " + r + "/half_life: must be longer than 0s");
  CHECK(with_reputation(r + "/throttle/window", "0s") == "x.json: " + r + "/throttle/window: must be longer than 0s");
  CHECK(with_reputation(r + "/junk_at", "high") == "x.json: " + r + "/junk_at: expected a number, got a string");
  CHECK(with_reputation(r + "/subjects", json::array({"ip", "sender"})) ==
        "x.json: " + r + "/subjects/1: \"sender\" is not a reputation subject (\"ip\" or \"domain\")");
  CHECK(with_reputation(r + "/subjects", json::array({"ip", "ip"})) == "x.json: " + r + "/subjects/1: \"ip\" is listed twice");
  CHECK(with_reputation(r + "/subjects", json::array()) ==
        "x.json: " + r + "/subjects: judges nothing: name \"ip\", \"domain\" or both");
  CHECK(with_reputation(r + "/throttle/code", 550).find(r + "/throttle/code: 550 is out of range (400 to 499)") !=
        std::string::npos);
  CHECK(with_reputation(r + "/block/code", 421).find(r + "/block/code: 421 is out of range (500 to 599)") !=
        std::string::npos);
  CHECK(with_reputation(r + "/quarantine_at", 1).find(r + "/quarantine_at: unknown key \"quarantine_at\"") !=
        std::string::npos);
  CHECK(with_reputation(r + "/weights/bounce", 1).find(r + "/weights/bounce: unknown key \"bounce\"") !=
        std::string::npos);
}
