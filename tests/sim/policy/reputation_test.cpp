// tests/sim/policy/reputation_test.cpp - a receiver's reputation of its senders:
// every transition, the throttle's allowance, recovery by decay and by good
// mail, min_volume, and the settings' validation.
#include <catch2/catch.hpp>

#include "sim/policy/reputation.hpp"

using namespace sim::policy;
using namespace std::chrono_literals;

namespace {
sim::time_point rep_at(sim::duration d) { return sim::time_point{d}; }

// Round numbers: thresholds 0.1 / 0.2 / 0.4, min_volume 10, half-life 1h.
reputation_settings simple() {
  reputation_settings s;
  s.junk_at = 0.1;
  s.throttle_at = 0.2;
  s.block_at = 0.4;
  s.min_volume = 10;
  s.half_life = 1h;
  s.throttle_messages = 2;
  s.throttle_window = 10min;
  return s;
}

constexpr auto ip = reputation_subject::ip;
constexpr auto domain = reputation_subject::domain;
}  // namespace

TEST_CASE("reputation: an unknown sender is accepted and good volume keeps it there") {
  reputation_tracker r(simple());
  std::vector<reputation_change> changes;
  CHECK(r.judge(ip, "192.0.2.1", "192.0.2.1", rep_at(0s), changes).state == reputation_state::accept);
  r.record_volume(ip, "192.0.2.1", 100, rep_at(0s), changes);
  CHECK(r.judge(ip, "192.0.2.1", "192.0.2.1", rep_at(1s), changes).state == reputation_state::accept);
  CHECK(changes.empty());
}

TEST_CASE("reputation: worsening goes accept to junk to throttle to block with one change each") {
  reputation_tracker r(simple());
  std::vector<reputation_change> changes;
  r.record_volume(ip, "192.0.2.1", 20, rep_at(0s), changes);
  r.record(ip, "192.0.2.1", 0, reputation_signal::unknown_user, 2, rep_at(0s), changes);  // 2/20 = 0.1
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].from == reputation_state::accept);
  CHECK(changes[0].to == reputation_state::junk);
  CHECK(changes[0].why == "unknown_user");
  CHECK(changes[0].score == Approx(0.1));
  r.record(ip, "192.0.2.1", 0, reputation_signal::spam_junk, 2, rep_at(0s), changes);  // 4/20 = 0.2
  REQUIRE(changes.size() == 2);
  CHECK(changes[1].to == reputation_state::throttle);
  r.record(ip, "192.0.2.1", 0, reputation_signal::trap_hit, 1, rep_at(0s), changes);  // 14/20
  REQUIRE(changes.size() == 3);
  CHECK(changes[2].from == reputation_state::throttle);
  CHECK(changes[2].to == reputation_state::block);
  CHECK(changes[2].why == "trap_hit");
  auto v = r.judge(ip, "192.0.2.1", "192.0.2.1", rep_at(0s), changes);
  CHECK(v.state == reputation_state::block);
  REQUIRE(v.refusal);
  CHECK(v.refusal->code == 550);
  CHECK(v.refusal->enhanced == "5.7.1");
  CHECK(v.refusal->text.find("IP address 192.0.2.1") != std::string::npos);
  CHECK(v.refusal->text.find("score 0.700") != std::string::npos);
}

TEST_CASE("reputation: a jump can skip states and the weights are the settings'") {
  auto s = simple();
  s.weights.complaint = 5;
  reputation_tracker r(s);
  std::vector<reputation_change> changes;
  r.record(domain, "shop.test", 0, reputation_signal::complaint, 1, rep_at(0s), changes);  // 5/10
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].subject == domain);
  CHECK(changes[0].from == reputation_state::accept);
  CHECK(changes[0].to == reputation_state::block);
  CHECK(r.state(ip, "shop.test") == reputation_state::accept);  // subjects are apart
}

TEST_CASE("reputation: min_volume is the divisor for a sender with little mail") {
  reputation_tracker r(simple());
  std::vector<reputation_change> changes;
  r.record(ip, "192.0.2.1", 3, reputation_signal::unknown_user, 1, rep_at(0s), changes);  // 1/max(3,10)
  CHECK(r.score(ip, "192.0.2.1") == Approx(0.1));
  CHECK(r.state(ip, "192.0.2.1") == reputation_state::junk);
  reputation_tracker big(simple());
  big.record(ip, "192.0.2.1", 30, reputation_signal::unknown_user, 1, rep_at(0s), changes);  // 1/30
  CHECK(big.state(ip, "192.0.2.1") == reputation_state::accept);
}

TEST_CASE("reputation: both sums halve every half-life so the score holds while volume lasts") {
  reputation_tracker r(simple());
  std::vector<reputation_change> changes;
  r.record(ip, "192.0.2.1", 40, reputation_signal::unknown_user, 8, rep_at(0s), changes);  // 8/40 = 0.2
  CHECK(r.state(ip, "192.0.2.1") == reputation_state::throttle);
  changes.clear();
  r.judge(ip, "192.0.2.1", "192.0.2.1", rep_at(1h), changes);  // 4/20: still 0.2
  CHECK(changes.empty());
  CHECK(r.score(ip, "192.0.2.1") == Approx(0.2));
  r.judge(ip, "192.0.2.1", "192.0.2.1", rep_at(3h), changes);  // 1/max(5, 10) = 0.1
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].to == reputation_state::junk);
  CHECK(changes[0].why == "decay");
  CHECK(changes[0].volume == Approx(5));
}

TEST_CASE("reputation: a blocked sender recovers step by step by waiting") {
  reputation_tracker r(simple());
  std::vector<reputation_change> changes;
  r.record(ip, "192.0.2.1", 10, reputation_signal::trap_hit, 1, rep_at(0s), changes);  // 10/10 = 1
  CHECK(r.state(ip, "192.0.2.1") == reputation_state::block);
  changes.clear();
  // 1 -> 0.25 after 2h (throttle), 0.125 after 3h (junk), 0.0625 after 4h (accept).
  for (auto h : {1h, 2h, 3h, 4h}) r.judge(ip, "192.0.2.1", "192.0.2.1", rep_at(h), changes);
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].from == reputation_state::block);
  CHECK(changes[0].to == reputation_state::throttle);
  CHECK(changes[1].to == reputation_state::junk);
  CHECK(changes[2].to == reputation_state::accept);
}

TEST_CASE("reputation: good mail dilutes the bad and moves a sender back") {
  reputation_tracker r(simple());
  std::vector<reputation_change> changes;
  r.record(domain, "shop.test", 10, reputation_signal::spam_junk, 2, rep_at(0s), changes);  // 0.2
  CHECK(r.state(domain, "shop.test") == reputation_state::throttle);
  r.record_volume(domain, "shop.test", 30, rep_at(0s), changes);  // 2/40 = 0.05
  CHECK(r.state(domain, "shop.test") == reputation_state::accept);
  REQUIRE(changes.size() == 2);
  CHECK(changes[1].why == "volume");
}

TEST_CASE("reputation: a throttled sender gets its allowance per window then the 421") {
  reputation_tracker r(simple());
  std::vector<reputation_change> changes;
  r.record(ip, "192.0.2.1", 100, reputation_signal::unknown_user, 25, rep_at(0s), changes);  // 0.25
  for (int i = 0; i < 2; ++i) {
    auto v = r.judge(ip, "192.0.2.1", "192.0.2.1", rep_at(1s), changes);
    CHECK(v.state == reputation_state::throttle);
    CHECK_FALSE(v.refusal);
    r.count_accepted(ip, "192.0.2.1", rep_at(1s));
  }
  auto v = r.judge(ip, "192.0.2.1", "192.0.2.1", rep_at(2s), changes);
  REQUIRE(v.refusal);
  CHECK(v.refusal->code == 421);
  CHECK(v.refusal->enhanced == "4.7.28");
  CHECK(v.refusal->text.find("[192.0.2.1]") == 0);
  CHECK(v.refusal->text.find("try again in 598 seconds") != std::string::npos);
  // The next window opens after 10 minutes.
  CHECK_FALSE(r.judge(ip, "192.0.2.1", "192.0.2.1", rep_at(10min + 1s), changes).refusal);
}

TEST_CASE("reputation: replies are the settings' templates") {
  auto s = simple();
  s.block_reply = {554, "5.7.1", {"$subject $key refused, score $score"}};
  reputation_tracker r(s);
  std::vector<reputation_change> changes;
  r.record(domain, "bad.test", 10, reputation_signal::trap_hit, 1, rep_at(0s), changes);
  auto v = r.judge(domain, "bad.test", "192.0.2.9", rep_at(0s), changes);
  REQUIRE(v.refusal);
  CHECK(v.refusal->code == 554);
  CHECK(v.refusal->text == "domain bad.test refused, score 1.000");
}

TEST_CASE("reputation: the defaults are in order and valid") {
  reputation_settings s;
  CHECK(validate_reputation(s).empty());
  CHECK(s.junk_at < s.throttle_at);
  CHECK(s.throttle_at < s.block_at);
  CHECK(s.throttle_reply.code == 421);
  CHECK(s.block_reply.code == 550);
}

TEST_CASE("reputation: settings out of order or negative are refused with their pointer") {
  auto s = simple();
  s.throttle_at = 0.05;
  auto errors = validate_reputation(s);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].pointer == "/throttle_at");
  CHECK(errors[0].message.find("out of order") != std::string::npos);
  s = simple();
  s.block_at = 0.15;
  REQUIRE(validate_reputation(s).size() == 1);
  CHECK(validate_reputation(s)[0].pointer == "/block_at");
  s = simple();
  s.weights.trap_hit = -1;
  REQUIRE(validate_reputation(s).size() == 1);
  CHECK(validate_reputation(s)[0].pointer == "/weights/trap_hit");
  s = simple();
  s.junk_at = -0.1;
  CHECK(validate_reputation(s)[0].pointer == "/junk_at");
  s = simple();
  s.min_volume = 0;
  CHECK(validate_reputation(s)[0].pointer == "/min_volume");
  s = simple();
  s.half_life = 0s;
  CHECK(validate_reputation(s)[0].pointer == "/half_life");
  s = simple();
  s.by_ip = s.by_domain = false;
  CHECK(validate_reputation(s)[0].pointer == "/subjects");
}
