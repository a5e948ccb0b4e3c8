// tests/sim/auth/dmarc_record_test.cpp - DMARC records (RFC 7489 §6.3, §6.4, §6.6.3).
#include <catch2/catch.hpp>

#include "sim/auth/dmarc_record.hpp"
#include "tests/sim/auth/mutations.hpp"

using namespace sim::auth;

TEST_CASE("DMARC record: every tag read and kept") {
  auto got = parse_dmarc_record(
      "v=DMARC1; p=Reject; sp=quarantine; adkim=s; aspf=r; pct=25; "
      "rua=mailto:agg@example.org,mailto:agg@third.example!10m; ruf=mailto:f@example.org; fo=1:d; rf=afrf; ri=3600");
  REQUIRE(got.record);
  const auto& r = *got.record;
  CHECK(r.p == dmarc_policy::reject);
  CHECK(r.sp == dmarc_policy::quarantine);
  CHECK(r.adkim == alignment_mode::strict);
  CHECK(r.aspf == alignment_mode::relaxed);
  CHECK(r.pct == 25);
  CHECK(r.rua == std::vector<std::string>{"mailto:agg@example.org", "mailto:agg@third.example!10m"});
  CHECK(r.ruf == std::vector<std::string>{"mailto:f@example.org"});
  CHECK(r.fo == std::vector<std::string>{"1", "d"});
  CHECK(r.rf == std::vector<std::string>{"afrf"});
  CHECK(r.ri == 3600u);
  CHECK(r.warnings.empty());
}

TEST_CASE("DMARC record: defaults") {
  auto got = parse_dmarc_record("v=DMARC1; p=none");
  REQUIRE(got.record);
  CHECK_FALSE(got.record->sp);
  CHECK(got.record->adkim == alignment_mode::relaxed);
  CHECK(got.record->pct == 100);
  CHECK(got.record->fo == std::vector<std::string>{"0"});
  CHECK(got.record->ri == 86400u);
  CHECK(parse_dmarc_record("v=DMARC1;p=quarantine;;").record->p == dmarc_policy::quarantine);
}

TEST_CASE("DMARC record: a bad value falls back to the default with a warning") {
  auto got = parse_dmarc_record("v=DMARC1; p=reject; adkim=x; pct=101; ri=-1; fo=2; rua=nonsense,mailto:a@b.example; x=y");
  REQUIRE(got.record);
  CHECK(got.record->adkim == alignment_mode::relaxed);
  CHECK(got.record->pct == 100);
  CHECK(got.record->ri == 86400u);
  CHECK(got.record->fo == std::vector<std::string>{"0"});
  CHECK(got.record->rua == std::vector<std::string>{"mailto:a@b.example"});
  CHECK(got.record->warnings == std::vector<std::string>{"adkim=x is not valid, the default is used",
                                                         "pct=101 is not valid, the default is used",
                                                         "ri=-1 is not valid, the default is used",
                                                         "fo=2 is not valid, the default is used",
                                                         "rua: \"nonsense\" is not a URI, ignored"});
}

TEST_CASE("DMARC record: without a valid p=, rua= makes it p=none, otherwise it is unusable") {
  auto got = parse_dmarc_record("v=DMARC1; p=block; rua=mailto:a@example.org");
  REQUIRE(got.record);
  CHECK(got.record->p == dmarc_policy::none);
  CHECK(got.record->p_assumed);
  CHECK(parse_dmarc_record("v=DMARC1; rua=mailto:a@example.org").record->p_assumed);
  CHECK(parse_dmarc_record("v=DMARC1; pct=50").error == "no valid p= (none, quarantine or reject)");
  CHECK(parse_dmarc_record("v=DMARC1; p=reject; sp=all").error == "sp= is not none, quarantine or reject");
  CHECK(parse_dmarc_record("v=DMARC1; p=reject; p=none").error == "syntax error: tag p= appears twice");
  CHECK(parse_dmarc_record("v=spf1 -all").error == "the record does not start with v=DMARC1");
}

TEST_CASE("DMARC record: only records starting with v=DMARC1 count") {
  CHECK(is_dmarc_record("v=DMARC1; p=none"));
  CHECK(is_dmarc_record("v = DMARC1"));
  CHECK(is_dmarc_record("V=DMARC1;p=none"));
  CHECK_FALSE(is_dmarc_record("v=DMARC10; p=none"));
  CHECK_FALSE(is_dmarc_record("v=dmarc1; p=none"));
  CHECK_FALSE(is_dmarc_record("p=none; v=DMARC1"));
  CHECK_FALSE(is_dmarc_record(""));
}

TEST_CASE("DMARC record: every cut and byte mutation parses or gives a reason") {
  sim::auth::test::for_each_mutation("v=DMARC1; p=reject; sp=none; adkim=s; pct=50; rua=mailto:d@example.org!5m",
                                     [](const std::string& input) {
                                       dmarc_record_parse got;
                                       REQUIRE_NOTHROW(got = parse_dmarc_record(input));
                                       CHECK(got.record.has_value() == got.error.empty());
                                       if (got.record) CHECK((got.record->pct >= 0 && got.record->pct <= 100));
                                     });
}
