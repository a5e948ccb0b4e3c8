// tests/sim/auth/dkim_key_test.cpp - DKIM key records (RFC 6376 §3.6.1, RFC 8463 §4).
#include <catch2/catch.hpp>

#include "sim/auth/dkim_key.hpp"
#include "tests/sim/auth/mutations.hpp"
#include "tests/sim/auth/rfc_examples.hpp"

using namespace sim::auth;

namespace {

dkim_signature signature(dkim_algorithm algorithm = dkim_algorithm::rsa_sha256, std::string auid = "@example.org") {
  dkim_signature s;
  s.algorithm = algorithm;
  s.domain = "example.org";
  s.selector = "s1";
  s.auid = std::move(auid);
  return s;
}

}  // namespace

TEST_CASE("key record: every tag read") {
  auto got = parse_dkim_key("v=DKIM1; k=RSA; h=sha1:sha256; s=email:*; t=y:s; n=a note; p=AAAA");
  REQUIRE(got.record);
  CHECK(got.record->key_type == "rsa");
  CHECK(got.record->hash_algorithms == std::vector<std::string>{"sha1", "sha256"});
  CHECK(got.record->service_types == std::vector<std::string>{"email", "*"});
  CHECK(got.record->testing);
  CHECK(got.record->strict_identity);
  CHECK(got.record->notes == "a note");
  CHECK(got.record->public_key == std::string(3, '\0'));
}

TEST_CASE("key record: defaults, and the RFC 8463 records") {
  auto got = parse_dkim_key("p=AAAA");
  REQUIRE(got.record);
  CHECK(got.record->key_type == "rsa");
  CHECK(got.record->hash_algorithms.empty());
  CHECK_FALSE(got.record->testing);
  got = parse_dkim_key(sim::auth::test::rfc8463_ed25519_record);
  REQUIRE(got.record);
  CHECK(got.record->key_type == "ed25519");
  CHECK(got.record->public_key.size() == 32);
  got = parse_dkim_key(sim::auth::test::rfc8463_rsa_record);
  REQUIRE(got.record);
  CHECK(got.record->public_key.size() == 162);
}

TEST_CASE("key record: syntax errors") {
  CHECK(parse_dkim_key("k=rsa; v=DKIM1; p=AAAA").error == "key syntax error: v= is not the first tag");
  CHECK(parse_dkim_key("v=DKIM2; p=AAAA").error == "key syntax error: v=DKIM2 is not DKIM1");
  CHECK(parse_dkim_key("v=DKIM1; k=rsa").error == "key syntax error: no p= tag");
  CHECK(parse_dkim_key("v=DKIM1; p=AA*A").error == "key syntax error: p= is not base64");
  CHECK(parse_dkim_key("v=DKIM1; p=AAAA; p=BBBB").error == "key syntax error: tag p= appears twice");
  CHECK(parse_dkim_key("v=spf1 -all").error == "key syntax error: v=spf1 -all is not DKIM1");
}

TEST_CASE("key record: what makes a key unusable for a signature") {
  auto key = [](std::string text) { return *parse_dkim_key(text).record; };
  CHECK(key_problem(key("v=DKIM1; p="), signature()) == "key revoked (empty p=)");
  CHECK(key_problem(key("k=ed25519; p=AAAA"), signature()) == "key type k=ed25519 does not match a=rsa-sha256");
  CHECK(key_problem(key("k=rsa; p=AAAA"), signature(dkim_algorithm::ed25519_sha256)) ==
        "key type k=rsa does not match a=ed25519-sha256");
  CHECK(key_problem(key("h=sha1; p=AAAA"), signature()) == "the key's h= does not allow sha256");
  CHECK(key_problem(key("s=web; p=AAAA"), signature()) == "the key is not for email (s= lacks email and *)");
  CHECK(key_problem(key("t=s; p=AAAA"), signature(dkim_algorithm::rsa_sha256, "bob@mail.example.org")) ==
        "the key has t=s but i=bob@mail.example.org is a subdomain of d=example.org");
  CHECK(key_problem(key("t=s; p=AAAA"), signature(dkim_algorithm::rsa_sha256, "bob@example.org")).empty());
  CHECK(key_problem(key("h=sha256:sha1; s=email; p=AAAA"), signature()).empty());
  CHECK(key_query_name("S1", "Example.ORG.") == "s1._domainkey.example.org");
  CHECK(format_dkim_key("ed25519", "AAAA") == "v=DKIM1; k=ed25519; p=AAAA");
}

TEST_CASE("key record: white space anywhere inside p= is ignored") {
  // §3.6.1: p= is base64string, which allows FWS between characters.
  const auto& text = sim::auth::test::rfc8463_rsa_record;
  const auto want = parse_dkim_key(text).record->public_key;
  for (std::size_t at = text.find("p=") + 2; at <= text.size(); ++at) {
    const std::string spaced = text.substr(0, at) + " \t" + text.substr(at);
    auto got = parse_dkim_key(spaced);
    INFO(at);
    REQUIRE(got.record);
    CHECK(got.record->public_key == want);
  }
}

TEST_CASE("key record: every cut and byte mutation parses or gives a key syntax error") {
  sim::auth::test::for_each_mutation("v=DKIM1; k=rsa; h=sha256; t=y; p=MIGfMA0GCSqGSIb3", [](const std::string& input) {
    dkim_key_parse got;
    REQUIRE_NOTHROW(got = parse_dkim_key(input));
    if (!got.record) CHECK(got.error.rfind("key syntax error: ", 0) == 0);
  });
}
