// tests/sim/auth/auth_results_test.cpp - Authentication-Results (RFC 8601).
#include <catch2/catch.hpp>

#include "sim/auth/auth_results.hpp"
#include "tests/sim/auth/mutations.hpp"

using namespace sim::auth;

namespace {

authentication_results sample() {
  authentication_results ar;
  ar.authserv_id = "mx.example.org";
  sim::policy::spf_evaluation spf;
  spf.result = sim::policy::spf_result::pass;
  spf.identity = "mailfrom";
  spf.sender = spf.mail_from = "alice@sender.test";
  spf.client_ip = "192.0.2.25";
  ar.results.push_back(spf_ar_result(spf, "mx.example.org"));
  dkim_verification pass;
  pass.result = dkim_result::pass;
  pass.domain = "sender.test";
  pass.selector = "s1";
  pass.auid = "@sender.test";
  pass.algorithm = "rsa-sha256";
  pass.b_text = "AbC/+dEf=ghijklmn";
  pass.key_name = "s1._domainkey.sender.test";
  pass.key_bits = 2048;
  ar.results.push_back(dkim_ar_result(pass));
  dkim_verification fail = pass;
  fail.result = dkim_result::fail;
  fail.reason = "body hash did not verify";
  fail.selector = "s2";
  ar.results.push_back(dkim_ar_result(fail));
  dmarc_evaluation dmarc;
  dmarc.result = dmarc_result::pass;
  dmarc.from_domain = "sender.test";
  dmarc.record = dmarc_record{};
  dmarc.record->p = dmarc_policy::reject;
  dmarc.policy = dmarc_policy::reject;
  dmarc.record_name = "_dmarc.sender.test";
  ar.results.push_back(dmarc_ar_result(dmarc));
  return ar;
}

}  // namespace

TEST_CASE("Authentication-Results: the receiver's results, with comments saying where they come from") {
  CHECK(format_authentication_results(sample()) ==
        " mx.example.org;\r\n"
        " spf=pass (mx.example.org: domain of alice@sender.test designates 192.0.2.25 as permitted sender)"
        " smtp.mailfrom=alice@sender.test;\r\n"
        " dkim=pass (2048-bit rsa key from s1._domainkey.sender.test) header.d=sender.test header.i=@sender.test"
        " header.s=s1 header.a=rsa-sha256 header.b=\"AbC/+dEf\";\r\n"
        " dkim=fail (body hash did not verify) header.d=sender.test header.i=@sender.test header.s=s2"
        " header.a=rsa-sha256 header.b=\"AbC/+dEf\";\r\n"
        " dmarc=pass (p=reject sp=reject pct=100 dis=none; record at _dmarc.sender.test) header.from=sender.test"
        " policy.dmarc=reject");
  authentication_results none;
  none.authserv_id = "mx.example.org";
  CHECK(format_authentication_results(none) == " mx.example.org; none");
}

TEST_CASE("Authentication-Results: format then parse gives the same results") {
  const auto ar = sample();
  auto got = parse_authentication_results(format_authentication_results(ar));
  REQUIRE(got.value);
  CHECK(*got.value == ar);
  CHECK(*got.value->results[1].find("header", "b") == "AbC/+dEf");
  authentication_results odd;
  odd.authserv_id = "host;with;semicolons";
  odd.version = "1";
  ar_result r;
  r.method = "x-test";
  r.version = "2";
  r.result = "pass";
  r.reason = "a \"quoted\" reason";
  r.comment = "nested (parens) and \\ backslash";
  r.properties.push_back({"smtp", "mailfrom", "<>"});
  odd.results.push_back(r);
  got = parse_authentication_results(format_authentication_results(odd));
  REQUIRE(got.value);
  CHECK(*got.value == odd);
}

TEST_CASE("Authentication-Results: values as real receivers write them") {
  auto got = parse_authentication_results(
      " mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=20230601 header.b=Ab12/+Cd;\r\n"
      "       spf=pass (google.com: domain of a@example.com designates 192.0.2.1 as permitted sender)"
      " smtp.mailfrom=a@example.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com");
  REQUIRE(got.value);
  CHECK(got.value->authserv_id == "mx.google.com");
  REQUIRE(got.value->results.size() == 3);
  CHECK(*got.value->results[0].find("header", "b") == "Ab12/+Cd");
  CHECK(got.value->results[1].comment == "google.com: domain of a@example.com designates 192.0.2.1 as permitted sender");
  CHECK(got.value->results[2].comment == "p=REJECT sp=REJECT dis=NONE");
  got = parse_authentication_results("example.com (a comment) 1; none");
  REQUIRE(got.value);
  CHECK(got.value->version == "1");
  CHECK(got.value->results.empty());
  got = parse_authentication_results("example.org; spf=fail reason=\"bad ip\" smtp . mailfrom = x@y.org;");
  REQUIRE(got.value);
  CHECK(got.value->results[0].reason == "bad ip");
  CHECK(*got.value->results[0].find("smtp", "mailfrom") == "x@y.org");
}

TEST_CASE("Authentication-Results: errors say where") {
  CHECK(parse_authentication_results("").error == "no authserv-id");
  CHECK(parse_authentication_results("host; spf").error == "expected \"=\" after the method at offset 9");
  CHECK(parse_authentication_results("host; spf=pass smtp").error == "expected \".\" in a property at offset 19");
  CHECK(parse_authentication_results("host; spf=pass (open").error == "unterminated comment at offset 20");
  CHECK(parse_authentication_results("host; none; spf=pass").error == "results after \"none\" at offset 12");
  CHECK(parse_authentication_results("host x").error == "expected \";\" at offset 5");
}

TEST_CASE("Authentication-Results: folded at every space, the same results") {
  const auto text = format_authentication_results(sample());
  const auto want = parse_authentication_results(text).value;
  sim::auth::test::for_each_fold(text, [&](const std::string& folded, std::size_t at) {
    auto got = parse_authentication_results(folded);
    INFO(at);
    REQUIRE(got.value);
    CHECK(got.value->results.size() == want->results.size());
    CHECK(got.value->results[2].properties == want->results[2].properties);
  });
}

TEST_CASE("Authentication-Results: every cut and byte mutation parses or gives a reason") {
  const auto text = format_authentication_results(sample());
  sim::auth::test::for_each_mutation(text, [](const std::string& input) {
    ar_parse got;
    REQUIRE_NOTHROW(got = parse_authentication_results(input));
    CHECK(got.value.has_value() == got.error.empty());
  });
}

TEST_CASE("the receiver's field: only the checks that ran, dkim=none for an unsigned message") {
  sim::policy::spf_evaluation spf;
  spf.result = sim::policy::spf_result::softfail;
  spf.identity = "helo";
  spf.helo = spf.domain = "client.test";
  spf.client_ip = "203.0.113.9";
  std::vector<dkim_verification> none;
  auto ar = receiver_results("mx.example.org", &spf, &none, nullptr);
  REQUIRE(ar.results.size() == 2);
  CHECK(ar.results[0].result == "softfail");
  CHECK(*ar.results[0].find("smtp", "helo") == "client.test");
  CHECK(format_authentication_results(ar).substr(ar.authserv_id.size() + 3).find("dkim=none (no DKIM-Signature field)") !=
        std::string::npos);
  dkim_verification a, b;
  a.result = b.result = dkim_result::pass;
  a.b_text = "ABCDEFGHIJ1";
  b.b_text = "ABCDEFGHIJ2";
  const std::vector<dkim_verification> two{a, b};
  ar = receiver_results("mx", nullptr, &two, nullptr);
  REQUIRE(ar.results.size() == 2);
  CHECK(*ar.results[0].find("header", "b") == "ABCDEFGHIJ1");
  CHECK(receiver_results("mx", nullptr, nullptr, nullptr).results.empty());
}

TEST_CASE("header.b: 8 characters unless two signatures share them") {
  dkim_verification a, b;
  a.b_text = "ABCDEFGHxyz";
  b.b_text = "ABCDEFGHxzz";
  CHECK(header_b_length({a}) == 8);
  CHECK(header_b_length({a, b}) == 10);
  b.b_text = "ABCDEFGH";
  CHECK(header_b_length({a, b}) == 8);
}
