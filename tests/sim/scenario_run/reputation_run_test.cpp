// A receiver's reputation of its senders (policy.reputation), read from
// whole runs: unknown users and traps move the sending IP and domain from
// accept to junk, throttle and block, with Junk filing, 421 4.7.28 and
// 550 5.7.1; time brings it back; a reader's move to Junk is a complaint.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace {

std::vector<sim::event> reputation_events(const std::string& json) {
  sim::recording_trace tr;
  sim::scenario::run_scenario(sim::scenario::load_from_string(json, "reputation.json"), {}, tr);
  return tr.events();
}

std::vector<sim::event> reputation_named(const std::vector<sim::event>& events, std::string_view name) {
  std::vector<sim::event> out;
  for (const auto& e : events)
    if (e["event"] == name) out.push_back(e);
  return out;
}

// Messages from alice@sender.test, one per entry: {"at", "to"}.
std::string reputation_world(const std::string& reputation, const std::vector<std::pair<std::string, std::string>>& sends,
                             const std::string& more_timeline = "") {
  std::string timeline;
  for (std::size_t i = 0; i < sends.size(); ++i)
    timeline += std::string(i ? ", " : "") + R"({ "at": ")" + sends[i].first + R"(", "send": { "id": "m)" +
                std::to_string(i) + R"(", "from": "alice@sender.test", "to": [")" + sends[i].second +
                R"("], "subject": "News" } })";
  return R"({
  "scenario": "reputation", "title": "reputation",
  "dns": ["example.org MX 10 mx.example.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true,
                          "queue": { "min_backoff": "10m", "max_backoff": "10m", "lifetime": "1d" } },
    "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "imap": true,
                        "mailboxes": {"bob@example.org": {"password": "pw"}}, "spamtraps": ["trap@example.org"],
                        "policy": { "reputation": )" + reputation + R"( } }
  },
  "timeline": [ )" + timeline + more_timeline + R"( ]})";
}

std::vector<std::pair<std::string, std::string>> ip_changes(const std::vector<sim::event>& events) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : reputation_named(events, "reputation.change"))
    if (e["subject"] == "ip") out.emplace_back(e["from"].get<std::string>(), e["to"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("reputation run: unknown users junk then throttle the sender and time lets it back") {
  const std::string settings = R"({ "min_volume": 4, "junk_at": 0.1, "throttle_at": 0.3, "block_at": 0.9,
                                    "half_life": "1h", "throttle": { "messages": 1, "window": "1h" } })";
  auto events = reputation_events(reputation_world(
      settings, {{"1s", "bob@example.org"}, {"10s", "nobody1@example.org"}, {"20s", "bob@example.org"},
                 {"30s", "nobody2@example.org"}, {"40s", "bob@example.org"}, {"50s", "bob@example.org"}}));
  using change = std::pair<std::string, std::string>;
  auto changes = ip_changes(events);
  REQUIRE(changes.size() >= 3);
  CHECK(changes[0] == change{"accept", "junk"});      // 1 unknown / min_volume 4
  CHECK(changes[1] == change{"junk", "throttle"});    // 2 unknown / 4
  CHECK(changes.back().second == "junk");             // decayed: the retry an hour later
  bool domain_judged = false;
  for (const auto& e : reputation_named(events, "reputation.change"))
    if (e["subject"] == "domain" && e["key"] == "sender.test") domain_judged = true;
  CHECK(domain_judged);
  // m0 to the inbox; m2 and m4 (throttle's allowance) to Junk, saying why.
  std::vector<std::string> folders;
  for (const auto& e : reputation_named(events, "lda.deliver")) {
    if (e["mailbox"] != "bob@example.org") continue;  // not the bounces of the unknown users
    folders.push_back(e.contains("folder") ? e["folder"].get<std::string>() : "INBOX");
    if (e.contains("reason") && folders.back() == "Junk")
      CHECK(e["reason"].get<std::string>().find("sender reputation: IP address 192.0.2.25") == 0);
  }
  REQUIRE(folders.size() == 4);
  CHECK(folders[0] == "INBOX");
  CHECK(folders[1] == "Junk");
  CHECK(folders[2] == "Junk");
  CHECK(folders[3] == "Junk");  // m5, let in after the decay, still junk
  // m5 heard the throttle's 421 first and was deferred.
  bool throttled = false;
  for (const auto& e : reputation_named(events, "smtp.reply"))
    if (e["code"] == 421 && e["enhanced"] == "4.7.28") throttled = true;
  CHECK(throttled);
  CHECK(reputation_named(events, "queue.defer").size() >= 1);
}

TEST_CASE("reputation run: a trap hit blocks the sender with 550 5.7.1 until the score decays") {
  auto events = reputation_events(reputation_world(
      R"({ "min_volume": 4, "half_life": "1h" })",
      {{"1s", "trap@example.org"}, {"1m", "bob@example.org"}, {"6h", "bob@example.org"}}));
  using change = std::pair<std::string, std::string>;
  auto changes = ip_changes(events);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0] == change{"accept", "block"});  // 10 / 4
  CHECK(changes[1] == change{"block", "accept"});  // six half-lives later
  for (const auto& e : reputation_named(events, "reputation.change"))
    if (e["subject"] == "ip" && e["to"] == "block") {
      CHECK(e["signal"] == "trap_hit");
      CHECK(e["key"] == "192.0.2.25");
      CHECK(e["host"] == "mx.example.org");
    }
  bool blocked = false;
  for (const auto& e : reputation_named(events, "smtp.reply"))
    if (e["code"] == 550 && e["enhanced"] == "5.7.1") blocked = true;
  CHECK(blocked);
  auto bounces = reputation_named(events, "queue.bounce");
  REQUIRE(bounces.size() == 1);
  CHECK(bounces[0]["status"] == "5.7.1");
  std::size_t to_bob = 0;
  for (const auto& e : reputation_named(events, "lda.deliver"))
    if (e["mailbox"] == "bob@example.org") ++to_bob;
  CHECK(to_bob == 1);  // the one at 6h
}

TEST_CASE("reputation run: a reader moving mail to Junk over IMAP is a complaint against its sender") {
  const std::string read = R"(, { "at": "5m", "fetch": { "id": "bob-reads", "user": "bob@example.org",
                                                        "protocol": "imap", "move_to": "Junk" } })";
  auto events = reputation_events(
      reputation_world(R"({ "min_volume": 100 })", {{"1s", "bob@example.org"}}, read));
  auto complaints = reputation_named(events, "reputation.complaint");
  REQUIRE(complaints.size() == 1);
  CHECK(complaints[0]["mailbox"] == "bob@example.org");
  CHECK(complaints[0]["ip"] == "192.0.2.25");
  CHECK(complaints[0]["domain"] == "sender.test");
  // 20 / 100 = 0.2: throttle for the IP and the domain.
  std::size_t moved = 0;
  for (const auto& e : reputation_named(events, "reputation.change")) {
    CHECK(e["signal"] == "complaint");
    CHECK(e["to"] == "throttle");
    ++moved;
  }
  CHECK(moved == 2);
}
