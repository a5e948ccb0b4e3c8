// tests/sim/auth/dkim_verify_test.cpp - verify_dkim() over a resolver (RFC 6376 §6.1.2).
#include <catch2/catch.hpp>

#include "sim/auth/dkim_signer.hpp"
#include "sim/auth/dkim_verify.hpp"
#include "sim/auth/keygen.hpp"
#include "tests/sim/auth/rfc_examples.hpp"
#include "tests/sim/policy/test_resolver.hpp"

using namespace sim::auth;
using sim::policy::test::run;
using sim::policy::test::test_resolver;

namespace {

constexpr std::int64_t now = 1767603600;
const std::string plain = "From: alice@sender.test\r\nTo: bob@example.org\r\nSubject: Hi\r\n\r\nHello.\r\n";

std::string signed_plain(const private_key& key) {
  signer_config config;
  config.domain = "sender.test";
  config.selector = "s1";
  config.algorithm = key.algorithm();
  return add_signature(plain, sign_message(plain, make_sign_request(config, now), key));
}

std::vector<dkim_verification> verify(test_resolver& resolver, std::string message, std::int64_t at = now) {
  return run(verify_dkim(resolver, dkim_request{"mx.example.org", std::move(message), at, {}}));
}

}  // namespace

TEST_CASE("verify_dkim: the RFC 8463 example over DNS, key records split into strings") {
  const auto& rsa = sim::auth::test::rfc8463_rsa_record;
  // A TXT record's strings are joined without a separator (RFC 6376 §3.6.2.2): split anywhere.
  for (std::size_t cut = 0; cut <= rsa.size(); cut += 7) {
    test_resolver resolver;
    resolver.add_txt("brisbane._domainkey.football.example.com", {sim::auth::test::rfc8463_ed25519_record});
    resolver.add_txt("test._domainkey.football.example.com", {rsa.substr(0, cut), rsa.substr(cut)});
    auto got = verify(resolver, sim::auth::test::rfc8463_message, sim::auth::test::rfc8463_time);
    REQUIRE(got.size() == 2);
    CHECK(got[0].result == dkim_result::pass);
    CHECK(got[1].result == dkim_result::pass);
    CHECK(resolver.queries == std::vector<std::string>{"brisbane._domainkey.football.example.com 16",
                                                       "test._domainkey.football.example.com 16"});
  }
}

TEST_CASE("verify_dkim: DNS answers become pass, permerror or temperror") {
  const auto key = derive_key("dns test", dkim_algorithm::ed25519_sha256);
  const auto message = signed_plain(key);
  test_resolver resolver;
  resolver.add_txt("s1._domainkey.sender.test", {key.dns_record()});
  auto got = verify(resolver, message);
  REQUIRE(got.size() == 1);
  CHECK(got[0].result == dkim_result::pass);
  CHECK(got[0].steps.front() == "DKIM-Signature 1: d=sender.test s=s1 a=ed25519-sha256");

  test_resolver nx;
  CHECK(verify(nx, message)[0].reason == "no key for signature: NXDOMAIN for s1._domainkey.sender.test");
  test_resolver nodata;
  nodata.add("s1._domainkey.sender.test", dns::rr_type::A, "192.0.2.1");
  CHECK(verify(nodata, message)[0].reason == "no key for signature: no TXT record for s1._domainkey.sender.test");
  test_resolver servfail;
  servfail.add_failure("s1._domainkey.sender.test", dns::rcode::servfail);
  auto failed = verify(servfail, message);
  CHECK(failed[0].result == dkim_result::temperror);
  CHECK(failed[0].reason == "key lookup failed: SERVFAIL for s1._domainkey.sender.test");
  test_resolver timeout;
  timeout.add_failure("s1._domainkey.sender.test", dns::rcode::timeout);
  CHECK(verify(timeout, message)[0].result == dkim_result::temperror);
}

TEST_CASE("verify_dkim: an unsigned message gives no result, nothing is asked") {
  test_resolver resolver;
  CHECK(verify(resolver, plain).empty());
  CHECK(resolver.queries.empty());
}

TEST_CASE("verify_dkim: a malformed signature is settled without a lookup") {
  test_resolver resolver;
  auto got = verify(resolver, "DKIM-Signature: v=1; a=rsa-sha256; b=AAAA; bh=AAAA; d=x.test; h=to; s=s\r\n" + plain);
  REQUIRE(got.size() == 1);
  CHECK(got[0].result == dkim_result::permerror);
  CHECK(got[0].reason == "the From field is not signed (h= lacks From)");
  CHECK(resolver.queries.empty());
}
