// AUTH at the MTA: RFC 4616 section 2 (an authorization identity other
// than the authentication identity is refused) and password guessing,
// which meets the error tarpit (Postfix's error sleep and hard error limit).
#include <catch2/catch.hpp>

#include "sim/smtp/base64.hpp"
#include "tests/sim/mta/agent_world.hpp"

using namespace sim::mta;
using namespace sim::mta::test;

namespace {

struct auth_world : agent_world {
  auth_world() {
    mta_config sub;
    sub.host = "mail.sender.test";
    sub.ip = "192.0.2.25";
    sub.local_domains = {"sender.test"};
    sub.submission = true;
    add_mta(sub, {{"carol@sender.test", {"pw", std::nullopt}}, {"ceo@sender.test", {"boss", std::nullopt}}});
    add_machine("bot.outside.test", "203.0.113.66");
  }
  std::shared_ptr<std::vector<std::string>> talk(std::vector<std::string> lines) {
    lines.insert(lines.begin(), "EHLO bot.outside.test");
    return dialogue_at(sim::at_millis(1000), {"bot.outside.test", "mail.sender.test", submission_port, "", std::nullopt, ""},
                       std::move(lines));
  }
};

std::string plain(const std::string& authzid, const std::string& authcid, const std::string& password) {
  return "AUTH PLAIN " + sim::smtp::base64_encode(authzid + std::string(1, '\0') + authcid + std::string(1, '\0') + password);
}

}  // namespace

TEST_CASE("auth: an authorization identity other than the authentication identity is refused (RFC 4616 2)") {
  auth_world w;
  auto got = w.talk({plain("ceo@sender.test", "carol@sender.test", "pw"), plain("carol@sender.test", "carol@sender.test", "pw"),
                     "QUIT"});
  w.run();
  REQUIRE(got->size() == 5);
  CHECK(starts_with((*got)[2], "535 5.7.8"));
  CHECK(starts_with((*got)[3], "235 2.7.0"));  // the same identity twice is fine
  auto checks = w.events("policy.check");
  REQUIRE(checks.size() == 1);
  CHECK(checks[0]["check"] == "auth");
  CHECK(checks[0]["result"] == "reject");
  CHECK(checks[0]["detail"] == "PLAIN <carol@sender.test> may not act as <ceo@sender.test>");
}

TEST_CASE("auth: guessing passwords gets slower after 10 failures and ends with 421 at 20, the right one is too late") {
  auth_world w;
  std::vector<std::string> lines(20, plain("", "carol@sender.test", "guess"));
  lines.push_back(plain("", "carol@sender.test", "pw"));
  auto got = w.talk(lines);
  w.run();
  REQUIRE(got->size() == 23);  // greeting, EHLO, 20 answers, then 421 (and nothing for the right password)
  for (std::size_t i = 2; i < 22; ++i) CHECK(starts_with((*got)[i], "535 5.7.8"));
  CHECK(starts_with((*got)[22], "421 4.7.0 mail.sender.test Error: too many errors"));
  CHECK(w.count("policy.check") == 20);
  // The 10th to the 20th answers waited 1 s, 2 s, ... 11 s: 66 s in all.
  auto penalties = w.events("smtp.penalty");
  REQUIRE(penalties.size() == 11);
  CHECK(penalties.front()["delay"] == 1000);
  CHECK(penalties.back()["delay"] == 11000);
  CHECK(penalties.back()["errors"] == 20);
  auto limits = w.events("smtp.limit");
  REQUIRE(limits.size() == 1);
  CHECK(limits[0]["limit"] == "errors");
  CHECK(limits[0]["count"] == 20);
  auto replies = w.events("smtp.reply", "mail.sender.test");
  CHECK(replies.back()["code"] == 421);
  CHECK(replies.back()["t"].get<std::int64_t>() - replies[1]["t"].get<std::int64_t>() >= 66'000);
}
