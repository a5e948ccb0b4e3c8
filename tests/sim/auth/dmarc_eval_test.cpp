// tests/sim/auth/dmarc_eval_test.cpp - evaluate_dmarc(): policy discovery over a resolver (RFC 7489 §6.6.3).
#include <catch2/catch.hpp>

#include "sim/auth/dmarc_eval.hpp"
#include "tests/sim/policy/test_resolver.hpp"

using namespace sim::auth;
using sim::policy::spf_result;
using sim::policy::test::run;
using sim::policy::test::test_resolver;

namespace {

dmarc_evaluation evaluate(test_resolver& resolver, std::string from, spf_outcome spf = {spf_result::fail, "x.test"},
                          std::vector<dkim_verification> dkim = {}, unsigned draw = 0) {
  return run(evaluate_dmarc(resolver, dmarc_request{"mx.example.org", {std::move(from)}, std::move(spf), std::move(dkim), draw}));
}

}  // namespace

TEST_CASE("evaluate_dmarc: the record at the From domain") {
  test_resolver resolver;
  resolver.add_txt("_dmarc.brand.test", {"v=DMARC1; p=reject"});
  resolver.add_txt("_dmarc.brand.test", {"some other text"});
  auto e = evaluate(resolver, "CEO <ceo@brand.test>");
  CHECK(e.result == dmarc_result::fail);
  CHECK(e.disposition == dmarc_policy::reject);
  CHECK(e.record_name == "_dmarc.brand.test");
  CHECK(e.reason == "neither SPF nor DKIM is aligned with From: brand.test (SPF fail for x.test; no DKIM signature)");
  CHECK(e.steps == std::vector<std::string>{
                       "From domain brand.test, organizational domain brand.test",
                       "1 DMARC record at _dmarc.brand.test",
                       "record at _dmarc.brand.test: v=DMARC1; p=reject",
                       "SPF (relaxed alignment): SPF fail for x.test",
                       "DKIM (relaxed alignment): no DKIM signature",
                       "fail: neither SPF nor DKIM is aligned with From: brand.test (SPF fail for x.test; no DKIM signature)",
                       "policy reject (p=reject), pct=100: applied"});
}

TEST_CASE("evaluate_dmarc: fallback to the organizational domain, where sp= applies") {
  test_resolver resolver;
  resolver.add_txt("_dmarc.example.co.uk", {"v=DMARC1; p=reject; sp=quarantine"});
  auto e = evaluate(resolver, "news@mail.example.co.uk");
  CHECK(e.org_domain == "example.co.uk");
  CHECK(e.record_name == "_dmarc.example.co.uk");
  CHECK(e.policy == dmarc_policy::quarantine);
  CHECK(resolver.queries == std::vector<std::string>{"_dmarc.mail.example.co.uk 16", "_dmarc.example.co.uk 16"});
  e = evaluate(resolver, "news@mail.example.co.uk", {spf_result::pass, "bounce.example.co.uk"});
  CHECK(e.result == dmarc_result::pass);
}

TEST_CASE("evaluate_dmarc: no record, two records, DNS failures, bad records, bad From") {
  test_resolver none;
  auto e = evaluate(none, "a@sender.test");
  CHECK(e.result == dmarc_result::none);
  CHECK(e.reason == "no DMARC record at _dmarc.sender.test");
  test_resolver two;
  two.add_txt("_dmarc.sender.test", {"v=DMARC1; p=reject"});
  two.add_txt("_dmarc.sender.test", {"v=DMARC1; p=none"});
  e = evaluate(two, "a@sender.test");
  CHECK(e.result == dmarc_result::none);
  CHECK(e.reason == "2 DMARC records at _dmarc.sender.test; DMARC is not applied");
  test_resolver servfail;
  servfail.add_failure("_dmarc.mail.sender.test", dns::rcode::servfail);
  e = evaluate(servfail, "a@mail.sender.test");
  CHECK(e.result == dmarc_result::temperror);
  CHECK(e.reason == "DNS SERVFAIL for _dmarc.mail.sender.test");
  test_resolver org_timeout;
  org_timeout.add_failure("_dmarc.sender.test", dns::rcode::timeout);
  CHECK(evaluate(org_timeout, "a@mail.sender.test").result == dmarc_result::temperror);
  test_resolver bad;
  bad.add_txt("_dmarc.sender.test", {"v=DMARC1; pct=20"});
  e = evaluate(bad, "a@sender.test");
  CHECK(e.result == dmarc_result::permerror);
  CHECK(e.reason == "the record at _dmarc.sender.test is unusable: no valid p= (none, quarantine or reject)");
  e = run(evaluate_dmarc(none, dmarc_request{"mx", {"a@x.test", "b@x.test"}, {}, {}, 0}));
  CHECK(e.result == dmarc_result::permerror);
  CHECK(e.reason == "the message has 2 From fields");
}

TEST_CASE("evaluate_dmarc: a record split into TXT strings at every offset reads the same") {
  const std::string text = "v=DMARC1; p=quarantine; pct=50; adkim=s; rua=mailto:d@sender.test";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    test_resolver resolver;
    resolver.add_txt("_dmarc.sender.test", {text.substr(0, cut), text.substr(cut)});
    auto e = evaluate(resolver, "a@sender.test", {spf_result::fail, "x.test"}, {}, 60);
    INFO(cut);
    CHECK(e.result == dmarc_result::fail);
    CHECK(e.policy == dmarc_policy::quarantine);
    CHECK(e.disposition == dmarc_policy::none);  // draw 60 >= pct 50
    CHECK(e.record->adkim == alignment_mode::strict);
  }
}

TEST_CASE("from_fields: every From value, unfolded") {
  CHECK(from_fields("From: A\r\n <a@x.test>\r\nTo: b\r\n\r\nbody") == std::vector<std::string>{"A <a@x.test>"});
}
