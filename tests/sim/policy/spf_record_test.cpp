// tests/sim/policy/spf_record_test.cpp - record selection and parsing (RFC 7208 4.5, 4.6, 5, 6).
#include <catch2/catch.hpp>

#include "sim/policy/spf_record.hpp"

using namespace sim::policy;

TEST_CASE("a record begins with v=spf1 then a space or its end") {
  CHECK(is_spf_record("v=spf1"));
  CHECK(is_spf_record("V=SpF1 -all"));
  CHECK_FALSE(is_spf_record("v=spf10"));
  CHECK_FALSE(is_spf_record("v=spf1mx"));
  CHECK_FALSE(is_spf_record("spf2.0/pra"));
  CHECK_FALSE(is_spf_record(""));
}

TEST_CASE("selection joins character-strings without a separator, split at every offset") {
  const std::string record = "v=spf1 ip4:192.0.2.0/24 -all";
  for (std::size_t cut = 0; cut <= record.size(); ++cut) {
    auto got = select_spf_record({{"unrelated"}, {record.substr(0, cut), record.substr(cut)}});
    INFO(cut);
    CHECK(got.found == spf_selection::outcome::one);
    CHECK(got.text == record);
  }
  CHECK(select_spf_record({{"v=spf1", "mx"}}).found == spf_selection::outcome::none);
  CHECK(select_spf_record({}).found == spf_selection::outcome::none);
  CHECK(select_spf_record({{}}).found == spf_selection::outcome::none);
  CHECK(select_spf_record({{"v=spf1 -all"}, {"V=SPF1 +all"}}).found == spf_selection::outcome::many);
  CHECK(select_spf_record({{"v=spf1 -all"}, {"v=spf1 -all"}}).found == spf_selection::outcome::many);
}

TEST_CASE("mechanisms parse with qualifiers, targets and dual CIDR lengths") {
  auto got = parse_spf_record("v=spf1 +a -mx:example.org/24//64 ~ptr ?ip4:192.0.2.0/24 ip6:2001:db8::/32 "
                              "include:_spf.example.org exists:%{i}.bl.example.org a:foo:bar/baz.example.com all");
  REQUIRE(got.record);
  const auto& m = got.record->mechanisms;
  REQUIRE(m.size() == 9);
  CHECK(m[0].kind == spf_mechanism_kind::a);
  CHECK(m[0].qualifier == spf_result::pass);
  CHECK_FALSE(m[0].domain_spec);
  CHECK(m[1].kind == spf_mechanism_kind::mx);
  CHECK(m[1].qualifier == spf_result::fail);
  CHECK(m[1].ip4_prefix_length == 24);
  CHECK(m[1].ip6_prefix_length == 64);
  CHECK(m[2].qualifier == spf_result::softfail);
  CHECK(m[3].qualifier == spf_result::neutral);
  CHECK(m[3].ip4_prefix_length == 24);
  CHECK(m[4].ip6_prefix_length == 32);
  CHECK(m[4].network == *parse_ip("2001:db8::"));
  CHECK(m[5].queries_dns());
  CHECK(m[6].kind == spf_mechanism_kind::exists);
  CHECK(m[7].ip4_prefix_length == 32);
  CHECK_FALSE(m[3].queries_dns());
  CHECK(m[8].kind == spf_mechanism_kind::all);
}

TEST_CASE("modifiers: redirect and exp once each, unknown ones ignored but checked") {
  auto got = parse_spf_record("v=spf1 moo.cow-far_out=man:dog/cat exp=explain.%{d} redirect=_spf.example.org");
  REQUIRE(got.record);
  CHECK(got.record->mechanisms.empty());
  CHECK(got.record->redirect_text == "_spf.example.org");
  CHECK(got.record->exp_text == "explain.%{d}");
  CHECK(parse_spf_record("v=spf1 default=pass").record);
  CHECK(parse_spf_record("v=spf1 REDIRECT=example.org").record->redirect);
}

TEST_CASE("syntax errors anywhere make the record a permerror") {
  using namespace std::string_literals;
  const std::vector<std::string> bad_records = {
      "v=spf1 -all moo", "v=spf1 moo.cow/far_out=man:dog/cat", "v=spf1 redirect:example.org",
      "v=spf1 a:foo-bar", "v=spf1 -all.", "v=spf1 -all:foobar", "v=spf1 -all/8", "v=spf1 ptr/0",
      "v=spf1 ptr:", "v=spf1 a//33/", "v=spf1 a/33", "v=spf1 a//129", "v=spf1 a/24/64", "v=spf1 a:",
      "v=spf1 include", "v=spf1 include:", "v=spf1 include:example.org/24", "v=spf1 exists",
      "v=spf1 exists:example.org/24", "v=spf1 ip4", "v=spf1 ip4:1.2.3.4/33", "v=spf1 ip4:1.2.3.4/032",
      "v=spf1 ip4:1.2.3", "v=spf1 ip4:1.2.3.4//32", "v=spf1 ip4:1.2.3.4:8080", "v=spf1 ip6",
      "v=spf1 ip6:::1/129", "v=spf1 ip6:::1//33", "v=spf1 ip6::CAFE::BABE", "v=spf1 1up=foo",
      "v=spf1 =all", "v=spf1 exp= -all", "v=spf1 exp=-all", "v=spf1 redirect=", "v=spf1 exp=a.com exp=b.com",
      "v=spf1 redirect=a.com redirect=a.com", "v=spf1 foo=%abc", "v=spf1 a:ctrl.example.com\rptr",
      "v=spf1 a:foo.example.com\0"s, "v=spf1 \x80" "a", "v=spf1 -exists:%(ir).sbl.example.com",
      "v=spf1 -all exp=%{r}.example.com", "v=spf1 a:%{a}.example.com", "v=spf10 -all"};
  for (const auto& bad : bad_records) {
    INFO(bad);
    auto got = parse_spf_record(bad);
    CHECK_FALSE(got.record);
    CHECK_FALSE(got.error.empty());
  }
}

TEST_CASE("terms are separated by one or more spaces, trailing spaces allowed") {
  auto got = parse_spf_record("v=spf1  a   -all ");
  REQUIRE(got.record);
  CHECK(got.record->mechanisms.size() == 2);
  CHECK(parse_spf_record("v=spf1").record);
}
