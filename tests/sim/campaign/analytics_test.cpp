// tests/sim/campaign/analytics_test.cpp - the analytics of hand-made event
// streams: each outcome counted once, per domain, with times and reasons.
#include <catch2/catch.hpp>

#include "sim/campaign/analytics.hpp"
#include "sim/campaign/stats_view.hpp"

using namespace sim::campaign;
using sim::event;

namespace {

struct feeder {
  analytics a{{"spring"}};
  std::uint64_t seq = 0;
  void operator()(std::int64_t t, const char* host, const char* name, event fields) {
    event e{{"seq", seq++}, {"t", t}, {"host", host}, {"agent", "x"}, {"event", name}};
    for (auto& [k, v] : fields.items()) e[k] = v;
    a.observe(sim::json_event_view(e));
  }
};

// One message of "spring" to three recipients at two domains, queued as q1
// on the submission host.
void compose(feeder& f) {
  f(1000, "client.invalid", "mua.compose",
    {{"message", "spring"}, {"from", "news@shop.test"},
     {"to", {"a@mail.example", "b@mail.example", "c@post.example"}}, {"message_id", "<1@x>"}});
  f(1100, "mail.shop.test", "queue.enqueue",
    {{"queue_id", "q1"}, {"message_id", "<1@x>"}, {"rcpts", {"a@mail.example", "b@mail.example", "c@post.example"}}});
}

const delivery_row& domain(const campaign_result& r, const std::string& name) {
  for (const auto& d : r.domains)
    if (d.domain == name) return d;
  FAIL("no row for " << name);
  return r.total;
}

// "r7@mail.example", built in place (g++ 12 warns, wrongly, about
// "r" + std::to_string(i): -Wstringop-overflow).
std::string reader(int i) {
  std::string a = "r";
  a += std::to_string(i);
  a += "@mail.example";
  return a;
}

}  // namespace

TEST_CASE("analytics: delivered, deferred, bounced hard and soft, per domain") {
  feeder f;
  compose(f);
  f(1200, "mail.shop.test", "queue.attempt", {{"queue_id", "q1"}, {"rcpt", "a@mail.example"}, {"attempt", 1}});
  f(1300, "mx.mail.example", "lda.deliver", {{"mailbox", "a@mail.example"}, {"message_id", "<1@x>"}});
  f(1300, "mail.shop.test", "queue.bounce",
    {{"queue_id", "q1"}, {"rcpt", "b@mail.example"}, {"status", "5.1.1"}, {"reason", "550 5.1.1 no such user"}});
  f(1300, "mail.shop.test", "queue.defer", {{"queue_id", "q1"}, {"rcpt", "c@post.example"}, {"reason", "452"}});
  f(2000, "mail.shop.test", "queue.attempt", {{"queue_id", "q1"}, {"rcpt", "c@post.example"}, {"attempt", 2}});
  f(2000, "mail.shop.test", "queue.defer", {{"queue_id", "q1"}, {"rcpt", "c@post.example"}, {"reason", "452"}});
  f(9000, "mail.shop.test", "queue.bounce",
    {{"queue_id", "q1"}, {"rcpt", "c@post.example"}, {"status", "4.2.2"}, {"reason", "mailbox full"}});
  // A later event about a settled recipient changes nothing.
  f(9100, "mx.mail.example", "lda.deliver", {{"mailbox", "a@mail.example"}, {"message_id", "<1@x>"}});
  auto results = f.a.results();
  REQUIRE(results.size() == 1);
  const auto& t = results[0].total;
  CHECK(t.sent == 3);
  CHECK(t.inbox == 1);
  CHECK(t.bounced_hard == 1);
  CHECK(t.bounced_soft == 1);
  CHECK(t.deferred == 1);
  CHECK(t.deferrals == 2);
  CHECK(t.retries == 1);
  CHECK(t.queued == 0);
  CHECK(t.time_to_delivery.count == 1);
  CHECK(t.time_to_delivery.max == 300);
  REQUIRE(t.bounce_reasons.size() == 2);
  CHECK(t.bounce_reasons[0].status == "4.2.2");  // equal counts: by status
  CHECK(t.bounce_reasons[1].sample == "550 5.1.1 no such user");
  CHECK(domain(results[0], "mail.example").sent == 2);
  CHECK(domain(results[0], "post.example").bounced_soft == 1);
  CHECK(*metric(t, "delivered_ratio") == Approx(1.0 / 3));
  CHECK(*metric(domain(results[0], "mail.example"), "bounced_hard_ratio") == Approx(0.5));
}

TEST_CASE("analytics: junk placement, refusals at submission, still queued") {
  feeder f;
  compose(f);
  f(1500, "mx.mail.example", "lda.deliver", {{"mailbox", "a@mail.example"}, {"message_id", "<1@x>"}, {"folder", "junk"}});
  auto t = f.a.results()[0].total;
  CHECK(t.junk == 1);
  CHECK(t.inbox == 0);
  CHECK(t.queued == 2);
  feeder g;
  g(1000, "client.invalid", "mua.compose",
    {{"message", "spring"}, {"to", {"a@mail.example", "b@mail.example"}}, {"message_id", "<2@x>"}});
  g(1001, "client.invalid", "mua.reject", {{"message", "spring"}, {"message_id", "<2@x>"}, {"what", "b@mail.example"}});
  g(1002, "client.invalid", "mua.reject", {{"message", "spring"}, {"message_id", "<2@x>"}, {"what", "session"}});
  auto r = g.a.results()[0].total;
  CHECK(r.rejected == 2);
  CHECK(r.queued == 0);
}

TEST_CASE("analytics: other messages and DSNs are not counted") {
  feeder f;
  f(1000, "client.invalid", "mua.compose", {{"message", "hello"}, {"to", {"a@mail.example"}}, {"message_id", "<9@x>"}});
  f(1100, "mx.mail.example", "lda.deliver", {{"mailbox", "a@mail.example"}, {"message_id", "<9@x>"}});
  compose(f);
  f(1300, "mail.shop.test", "queue.enqueue", {{"queue_id", "dsn1"}, {"message_id", "<dsn@x>"}});
  f(1400, "mail.shop.test", "lda.deliver", {{"mailbox", "news@shop.test"}, {"message_id", "<dsn@x>"}});
  auto t = f.a.results()[0].total;
  CHECK(t.sent == 3);
  CHECK(t.delivered() == 0);
}

TEST_CASE("analytics: percentiles by nearest rank") {
  feeder f;
  std::vector<std::string> to;
  for (int i = 1; i <= 100; ++i) to.push_back(reader(i));
  f(0, "c", "mua.compose", {{"message", "spring"}, {"to", to}, {"message_id", "<1@x>"}});
  for (int i = 1; i <= 100; ++i)
    f(i * 10, "mx", "lda.deliver", {{"mailbox", reader(i)}, {"message_id", "<1@x>"}});
  auto t = f.a.results()[0].total.time_to_delivery;
  CHECK(t.p50 == 500);
  CHECK(t.p90 == 900);
  CHECK(t.p99 == 990);
  CHECK(t.max == 1000);
  // The curve: every 5% by the same rank, from the fastest to the slowest.
  REQUIRE(t.quantiles.size() == 21);
  CHECK(t.quantiles.front() == 10);
  CHECK(t.quantiles[10] == 500);
  CHECK(t.quantiles[18] == 900);
  CHECK(t.quantiles.back() == 1000);
  auto json = to_json(f.a.results());
  CHECK(json["campaigns"][0]["total"]["time_to_delivery_ms"]["p90"] == 900);
  auto lines = table(f.a.results());
  REQUIRE(lines.size() >= 3);
  CHECK(lines[0] == "campaign spring: 100 sent, 100 delivered (100 inbox, 0 junk), 0 bounced (0 hard, 0 soft), "
                    "0 rejected, 0 still queued");
}

TEST_CASE("analytics: deliveries after a deferral are told apart for the report") {
  feeder f;
  compose(f);
  f(1200, "mail.shop.test", "queue.defer", {{"queue_id", "q1"}, {"rcpt", "a@mail.example"}, {"reason", "451"}});
  f(1200, "mail.shop.test", "queue.defer", {{"queue_id", "q1"}, {"rcpt", "b@mail.example"}, {"reason", "451"}});
  f(1300, "mx.mail.example", "lda.deliver", {{"mailbox", "a@mail.example"}, {"message_id", "<1@x>"}});
  f(1300, "mx.mail.example", "lda.deliver", {{"mailbox", "b@mail.example"}, {"message_id", "<1@x>"}, {"folder", "Junk"}});
  f(1300, "mx.post.example", "lda.deliver", {{"mailbox", "c@post.example"}, {"message_id", "<1@x>"}});
  auto t = f.a.results()[0].total;
  CHECK(t.inbox == 2);
  CHECK(t.junk == 1);
  CHECK(t.deferred == 2);
  CHECK(t.deferred_inbox == 1);
  CHECK(t.deferred_junk == 1);
  CHECK(domain(f.a.results()[0], "post.example").deferred_inbox == 0);
  // Not a metric of its own: --stats and the `stats` expectation are unchanged.
  CHECK_FALSE(metric(t, "deferred_inbox"));
  CHECK_FALSE(to_json(f.a.results())["campaigns"][0]["total"].contains("deferred_inbox"));
}

TEST_CASE("analytics: opens and complaints once per recipient, their ratios of delivered, the table's columns") {
  feeder f;
  compose(f);
  f(1300, "mx.mail.example", "lda.deliver", {{"mailbox", "a@mail.example"}, {"message_id", "<1@x>"}});
  f(1300, "mx.mail.example", "lda.deliver", {{"mailbox", "b@mail.example"}, {"message_id", "<1@x>"}});
  f(1400, "mx.post.example", "lda.deliver", {{"mailbox", "c@post.example"}, {"message_id", "<1@x>"}});
  auto reading = [&](const char* name, const char* user, const char* id) {
    f(5000, "readers.mail.example", name, {{"user", user}, {"message", "spring"}, {"message_id", id}});
  };
  reading("mua.open", "a@mail.example", "<1@x>");
  reading("mua.open", "A@mail.example", "<1@x>");  // the same reader again: counted once
  reading("mua.complaint", "a@mail.example", "<1@x>");
  reading("mua.open", "b@mail.example", "<1@x>");
  reading("mua.open", "z@mail.example", "<1@x>");   // not a recipient
  reading("mua.open", "c@post.example", "<9@x>");   // another message
  auto r = f.a.results()[0];
  CHECK(r.total.opens == 2);
  CHECK(r.total.complaints == 1);
  CHECK(domain(r, "mail.example").opens == 2);
  CHECK(domain(r, "post.example").opens == 0);
  CHECK(*metric(r.total, "opens") == 2);
  CHECK(*metric(r.total, "open_ratio") == Approx(2.0 / 3.0));
  CHECK(*metric(r.total, "complaint_ratio") == Approx(1.0 / 3.0));
  CHECK(*metric(domain(r, "post.example"), "complaint_ratio") == 0);
  delivery_row none;
  CHECK(*metric(none, "open_ratio") == 0);
  auto j = to_json(f.a.results());
  CHECK(j["campaigns"][0]["total"]["opens"] == 2);
  CHECK(j["campaigns"][0]["total"]["complaints"] == 1);
  // Without readers the table is as it was; with them it has two more columns.
  auto plain = table(f.a.results());
  CHECK(plain[0].find("opened") == std::string::npos);
  CHECK(plain[1].find("opens") == std::string::npos);
  f.a.set_engagement("spring");
  auto lines = table(f.a.results());
  CHECK(lines[0].ends_with("; 2 opened, 1 complaints"));
  CHECK(lines[1].ends_with("opens complaints"));
  CHECK(lines[4].ends_with("     2          1"));  // (all)
}

TEST_CASE("analytics: reputation periods per receiving host from reputation.change") {
  feeder f;
  compose(f);
  auto change = [&](std::int64_t t, const char* subject, const char* key, const char* from, const char* to) {
    f(t, "mx.mail.example", "reputation.change",
      {{"subject", subject}, {"key", key}, {"from", from}, {"to", to}, {"score", 0.1}, {"signal", "trap_hit"}});
  };
  change(60'000, "ip", "192.0.2.25", "accept", "junk");
  change(61'000, "domain", "shop.test", "accept", "junk");
  change(120'000, "ip", "192.0.2.25", "junk", "block");
  change(3'720'000, "ip", "192.0.2.25", "block", "accept");
  auto r = f.a.results().front();
  REQUIRE(r.reputation.size() == 3);
  CHECK(r.reputation[0].host == "mx.mail.example");
  CHECK(r.reputation[0].subject == "ip");
  CHECK(r.reputation[0].state == "junk");
  CHECK(r.reputation[0].from == 60'000);
  CHECK(r.reputation[0].to == 120'000);
  CHECK(r.reputation[1].key == "shop.test");
  CHECK_FALSE(r.reputation[1].to);  // still junk at the end
  CHECK(r.reputation[2].state == "block");
  CHECK(r.reputation[2].to == 3'720'000);
  auto j = to_json({r});
  REQUIRE(j["campaigns"][0]["reputation"].size() == 3);
  CHECK(j["campaigns"][0]["reputation"][1]["to_ms"].is_null());
  CHECK(j["campaigns"][0]["reputation"][2]["state"] == "block");
  auto lines = table({r}, 3);
  CHECK(std::find(lines.begin(), lines.end(),
                  "  reputation at mx.mail.example: IP 192.0.2.25 block from +00:02:00 to +01:02:00 (1h)") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(),
                  "  reputation at mx.mail.example: domain shop.test junk from +00:01:01 to the end of the run") !=
        lines.end());
}
