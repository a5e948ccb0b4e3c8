// tests/sim/scenario_run/campaign_run_test.cpp - campaigns through the real
// world: the analytics agree with counts taken from the recorded trace, the
// generated list follows the seed, templates are filled per recipient, and
// pacing spreads the submissions.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "sim/core/trace_recorder.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

using namespace sim::scenario;

namespace {

struct campaign_recorded {
  run_result result;
  std::vector<sim::event> events;
};

campaign_recorded run_campaign(const scenario& s, run_options options = {}) {
  sim::recording_trace tr;
  auto result = run_scenario(s, options, tr);
  return {std::move(result), tr.events()};
}

// What a reader of the trace counts for campaign `id`, by hand.
struct hand_count {
  std::set<std::string> rcpts, message_ids;
  std::uint64_t delivered = 0, hard = 0, soft = 0, deferrals = 0;
  std::map<std::string, std::uint64_t> sent_per_domain;
};

hand_count count_by_hand(const std::vector<sim::event>& events, const std::string& id) {
  hand_count c;
  for (const auto& e : events) {
    std::string name = e["event"];
    if (name == "mua.compose" && e["message"] == id) {
      c.message_ids.insert(e["message_id"].get<std::string>());
      for (const auto& to : e["to"]) {
        std::string a = to;
        c.rcpts.insert(a);
        ++c.sent_per_domain[a.substr(a.find('@') + 1)];
      }
    } else if (name == "lda.deliver" && c.message_ids.count(e["message_id"].get<std::string>())) {
      ++c.delivered;
    } else if (name == "queue.bounce" && c.rcpts.count(e["rcpt"].get<std::string>())) {
      ++(e["status"].get<std::string>().starts_with("5") ? c.hard : c.soft);
    } else if (name == "queue.defer" && c.rcpts.count(e["rcpt"].get<std::string>())) {
      ++c.deferrals;
    }
  }
  return c;
}

const char* small_text = R"({
  "scenario": "small-campaign",
  "title": "T",
  "hosts": {
    "mail.shop.test": {"ip": "192.0.2.25", "local_domains": ["shop.test"],
                       "mailboxes": {"news@shop.test": {"password": "pw"}}, "submission": true},
    "mx.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"],
                       "mailboxes": ["anna.berg@example.org", "bob@example.org", "carl@example.org"]}
  },
  "dns": ["example.org MX 10 mx.example.org"],
  "timeline": [
    {"at": "1s", "campaign": {"id": "hello", "from": "news@shop.test", "subject": "Hello {{name}}",
                              "template": "Dear {{name}}, this is for {{email}}.\n", "rate": "1/10s",
                              "recipients": ["anna.berg@example.org", "bob@example.org", "carl@example.org"]}}
  ]
})";

}  // namespace

TEST_CASE("campaign run: the analytics agree with the trace of the starter scenario") {
  auto s = load(MAILSIM_SOURCE_DIR "/scenarios/campaign-stale-list.json");
  auto r = run_campaign(s);
  REQUIRE(r.result.campaigns.size() == 1);
  const auto& got = r.result.campaigns[0];
  auto want = count_by_hand(r.events, "spring");
  CHECK(got.total.sent == want.rcpts.size());
  CHECK(got.total.delivered() == want.delivered);
  CHECK(got.total.bounced_hard == want.hard);
  CHECK(got.total.bounced_soft == want.soft);
  CHECK(got.total.deferrals == want.deferrals);
  CHECK(got.total.sent == got.total.delivered() + got.total.bounced() + got.total.queued + got.total.rejected);
  for (const auto& d : got.domains) CHECK(d.sent == want.sent_per_domain[d.domain]);
  CHECK(got.total.bounced_hard == 10);  // 5% of 200 unknown
  CHECK(got.total.bounced_soft == 5);   // 2.5% of 200 full
}

TEST_CASE("campaign run: the generated list follows the seed") {
  auto s = load(MAILSIM_SOURCE_DIR "/scenarios/campaign-stale-list.json");
  auto rcpts = [&](std::uint64_t seed) {
    run_options o;
    o.seed = seed;
    return count_by_hand(run_campaign(s, o).events, "spring").rcpts;
  };
  auto a = rcpts(7), b = rcpts(7), c = rcpts(8);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a.size() == 200);
  CHECK(c.size() == 200);
}

TEST_CASE("campaign run: a template is filled per recipient, one message each, paced") {
  auto s = load_from_string(small_text, "small.json", ".");
  run_options o;
  o.keep_mailboxes = true;
  auto r = run_campaign(s, o);
  REQUIRE(r.result.deliveries.size() == 3);
  std::map<std::string, std::string> by_box;
  for (const auto& d : r.result.deliveries) by_box[d.mailbox] = d.raw;
  CHECK(by_box["anna.berg@example.org"].find("Subject: Hello Anna Berg") != std::string::npos);
  CHECK(by_box["anna.berg@example.org"].find("Dear Anna Berg, this is for anna.berg@example.org.") != std::string::npos);
  CHECK(by_box["carl@example.org"].find("Dear Carl,") != std::string::npos);
  std::vector<std::int64_t> composed;
  for (const auto& e : r.events)
    if (e["event"] == "mua.compose") composed.push_back(e["t"].get<std::int64_t>());
  CHECK(composed == std::vector<std::int64_t>{1000, 11000, 21000});
  CHECK(r.result.campaigns[0].total.inbox == 3);
}
