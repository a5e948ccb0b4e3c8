// tests/sim/campaign/engagement_test.cpp - the readers' decisions: the same
// stream gives the same decisions, shares come out as asked (per domain,
// with the "*" fallback), complaints only among opens, the delay stays in
// its range, and changing one domain's share leaves every other
// recipient's decision alone.
#include <catch2/catch.hpp>

#include "sim/campaign/engagement.hpp"
#include "sim/core/random.hpp"

using namespace sim::campaign;
using namespace std::chrono_literals;

namespace {

engagement_spec spec() {
  engagement_spec e;
  e.opens.fallback = 0.3;
  e.opens.domains = {{"mail.example", 0.6}};
  e.complaints.fallback = 0.1;
  e.after_low = 10min;
  e.after_high = 4h;
  return e;
}

std::vector<reader_decision> decide_all(const engagement_spec& e, const std::vector<std::string>& domains,
                                        std::uint64_t seed) {
  auto stream = sim::random_source(seed).stream("engagement/x");
  auto below = [&stream](std::uint64_t n) { return stream.below(n); };
  std::vector<reader_decision> out;
  for (const auto& d : domains) out.push_back(decide(e, d, below));
  return out;
}

std::vector<std::string> mixed(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(i % 2 ? "mail.example" : "post.example");
  return out;
}

bool same(const reader_decision& a, const reader_decision& b) {
  return a.opens == b.opens && a.complains == b.complains && a.after == b.after;
}

}  // namespace

TEST_CASE("engagement: the same seed gives the same decisions and another seed others") {
  auto domains = mixed(200);
  auto a = decide_all(spec(), domains, 7), b = decide_all(spec(), domains, 7), c = decide_all(spec(), domains, 8);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(same(a[i], b[i]));
    differ += !same(a[i], c[i]);
  }
  CHECK(differ > 100);
}

TEST_CASE("engagement: shares per domain with the fallback and complaints among opens") {
  auto domains = mixed(20000);
  auto got = decide_all(spec(), domains, 3);
  std::size_t mail = 0, post = 0, mail_open = 0, post_open = 0, complaints = 0, opens = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    bool is_mail = domains[i] == "mail.example";
    (is_mail ? mail : post)++;
    if (got[i].opens) (is_mail ? mail_open : post_open)++, ++opens;
    if (got[i].complains) {
      CHECK(got[i].opens);
      ++complaints;
    }
    CHECK(got[i].after >= 10min);
    CHECK(got[i].after <= 4h);
  }
  CHECK(static_cast<double>(mail_open) / static_cast<double>(mail) == Approx(0.6).margin(0.02));
  CHECK(static_cast<double>(post_open) / static_cast<double>(post) == Approx(0.3).margin(0.02));
  CHECK(static_cast<double>(complaints) / static_cast<double>(opens) == Approx(0.1).margin(0.02));
}

TEST_CASE("engagement: shares of 0 and 1, a fixed delay, and the domain compared without case") {
  engagement_spec e;
  e.opens.fallback = 1;
  e.opens.domains = {{"never.example", 0}};
  e.complaints.fallback = 1;
  e.after_low = e.after_high = 1h;
  auto got = decide_all(e, {"a.example", "NEVER.example", "b.example"}, 1);
  CHECK(got[0].opens);
  CHECK(got[0].complains);
  CHECK(got[0].after == 1h);
  CHECK_FALSE(got[1].opens);
  CHECK_FALSE(got[1].complains);
  CHECK(got[2].opens);
}

TEST_CASE("engagement: changing one domain's share leaves the other recipients' decisions alone") {
  auto domains = mixed(500);
  auto before = decide_all(spec(), domains, 5);
  auto changed = spec();
  changed.opens.domains = {{"mail.example", 0.9}};
  auto after = decide_all(changed, domains, 5);
  for (std::size_t i = 0; i < domains.size(); ++i) {
    if (domains[i] == "mail.example") continue;
    CHECK(same(before[i], after[i]));
  }
}

TEST_CASE("engagement: delay ranges") {
  std::string error;
  auto r = parse_delay_range("10m..4h", error);
  REQUIRE(r);
  CHECK(r->low == 10min);
  CHECK(r->high == 4h);
  r = parse_delay_range("90s", error);
  REQUIRE(r);
  CHECK(r->low == 90s);
  CHECK(r->high == 90s);
  CHECK_FALSE(parse_delay_range("4h..10m", error));
  CHECK(error == "the range's low end is above its high end");
  for (const char* bad : {"", "soon", "10m..", "..4h", "10m...4h", "10m..4h..5h", "-1m"}) {
    INFO(bad);
    CHECK_FALSE(parse_delay_range(bad, error));
  }
}
