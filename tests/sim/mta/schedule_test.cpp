// When the MTA tries again (the backoff schedule, the queue lifetime) and
// which MX it tries first (equal preferences shuffled with the seed), read
// from whole scenario runs.
#include <catch2/catch.hpp>

#include <set>

#include "sim/core/trace_recorder.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace {

using sim::scenario::load_from_string;

// A run with its events recorded.
struct schedule_recorded : sim::scenario::run_result {
  std::vector<sim::event> events;
};

schedule_recorded run_schedule(const sim::scenario::scenario& s, const sim::scenario::run_options& options = {}) {
  sim::recording_trace tr;
  schedule_recorded out{sim::scenario::run_scenario(s, options, tr), {}};
  out.events = tr.events();
  return out;
}

std::vector<sim::event> named_events(const schedule_recorded& r, std::string_view name, std::string_view host) {
  std::vector<sim::event> out;
  for (const auto& e : r.events)
    if (e["event"] == name && e["host"] == host) out.push_back(e);
  return out;
}

// mx.example.org refuses connections until `heal`; the sender's queue has
// min_backoff 5m, max_backoff 20m and the given lifetime, under `profile`
// ("" = none named: the format's schedule).
std::string refusing_mx(const std::string& lifetime, const std::string& heal, const std::string& profile = "postfix") {
  std::string doc = R"({
  "scenario": "backoff", "title": "backoff", )" + (profile.empty() ? std::string() : "\"profile\": \"" + profile + "\",") + R"(
  "dns": ["example.org MX 10 mx.example.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true,
                          "queue": {"min_backoff": "5m", "max_backoff": "20m", "lifetime": ")" + lifetime + R"(",
                                    "delay_warning": "0s"} },
    "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"] }
  },
  "timeline": [
    { "at": "0s", "fault": { "host": "mx.example.org", "kind": "refuse" } },
    { "at": "1s", "send": { "id": "m", "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "S" } })";
  if (!heal.empty()) doc += R"(, { "at": ")" + heal + R"(", "heal": { "host": "mx.example.org" } })";
  return doc + "]}";
}

}  // namespace

TEST_CASE("schedule: postfix retries once the message is as old again (5m..20m here), at the next 300 s queue run") {
  auto got = run_schedule(load_from_string(refusing_mx("5d", "3h"), "backoff.json"));
  auto defers = named_events(got, "queue.defer", "mail.sender.test");
  auto attempts = named_events(got, "queue.attempt", "mail.sender.test");
  REQUIRE(defers.size() >= 6);
  // Sent at 1 s: ages 0, 5m, 10m, 20m give waits 5m (min_backoff), 5m, 10m,
  // 20m, then max_backoff; each due time is taken by a queue run (multiples of 300 s).
  const std::vector<std::int64_t> want_retry{300'000, 600'000, 1'200'000, 2'400'000, 3'600'000, 4'800'000};
  for (std::size_t i = 0; i < want_retry.size(); ++i) {
    INFO("deferral " << i + 1);
    CHECK(defers[i]["retry_at"].get<std::int64_t>() == want_retry[i]);
    // The next attempt starts when the deferral said (queue.attempt follows
    // the routing, whose lookups may take a DNS latency or two).
    REQUIRE(attempts.size() > i + 1);
    const std::int64_t started = attempts[i + 1]["t"].get<std::int64_t>(), due = defers[i]["retry_at"].get<std::int64_t>();
    CHECK(started >= due);
    CHECK(started < due + 100);
    CHECK(attempts[i + 1]["attempt"] == i + 2);
  }
  // Healed at 3h: the next attempt delivers and nothing more is deferred.
  CHECK(named_events(got, "queue.delivered", "mail.sender.test").size() == 1);
  CHECK(defers.back()["t"].get<std::int64_t>() < 3 * 3600'000);
  CHECK(got.passed());
}

TEST_CASE("schedule: past the lifetime, postfix's next failed attempt bounces with the last temporary status") {
  auto got = run_schedule(load_from_string(refusing_mx("1h", ""), "expire.json"));
  auto defers = named_events(got, "queue.defer", "mail.sender.test");
  REQUIRE(!defers.empty());
  auto enqueued = named_events(got, "queue.enqueue", "mail.sender.test");
  REQUIRE(!enqueued.empty());
  // The message arrived (its spool write began) just before queue.enqueue.
  const std::int64_t expiry = enqueued[0]["t"].get<std::int64_t>() + 3600'000;
  for (const auto& d : defers) CHECK(d["t"].get<std::int64_t>() < expiry);
  // qmgr notices the expiry after an attempt: the retry planned at 1h20m
  // (the one at 1h00m came just before the hour was over) bounces.
  std::int64_t last = defers.back()["retry_at"].get<std::int64_t>();
  CHECK(last == 4'800'000);
  auto bounces = named_events(got, "queue.bounce", "mail.sender.test");
  REQUIRE(bounces.size() == 1);
  CHECK(bounces[0]["rcpt"] == "bob@example.org");
  CHECK(bounces[0]["t"].get<std::int64_t>() >= last);
  CHECK(bounces[0]["t"].get<std::int64_t>() < last + 1'000);
  CHECK(bounces[0]["status"] == "4.4.1");
  CHECK(bounces[0]["expired"] == true);
  CHECK(bounces[0]["reason"] == "connect to mx.example.org[198.51.100.10]:25: Connection refused");
  CHECK(named_events(got, "bounce.create", "mail.sender.test").size() == 1);
}

TEST_CASE("schedule: without a profile, retries wait 5m, 10m, 20m, then max_backoff, each attempt at its retry_at") {
  auto got = run_schedule(load_from_string(refusing_mx("5d", "3h", ""), "backoff.json"));
  auto defers = named_events(got, "queue.defer", "mail.sender.test");
  auto attempts = named_events(got, "queue.attempt", "mail.sender.test");
  REQUIRE(defers.size() >= 6);
  const std::vector<std::int64_t> want_waits{5 * 60'000, 10 * 60'000, 20 * 60'000, 20 * 60'000, 20 * 60'000,
                                             20 * 60'000};
  for (std::size_t i = 0; i < want_waits.size(); ++i) {
    INFO("deferral " << i + 1);
    std::int64_t got_wait = defers[i]["retry_at"].get<std::int64_t>() - defers[i]["t"].get<std::int64_t>();
    CHECK(got_wait == want_waits[i]);
    REQUIRE(attempts.size() > i + 1);
    const std::int64_t started = attempts[i + 1]["t"].get<std::int64_t>(), due = defers[i]["retry_at"].get<std::int64_t>();
    CHECK(started >= due);
    CHECK(started < due + 100);
  }
  CHECK(named_events(got, "queue.delivered", "mail.sender.test").size() == 1);
  CHECK(got.passed());
}

TEST_CASE("schedule: without a profile, the last attempt falls at the end of the lifetime and bounces") {
  auto got = run_schedule(load_from_string(refusing_mx("1h", "", ""), "expire.json"));
  auto defers = named_events(got, "queue.defer", "mail.sender.test");
  REQUIRE(!defers.empty());
  auto enqueued = named_events(got, "queue.enqueue", "mail.sender.test");
  REQUIRE(!enqueued.empty());
  const std::int64_t expiry = enqueued[0]["t"].get<std::int64_t>() + 3600'000;
  for (const auto& d : defers) CHECK(d["retry_at"].get<std::int64_t>() <= expiry);
  std::int64_t last = defers.back()["retry_at"].get<std::int64_t>();
  CHECK(last > expiry - 1'000);
  CHECK(last - defers.back()["t"].get<std::int64_t>() < 20 * 60'000);  // cut short by the lifetime
  auto bounces = named_events(got, "queue.bounce", "mail.sender.test");
  REQUIRE(bounces.size() == 1);
  CHECK(bounces[0]["t"].get<std::int64_t>() >= last);
  CHECK(bounces[0]["t"].get<std::int64_t>() < last + 1'000);
  CHECK(bounces[0]["status"] == "4.4.1");
  CHECK(bounces[0]["expired"] == true);
}

TEST_CASE("schedule: opensmtpd expires the message at its lifetime itself, without another attempt") {
  auto got = run_schedule(load_from_string(refusing_mx("1h", "", "opensmtpd"), "expire.json"));
  auto enqueued = named_events(got, "queue.enqueue", "mail.sender.test");
  REQUIRE(!enqueued.empty());
  const std::int64_t arrival = enqueued[0]["t"].get<std::int64_t>();
  auto bounces = named_events(got, "queue.bounce", "mail.sender.test");
  REQUIRE(bounces.size() == 1);
  // Its last planned retry is cut to the expiry, which bounces with 5.4.7.
  CHECK(named_events(got, "queue.defer", "mail.sender.test").back()["retry_at"].get<std::int64_t>() <= arrival + 3600'000);
  CHECK(bounces[0]["t"].get<std::int64_t>() >= arrival + 3600'000 - 1'000);
  CHECK(bounces[0]["t"].get<std::int64_t>() < arrival + 3600'000 + 1'000);
  CHECK(bounces[0]["status"] == "5.4.7");
  CHECK(bounces[0]["reason"] == "Envelope expired");
  // No attempt at the expiry: every attempt's connection was refused before it.
  for (const auto& a : named_events(got, "queue.attempt", "mail.sender.test"))
    if (a["rcpt"] == "bob@example.org") CHECK(a["t"].get<std::int64_t>() < arrival + 3600'000 - 1'000);
}

namespace {

// Two MX hosts of equal preference; six messages; which is tried first.
std::vector<std::string> first_choices(std::uint64_t seed) {
  static const std::string doc = R"({
  "scenario": "shuffle", "title": "shuffle",
  "dns": ["example.org MX 10 mx1.example.org", "example.org MX 10 mx2.example.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true },
    "mx1.example.org": { "ip": "198.51.100.11", "relay_domains": ["example.org"], "smarthost": "store.example.org" },
    "mx2.example.org": { "ip": "198.51.100.12", "relay_domains": ["example.org"], "smarthost": "store.example.org" },
    "store.example.org": { "ip": "198.51.100.50", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                           "mynetworks": ["198.51.100.0/24"] }
  },
  "timeline": [
    { "at": "1s", "send": { "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "1" } },
    { "at": "2s", "send": { "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "2" } },
    { "at": "3s", "send": { "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "3" } },
    { "at": "4s", "send": { "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "4" } },
    { "at": "5s", "send": { "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "5" } },
    { "at": "6s", "send": { "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "6" } }
  ],
  "expect": [ { "trace": { "event": "lda.deliver", "mailbox": "bob@example.org", "count": 6 } } ]
})";
  sim::scenario::run_options options;
  options.seed = seed;
  auto got = run_schedule(load_from_string(doc, "shuffle.json"), options);
  REQUIRE(got.passed());
  std::vector<std::string> out;
  for (const auto& e : named_events(got, "mx.select", "mail.sender.test")) out.push_back(e["candidates"][0]["host"]);
  REQUIRE(out.size() == 6);
  return out;
}

}  // namespace

TEST_CASE("schedule: the order of equal-preference MX hosts depends on the seed, and only on it") {
  std::set<std::vector<std::string>> orders;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    auto got = first_choices(seed);
    CHECK(got == first_choices(seed));
    orders.insert(got);
  }
  // Six seeds, six shuffles of six choices each: they do not all agree.
  CHECK(orders.size() > 1);
}
