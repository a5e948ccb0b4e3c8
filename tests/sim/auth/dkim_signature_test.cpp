// tests/sim/auth/dkim_signature_test.cpp - DKIM-Signature tags and their checks (RFC 6376 §3.5).
#include <catch2/catch.hpp>

#include "sim/auth/dkim_signature.hpp"
#include "tests/sim/auth/mutations.hpp"
#include "tests/sim/auth/rfc_examples.hpp"

using namespace sim::auth;

namespace {

const std::string good =
    "v=1; a=rsa-sha256; c=relaxed/simple; d=Example.ORG; s=S1; i=alice@mail.example.org; q=dns/txt; "
    "t=1700000000; x=1700086400; l=120; z=From:alice@example.org; h=From : To:subject; "
    "bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b=F45dVWDf MbQDGHJF\r\n lXUNB2HKfbCeLRyh";

std::string with(std::string_view tag, std::string_view replacement) {
  std::string text = good;
  const auto at = text.find(std::string(tag) + "=");
  REQUIRE(at != std::string::npos);
  const auto end = text.find(';', at);
  text.replace(at, end - at, replacement);
  return text;
}

std::string without(std::string_view tag) {
  std::string text = good;
  const auto at = text.find(std::string(tag) + "=");
  return text.erase(at, text.find(';', at) + 1 - at);
}

}  // namespace

TEST_CASE("DKIM-Signature: every tag read") {
  auto got = parse_dkim_signature(good);
  REQUIRE(got.signature);
  const auto& s = *got.signature;
  CHECK(s.algorithm == dkim_algorithm::rsa_sha256);
  CHECK(s.canon == canonicalization_pair{canonicalization::relaxed, canonicalization::simple});
  CHECK(s.domain == "example.org");
  CHECK(s.selector == "s1");
  CHECK(s.auid == "alice@mail.example.org");
  CHECK(s.timestamp == 1700000000);
  CHECK(s.expiration == 1700086400);
  CHECK(s.body_length == 120u);
  CHECK(s.copied_headers == "From:alice@example.org");
  CHECK(s.signed_headers == std::vector<std::string>{"From", "To", "subject"});
  CHECK(s.body_hash.size() == 32);
  CHECK(s.b_text == "F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyh");
  CHECK(s.signature.size() == 24);
}

TEST_CASE("DKIM-Signature: defaults for c=, i=, q=") {
  auto got = parse_dkim_signature(without("c") + "");
  REQUIRE(got.signature);
  CHECK(got.signature->canon == canonicalization_pair{});
  got = parse_dkim_signature(without("i"));
  REQUIRE(got.signature);
  CHECK(got.signature->auid == "@example.org");
  CHECK(parse_dkim_signature(without("q")).signature);
  got = parse_dkim_signature(with("c", "c=relaxed"));
  CHECK(got.signature->canon == canonicalization_pair{canonicalization::relaxed, canonicalization::simple});
  CHECK(parse_dkim_signature(with("a", "a=ed25519-sha256")).signature->algorithm == dkim_algorithm::ed25519_sha256);
}

TEST_CASE("DKIM-Signature: a missing required tag is a syntax error (neutral)") {
  for (const char* tag : {"v", "a", "b", "bh", "d", "h", "s"}) {
    auto got = parse_dkim_signature(without(tag));
    INFO(tag);
    CHECK_FALSE(got.signature);
    CHECK(got.result == dkim_result::neutral);
    CHECK(got.error == std::string("malformed signature: the signature has no ") + tag + "= tag");
  }
}

TEST_CASE("DKIM-Signature: bad values give neutral or permerror with a reason") {
  struct example {
    std::string tag, value;
    dkim_result result;
    std::string error;
  };
  const std::vector<example> examples = {
      {"v", "v=2", dkim_result::permerror, "unsupported version v=2"},
      {"a", "a=rsa-sha1", dkim_result::permerror, "rsa-sha1 is no longer accepted (RFC 8301)"},
      {"a", "a=rsa-sha512", dkim_result::permerror, "unknown algorithm a=rsa-sha512"},
      {"c", "c=relaxed/fancy", dkim_result::permerror, "unknown canonicalization c=relaxed/fancy"},
      {"q", "q=http/well-known", dkim_result::permerror, "no known query method in q=http/well-known"},
      {"i", "i=alice@example.com", dkim_result::permerror, "i=alice@example.com is not within d=example.org"},
      {"i", "i=alice", dkim_result::neutral, "malformed signature: i=alice is not [local-part]@domain"},
      {"h", "h=to:subject", dkim_result::permerror, "the From field is not signed (h= lacks From)"},
      {"h", "h=from::to", dkim_result::neutral, "malformed signature: h= is not a list of header field names"},
      {"x", "x=1600000000", dkim_result::permerror, "x=1600000000 is not after t=1700000000"},
      {"x", "x=soon", dkim_result::neutral, "malformed signature: x=soon is not a time"},
      {"t", "t=1234567890123", dkim_result::neutral, "malformed signature: t=1234567890123 is not a time"},
      {"l", "l=-1", dkim_result::neutral, "malformed signature: l=-1 is not a number"},
      {"d", "d=exa mple.org", dkim_result::neutral, "malformed signature: d=exa mple.org is not a domain name"},
      {"d", "d=-bad.org", dkim_result::neutral, "malformed signature: d=-bad.org is not a domain name"},
      {"s", "s=a..b", dkim_result::neutral, "malformed signature: s=a..b is not a selector"},
      {"bh", "bh=not*base64", dkim_result::neutral, "malformed signature: bh= is not base64"},
      {"b", "b=abc", dkim_result::neutral, "malformed signature: b= is not base64"},
  };
  for (const auto& e : examples) {
    auto got = parse_dkim_signature(with(e.tag, e.value));
    INFO(e.value);
    CHECK_FALSE(got.signature);
    CHECK(got.result == e.result);
    CHECK(got.error == e.error);
    if (e.tag != "d") CHECK(got.domain == "example.org");  // still read, for Authentication-Results
  }
  auto got = parse_dkim_signature("v=1; a=rsa-sha256; a=rsa-sha256");
  CHECK(got.result == dkim_result::neutral);
  CHECK(got.error == "malformed signature: tag a= appears twice");
}

TEST_CASE("DKIM-Signature: l= saturates rather than overflows") {
  auto got = parse_dkim_signature(with("l", "l=99999999999999999999999999999"));
  REQUIRE(got.signature);
  CHECK(got.signature->body_length == UINT64_MAX);
}

TEST_CASE("DKIM-Signature: folded at every space, the same signature") {
  const auto want = parse_dkim_signature(good);
  sim::auth::test::for_each_fold(good, [&](const std::string& folded, std::size_t at) {
    auto got = parse_dkim_signature(folded);
    INFO(at);
    REQUIRE(got.signature);
    CHECK(got.signature->signed_headers == want.signature->signed_headers);
    CHECK(got.signature->signature == want.signature->signature);
    CHECK(got.signature->domain == want.signature->domain);
  });
}

TEST_CASE("DKIM-Signature: the RFC 8463 fields parse") {
  const auto& text = sim::auth::test::rfc8463_message;
  const auto first = text.find(':') + 1;
  const auto end = text.find("\r\nDKIM-Signature");
  auto got = parse_dkim_signature(text.substr(first, end - first));
  REQUIRE(got.signature);
  CHECK(got.signature->algorithm == dkim_algorithm::ed25519_sha256);
  CHECK(got.signature->signed_headers.size() == 8);
  CHECK(got.signature->signature.size() == 64);
}

TEST_CASE("DKIM-Signature: every cut and byte mutation gives a signature or neutral/permerror, never a throw") {
  sim::auth::test::for_each_mutation(good, [&](const std::string& input) {
    dkim_signature_parse got;
    REQUIRE_NOTHROW(got = parse_dkim_signature(input));
    if (got.signature) {
      CHECK(got.error.empty());
    } else {
      CHECK((got.result == dkim_result::neutral || got.result == dkim_result::permerror));
      CHECK_FALSE(got.error.empty());
    }
  });
}
