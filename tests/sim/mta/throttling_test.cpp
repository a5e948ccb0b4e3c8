// Throttling at both ends: a receiver's rate limits (policy.rate_limit)
// met by a sender that backs off a server answering 421, reuses its
// sessions and caps its concurrency (delivery).  Read from whole scenario runs.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace {

using sim::scenario::load_from_string;

std::vector<sim::event> run_events(const std::string& json) {
  sim::recording_trace tr;
  sim::scenario::run_scenario(load_from_string(json, "throttling.json"), {}, tr);
  return tr.events();
}

std::vector<sim::event> throttle_events(const std::vector<sim::event>& events, std::string_view name, std::string_view host) {
  std::vector<sim::event> out;
  for (const auto& e : events)
    if (e["event"] == name && e["host"] == host) out.push_back(e);
  return out;
}

// `sends` messages from alice to bob, one a second from 1s (or all at 1s).
std::string world(const std::string& rate_limit, const std::string& delivery, int sends, bool together) {
  std::string timeline;
  for (int i = 0; i < sends; ++i)
    timeline += (i ? ", " : "") + std::string(R"({ "at": ")") + std::to_string(together ? 1 : i + 1) +
                R"(s", "send": { "id": "m)" + std::to_string(i) +
                R"(", "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "S" } })";
  return R"({
  "scenario": "rate-limit", "title": "rate limit",
  "dns": ["example.org MX 10 mx.example.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true,
                          "delivery": )" + delivery + R"( },
    "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                        "policy": { "rate_limit": )" + rate_limit + R"( } }
  },
  "timeline": [ )" + timeline + R"( ]})";
}

}  // namespace

TEST_CASE("rate limit: a client over its messages per hour hears 421 4.7.28 and the throttled sender waits") {
  auto events = run_events(world(R"({"per": "client_ip", "messages": 2, "window": "1h"})",
                                 R"({"throttle_backoff": "10m"})", 4, false));
  auto checks = throttle_events(events, "policy.check", "mx.example.org");
  int deferred = 0;
  for (const auto& e : checks)
    if (e["check"] == "rate_limit" && e["result"] == "defer") ++deferred;
  CHECK(deferred >= 1);
  auto throttles = throttle_events(events, "mx.throttle", "mail.sender.test");
  REQUIRE(throttles.size() >= 1);
  CHECK(throttles[0]["peer"] == "mx.example.org");
  CHECK(throttles[0]["reason"].get<std::string>().rfind(
            "delivery temporarily suspended: host mx.example.org[198.51.100.10] said: 421 4.7.28 Rate limit exceeded", 0) == 0);
  // The fourth message, due while the server is throttled, is deferred
  // without a connection, with the throttle's reason.
  bool suspended = false;
  for (const auto& e : throttle_events(events, "queue.defer", "mail.sender.test"))
    suspended = suspended || e["reason"].get<std::string>().rfind("delivery temporarily suspended", 0) == 0;
  CHECK(suspended);
  // Everything arrives once the hour has passed.
  CHECK(throttle_events(events, "lda.deliver", "mx.example.org").size() == 4);
  CHECK(throttle_events(events, "queue.bounce", "mail.sender.test").empty());
}

TEST_CASE("rate limit: without throttle_backoff every attempt connects again") {
  auto events = run_events(world(R"({"messages": 2, "window": "1h"})", "{}", 4, false));
  CHECK(throttle_events(events, "mx.throttle", "mail.sender.test").empty());
  for (const auto& e : throttle_events(events, "queue.defer", "mail.sender.test"))
    CHECK(e["reason"].get<std::string>().find("421 4.7.28") != std::string::npos);
  CHECK(throttle_events(events, "lda.deliver", "mx.example.org").size() == 4);
}

TEST_CASE("rate limit: a second simultaneous connection from one client IP is refused with 421 4.7.0") {
  auto events = run_events(world(R"({"connections": 1})", "{}", 2, true));
  bool refused = false;
  for (const auto& e : throttle_events(events, "policy.check", "mx.example.org"))
    refused = refused || (e["check"] == "rate_limit" && e["result"] == "defer");
  CHECK(refused);
  bool greeting_421 = false;
  for (const auto& e : throttle_events(events, "smtp.reply", "mx.example.org"))
    greeting_421 = greeting_421 || (e["code"] == 421 && e["enhanced"] == "4.7.0");
  CHECK(greeting_421);
  CHECK(throttle_events(events, "lda.deliver", "mx.example.org").size() == 2);
}

TEST_CASE("rate limit: a sender domain over its limit hears 450 and a trusted client is not limited") {
  auto events = run_events(world(R"({"per": "sender_domain", "messages": 1, "window": "30m"})", "{}", 2, false));
  bool domain_450 = false;
  for (const auto& e : throttle_events(events, "queue.defer", "mail.sender.test"))
    domain_450 = domain_450 || e["reason"].get<std::string>().find("450 4.7.28 Rate limit exceeded for domain sender.test") !=
                                   std::string::npos;
  CHECK(domain_450);
  CHECK(throttle_events(events, "lda.deliver", "mx.example.org").size() == 2);
  // alice's submission to her own server (authenticated) was never limited:
  // the limit is on mx.example.org only.
  for (const auto& e : throttle_events(events, "policy.check", "mail.sender.test")) CHECK(e["check"] != "rate_limit");
}

namespace {
std::size_t connections_to_mx(const std::vector<sim::event>& events) {
  std::size_t n = 0;
  for (const auto& e : throttle_events(events, "net.connect", "mail.sender.test")) n += e["peer"] == "mx.example.org" ? 1 : 0;
  return n;
}
}  // namespace

TEST_CASE("connection reuse: messages a second apart share one session while it is cached") {
  auto events = run_events(world("[]", R"({"connection_cache_time": "5s"})", 3, false));
  CHECK(connections_to_mx(events) == 1);
  auto reuses = throttle_events(events, "mx.reuse", "mail.sender.test");
  REQUIRE(reuses.size() == 2);
  CHECK(reuses[0]["peer"] == "mx.example.org");
  CHECK(reuses[0]["uses"] == 1);
  CHECK(reuses[1]["uses"] == 2);
  CHECK(throttle_events(events, "lda.deliver", "mx.example.org").size() == 3);
  // The cached session ends with QUIT once its time is up.
  std::size_t quits = 0;
  for (const auto& e : throttle_events(events, "smtp.command", "mail.sender.test")) quits += e["line"] == "QUIT" ? 1 : 0;
  CHECK(quits == 1);
}

TEST_CASE("connection reuse: a reuse limit of 1 and no cache both open a session per message") {
  CHECK(connections_to_mx(run_events(world("[]", R"({"connection_cache_time": "5s", "connection_reuse_limit": 1})",
                                           3, false))) == 3);
  CHECK(connections_to_mx(run_events(world("[]", "{}", 3, false))) == 3);
}

TEST_CASE("concurrency: a sender limited to one session never meets the receiver's connection limit") {
  auto events = run_events(world(R"({"connections": 1})", R"({"concurrency": 1, "connection_cache_time": "2s"})", 3,
                                 true));
  for (const auto& e : throttle_events(events, "policy.check", "mx.example.org")) CHECK(e["result"] != "defer");
  CHECK(connections_to_mx(events) == 1);
  CHECK(throttle_events(events, "mx.reuse", "mail.sender.test").size() == 2);
  CHECK(throttle_events(events, "lda.deliver", "mx.example.org").size() == 3);
  CHECK(throttle_events(events, "queue.defer", "mail.sender.test").empty());
}
