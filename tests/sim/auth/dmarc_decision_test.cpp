// tests/sim/auth/dmarc_decision_test.cpp - organizational domains, alignment, p/sp, pct (RFC 7489).
#include <catch2/catch.hpp>

#include "sim/auth/author_domain.hpp"
#include "sim/auth/dmarc_decision.hpp"
#include "sim/auth/org_domain.hpp"

using namespace sim::auth;
using sim::policy::spf_result;

namespace {

dkim_verification dkim(std::string domain, dkim_result result = dkim_result::pass) {
  dkim_verification v;
  v.domain = std::move(domain);
  v.result = result;
  return v;
}

dmarc_record record(dmarc_policy p, int pct = 100) {
  dmarc_record r;
  r.p = p;
  r.pct = pct;
  return r;
}

dmarc_evaluation decide(std::string from, const dmarc_record& r, spf_outcome spf, std::vector<dkim_verification> d,
                        bool at_org = false, unsigned draw = 0) {
  dmarc_evaluation e;
  e.from_domain = from;
  e.org_domain = organizational_domain(from);
  decide_dmarc(e, r, at_org, spf, d, draw);
  return e;
}

}  // namespace

TEST_CASE("organizational domains come from libpsl's Public Suffix List") {
  CHECK(organizational_domain("mail.example.co.uk") == "example.co.uk");
  CHECK(organizational_domain("example.co.uk") == "example.co.uk");
  CHECK(organizational_domain("a.b.c.example.com") == "example.com");
  CHECK(organizational_domain("Mail.Example.COM.") == "example.com");
  CHECK(organizational_domain("lists.sender.test") == "sender.test");  // unlisted TLD: the "*" rule
  CHECK(organizational_domain("www.city.kawasaki.jp") == "city.kawasaki.jp");
  CHECK(organizational_domain("co.uk") == "co.uk");
  CHECK(is_public_suffix("co.uk"));
  CHECK_FALSE(is_public_suffix("example.co.uk"));
}

TEST_CASE("alignment: relaxed compares organizational domains, strict the names") {
  CHECK(is_aligned("mail.example.com", "example.com", alignment_mode::relaxed));
  CHECK(is_aligned("example.com", "news.example.com", alignment_mode::relaxed));
  CHECK_FALSE(is_aligned("mail.example.com", "example.com", alignment_mode::strict));
  CHECK(is_aligned("Example.COM", "example.com", alignment_mode::strict));
  CHECK_FALSE(is_aligned("example.co.uk", "other.co.uk", alignment_mode::relaxed));
  CHECK_FALSE(is_aligned("", "example.com", alignment_mode::relaxed));
}

TEST_CASE("DMARC passes on aligned SPF or aligned DKIM") {
  auto e = decide("sender.test", record(dmarc_policy::reject), {spf_result::pass, "bounces.sender.test"}, {});
  CHECK(e.result == dmarc_result::pass);
  CHECK(e.spf_aligned);
  CHECK(e.disposition == dmarc_policy::none);
  CHECK(e.reason == "SPF (bounces.sender.test) is aligned with From: sender.test");
  e = decide("sender.test", record(dmarc_policy::reject), {spf_result::fail, "forwarder.test"},
             {dkim("other.test"), dkim("sender.test")});
  CHECK(e.result == dmarc_result::pass);
  CHECK(e.dkim_aligned);
  CHECK(e.aligned_dkim_domain == "sender.test");
  CHECK(e.reason == "DKIM (sender.test) is aligned with From: sender.test");
}

TEST_CASE("DMARC fails when neither is aligned, saying why") {
  auto e = decide("brand.test", record(dmarc_policy::reject), {spf_result::pass, "spoofer.test"},
                  {dkim("brand.test", dkim_result::fail), dkim("lists.example.org")});
  CHECK(e.result == dmarc_result::fail);
  CHECK(e.policy == dmarc_policy::reject);
  CHECK(e.disposition == dmarc_policy::reject);
  CHECK(e.reason ==
        "neither SPF nor DKIM is aligned with From: brand.test (SPF pass for spoofer.test, not aligned; "
        "DKIM fail for brand.test, DKIM pass for lists.example.org, not aligned)");
  e = decide("brand.test", record(dmarc_policy::quarantine), {spf_result::softfail, "brand.test"}, {});
  CHECK(e.reason == "neither SPF nor DKIM is aligned with From: brand.test (SPF softfail for brand.test; no DKIM signature)");
  CHECK(e.disposition == dmarc_policy::quarantine);
}

TEST_CASE("strict alignment refuses a subdomain") {
  auto r = record(dmarc_policy::reject);
  r.aspf = alignment_mode::strict;
  r.adkim = alignment_mode::strict;
  auto e = decide("sender.test", r, {spf_result::pass, "mail.sender.test"}, {dkim("mail.sender.test")});
  CHECK(e.result == dmarc_result::fail);
}

TEST_CASE("sp= applies to a subdomain whose record came from the organizational domain") {
  auto r = record(dmarc_policy::reject);
  r.sp = dmarc_policy::quarantine;
  auto e = decide("news.brand.test", r, {spf_result::fail, "x.test"}, {}, true);
  CHECK(e.policy == dmarc_policy::quarantine);
  CHECK(e.disposition == dmarc_policy::quarantine);
  e = decide("news.brand.test", r, {spf_result::fail, "x.test"}, {}, false);  // found at the From domain itself
  CHECK(e.policy == dmarc_policy::reject);
  e = decide("brand.test", r, {spf_result::fail, "x.test"}, {}, false);
  CHECK(e.policy == dmarc_policy::reject);
  r.sp.reset();
  e = decide("news.brand.test", r, {spf_result::fail, "x.test"}, {}, true);
  CHECK(e.policy == dmarc_policy::reject);
}

TEST_CASE("pct: the draw decides, messages left out get the next softer policy") {
  auto r = record(dmarc_policy::reject, 30);
  auto e = decide("brand.test", r, {spf_result::fail, "x.test"}, {}, false, 29);
  CHECK(e.disposition == dmarc_policy::reject);
  CHECK_FALSE(e.sampled_out);
  e = decide("brand.test", r, {spf_result::fail, "x.test"}, {}, false, 30);
  CHECK(e.disposition == dmarc_policy::quarantine);
  CHECK(e.sampled_out);
  CHECK(e.policy == dmarc_policy::reject);
  e = decide("brand.test", record(dmarc_policy::quarantine, 0), {spf_result::fail, "x.test"}, {}, false, 0);
  CHECK(e.disposition == dmarc_policy::none);
  e = decide("brand.test", record(dmarc_policy::reject, 100), {spf_result::fail, "x.test"}, {}, false, 99);
  CHECK(e.disposition == dmarc_policy::reject);
}

TEST_CASE("the From domain: one field, one domain") {
  CHECK(author_domain({" CEO <ceo@Brand.Test>"}).domain == "brand.test");
  CHECK(author_domain({"\"Doe, John\" <john@example.org> (work)"}).domain == "example.org");
  CHECK(author_domain({"a@example.org, \"b\" <b@example.org>"}).domain == "example.org");
  CHECK(author_domain({"team: a@example.org, b@example.org;"}).domain == "example.org");
  CHECK(author_domain({"<@relay.example:joe@example.org>"}).domain == "example.org");
  CHECK(author_domain({"\"odd@quoted\"@example.org"}).domain == "example.org");
  CHECK(author_domain({"joe@example.org (comment @x.org)"}).domain == "example.org");
  CHECK(author_domain({}).error == "the message has no From field");
  CHECK(author_domain({"a@x.org", "b@x.org"}).error == "the message has 2 From fields");
  CHECK(author_domain({"a@x.org, b@y.org"}).error == "the From field holds addresses in two domains (x.org and y.org)");
  CHECK(author_domain({"undisclosed-recipients:;"}).error == "the From field holds no address");
  CHECK(author_domain({"joe"}).error == "the From address joe has no domain");
  CHECK(author_domain({"joe@[192.0.2.1]"}).error == "the From domain [192.0.2.1] is not a domain name");
  CHECK(mailbox_addresses("A <a@x.org>, b@y.org") == std::vector<std::string>{"a@x.org", "b@y.org"});
}
