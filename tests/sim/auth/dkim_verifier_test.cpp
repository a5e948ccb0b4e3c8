// tests/sim/auth/dkim_verifier_test.cpp - signing and verifying whole messages (RFC 6376 §5, §6; RFC 8463).
#include <catch2/catch.hpp>

#include <map>

#include "sim/auth/dkim_signer.hpp"
#include "sim/auth/dkim_verifier.hpp"
#include "sim/auth/keygen.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"
#include "tests/sim/auth/rfc_examples.hpp"

using namespace sim::auth;
namespace ex = sim::auth::test;

namespace {

constexpr std::int64_t now = 1767603600;  // 2026-01-05T09:00:00Z

const std::string plain =
    "From: Alice <alice@sender.test>\r\nTo: bob@example.org\r\nSubject: Hello  there\r\n"
    "Date: Mon, 05 Jan 2026 09:00:00 +0000\r\nMessage-ID: <1@sender.test>\r\n\r\nHi Bob.\r\n\r\n  Bye. \r\n\r\n";

struct zone {
  std::map<std::string, key_lookup> names;
  void publish(const std::string& name, std::string record) {
    names[name].status = key_lookup::outcome::found;
    names[name].records.push_back(std::move(record));
  }
  std::function<key_lookup(const std::string&)> lookup() const {
    return [this](const std::string& name) {
      auto found = names.find(name);
      if (found != names.end()) return found->second;
      return key_lookup{key_lookup::outcome::absent, {}, "NXDOMAIN"};
    };
  }
};

sign_request request_for(dkim_algorithm algorithm, canonicalization_pair canon = {canonicalization::relaxed, canonicalization::relaxed}) {
  signer_config config;
  config.domain = "sender.test";
  config.selector = "s1";
  config.algorithm = algorithm;
  config.canonicalization = canon;
  return make_sign_request(config, now);
}

// The message signed with a derived key, and a zone publishing that key.
std::pair<std::string, zone> signed_message(dkim_algorithm algorithm, const std::string& text = plain,
                                            canonicalization_pair canon = {canonicalization::relaxed, canonicalization::relaxed},
                                            int bits = 1024) {
  const auto key = derive_key("verifier test", algorithm, bits);
  zone z;
  z.publish("s1._domainkey.sender.test", key.dns_record());
  return {add_signature(text, sign_message(text, request_for(algorithm, canon), key)), z};
}

dkim_verification verify_one(const std::string& message, const zone& z, const verify_options& options = {}) {
  auto results = verify_message(message, now, z.lookup(), options);
  REQUIRE(results.size() == 1);
  return results.front();
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("RFC 8463 Appendix A: both signatures of the example verify") {
  zone z;
  z.publish("brisbane._domainkey.football.example.com", ex::rfc8463_ed25519_record);
  z.publish("test._domainkey.football.example.com", ex::rfc8463_rsa_record);
  auto results = verify_message(ex::rfc8463_message, ex::rfc8463_time, z.lookup());
  REQUIRE(results.size() == 2);
  CHECK(results[0].result == dkim_result::pass);
  CHECK(results[0].algorithm == "ed25519-sha256");
  CHECK(results[0].key_bits == 256);
  CHECK(results[1].result == dkim_result::pass);
  CHECK(results[1].key_bits == 1024);
  CHECK(results[1].auid == "@football.example.com");
  // One changed byte of the body breaks both.
  results = verify_message(replace(ex::rfc8463_message, "hungry", "Hungry"), ex::rfc8463_time, z.lookup());
  CHECK(results[0].result == dkim_result::fail);
  CHECK(results[0].reason == "body hash did not verify");
}

TEST_CASE("RFC 8463 Appendix A: signing the message again with the A.1 key gives a signature that verifies") {
  auto key = private_key::ed25519_from_seed(*sim::message::base64_decode(ex::rfc8463_ed25519_private));
  sign_request r;
  r.domain = "football.example.com";
  r.selector = "brisbane";
  r.algorithm = dkim_algorithm::ed25519_sha256;
  r.headers = {"from", "to", "subject", "date", "message-id"};
  r.oversigned = {"from", "subject", "date"};
  r.timestamp = ex::rfc8463_time;
  auto signed_field = sign_message(ex::unsigned_example(), r, *key);
  CHECK(signed_field.body_hash == "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
  CHECK(signed_field.signed_headers ==
        std::vector<std::string>{"from", "from", "to", "subject", "subject", "date", "date", "message-id"});
  zone z;
  z.publish("brisbane._domainkey.football.example.com", ex::rfc8463_ed25519_record);
  const auto message = add_signature(ex::unsigned_example(), signed_field);
  CHECK(verify_one(message, z).result == dkim_result::pass);
}

TEST_CASE("sign then verify: both algorithms, every canonicalization, CRLF and LF messages") {
  using enum canonicalization;
  for (auto algorithm : {dkim_algorithm::rsa_sha256, dkim_algorithm::ed25519_sha256})
    for (auto h : {simple, relaxed})
      for (auto b : {simple, relaxed})
        for (const auto& text : {plain, sim::message::to_lf(plain), std::string("From: a@sender.test\r\n\r\n")}) {
          auto [message, z] = signed_message(algorithm, text, {h, b});
          const auto got = verify_one(message, z);
          INFO(algorithm_name(algorithm) << " " << canonicalization_text({h, b}));
          CHECK(got.result == dkim_result::pass);
          CHECK(got.reason.empty());
          CHECK(got.domain == "sender.test");
          CHECK(got.selector == "s1");
          CHECK(got.key_name == "s1._domainkey.sender.test");
        }
}

TEST_CASE("relaxed survives white space and folding changes, simple does not") {
  using enum canonicalization;
  auto [relaxed_msg, z1] = signed_message(dkim_algorithm::ed25519_sha256, plain, {relaxed, relaxed});
  auto changed = replace(replace(relaxed_msg, "Subject: Hello  there", "subject:   Hello\r\n\tthere "), "  Bye. ", " Bye.");
  CHECK(verify_one(changed, z1).result == dkim_result::pass);
  auto [simple_msg, z2] = signed_message(dkim_algorithm::ed25519_sha256, plain, {simple, simple});
  auto got = verify_one(replace(simple_msg, "  Bye. ", " Bye."), z2);
  CHECK(got.result == dkim_result::fail);
  CHECK(got.reason == "body hash did not verify");
  got = verify_one(replace(simple_msg, "Subject: Hello  there", "Subject: Hello there"), z2);
  CHECK(got.result == dkim_result::fail);
  CHECK(got.reason == "signature did not verify");
}

TEST_CASE("what breaks a signature, and the reason given") {
  auto [message, z] = signed_message(dkim_algorithm::rsa_sha256);
  CHECK(verify_one(replace(message, "Subject: Hello", "Subject: [list] Hello"), z).reason == "signature did not verify");
  // From is oversigned: a second From cannot be added.
  CHECK(verify_one(replace(message, "To: bob", "From: mallory@evil.test\r\nTo: bob"), z).result == dkim_result::fail);
  // A field not in h= may be added.
  CHECK(verify_one(replace(message, "To: bob", "X-Added: yes\r\nTo: bob"), z).result == dkim_result::pass);
  // Trace fields on top do not matter.
  CHECK(verify_one("Received: from x by y\r\n" + message, z).result == dkim_result::pass);
}

TEST_CASE("key problems: none, revoked, wrong type, syntax, too small, DNS failure") {
  auto [message, z] = signed_message(dkim_algorithm::rsa_sha256);
  auto check = [&](key_lookup lookup, dkim_result result, const std::string& reason) {
    zone changed;
    changed.names["s1._domainkey.sender.test"] = std::move(lookup);
    const auto got = verify_one(message, changed);
    CHECK(got.result == result);
    CHECK(got.reason == reason);
  };
  using o = key_lookup::outcome;
  check({o::absent, {}, "NXDOMAIN"}, dkim_result::permerror, "no key for signature: NXDOMAIN for s1._domainkey.sender.test");
  check({o::absent, {}, "no TXT record"}, dkim_result::permerror,
        "no key for signature: no TXT record for s1._domainkey.sender.test");
  check({o::failed, {}, "SERVFAIL"}, dkim_result::temperror, "key lookup failed: SERVFAIL for s1._domainkey.sender.test");
  check({o::failed, {}, "timeout"}, dkim_result::temperror, "key lookup failed: timeout for s1._domainkey.sender.test");
  check({o::found, {"v=DKIM1; k=rsa; p="}, ""}, dkim_result::permerror, "key revoked (empty p=)");
  check({o::found, {"v=DKIM1; k=ed25519; p=AAAA"}, ""}, dkim_result::permerror,
        "key type k=ed25519 does not match a=rsa-sha256");
  check({o::found, {"v=DKIM1; p"}, ""}, dkim_result::permerror,
        "key syntax error: \"p\" is not tag=value at s1._domainkey.sender.test");
  check({o::found, {"v=DKIM1; k=rsa; p=AAAA"}, ""}, dkim_result::permerror, "p= is not an RSA public key");
  // The first record that parses is used.
  check({o::found, {"v=spf1 -all", z.names["s1._domainkey.sender.test"].records[0]}, ""}, dkim_result::pass, "");
  auto [small_message, small_zone] = signed_message(dkim_algorithm::rsa_sha256, plain, {}, 512);
  const auto got = verify_one(small_message, small_zone);
  CHECK(got.result == dkim_result::policy);
  CHECK(got.reason == "RSA key too small (512 bits; at least 1024 required, RFC 8301)");
}

TEST_CASE("x= in the past: expired, t=y keys are noted") {
  const auto key = derive_key("verifier test", dkim_algorithm::ed25519_sha256);
  auto r = request_for(dkim_algorithm::ed25519_sha256);
  r.expiration = now - 1;
  r.timestamp = now - 100;
  const auto message = add_signature(plain, sign_message(plain, r, key));
  zone z;
  z.publish("s1._domainkey.sender.test", key.dns_record() + "; t=y");
  auto got = verify_one(message, z);
  CHECK(got.result == dkim_result::permerror);
  CHECK(got.reason == "signature expired at 2026-01-05T08:59:59Z (x=1767603599)");
  r.expiration = now + 3600;
  got = verify_one(add_signature(plain, sign_message(plain, r, key)), z);
  CHECK(got.result == dkim_result::pass);
  CHECK(got.key_testing);
}

TEST_CASE("l=: appended content gives policy unless accepted, l= past the body is permerror") {
  const auto key = derive_key("verifier test", dkim_algorithm::ed25519_sha256);
  auto r = request_for(dkim_algorithm::ed25519_sha256);
  r.body_length = 9;  // "Hi Bob.\r\n" of "Hi Bob.\r\n\r\n Bye.\r\n" (relaxed)
  const auto message = add_signature(plain, sign_message(plain, r, key));
  zone z;
  z.publish("s1._domainkey.sender.test", key.dns_record());
  auto got = verify_one(message, z);
  CHECK(got.result == dkim_result::policy);
  CHECK(got.reason == "l=9 leaves 9 of 18 body bytes unsigned");
  verify_options accept;
  accept.accept_partial_body = true;
  CHECK(verify_one(message, z, accept).result == dkim_result::pass);
  CHECK(verify_one(message + "Appended by a list.\r\n", z, accept).result == dkim_result::pass);
  r.body_length = 1000;
  got = verify_one(add_signature(plain, sign_message(plain, r, key)), z);
  CHECK(got.result == dkim_result::permerror);
  CHECK(got.reason == "l=1000 is longer than the body (18 bytes after canonicalization)");
}

TEST_CASE("no signature, a malformed one, and more signatures than checked") {
  zone z;
  CHECK(verify_message(plain, now, z.lookup()).empty());
  auto got = verify_one("DKIM-Signature: v=1; a=rsa-sha256; d=sender.test; s=s1\r\n" + plain, z);
  CHECK(got.result == dkim_result::neutral);
  CHECK(got.reason == "malformed signature: the signature has no b= tag");
  CHECK(got.domain == "sender.test");
  auto [message, zz] = signed_message(dkim_algorithm::ed25519_sha256);
  verify_options options;
  options.max_signatures = 1;
  auto results = verify_message(message.substr(0, message.find("From:")) + message, now, zz.lookup(), options);
  REQUIRE(results.size() == 2);
  CHECK(results[0].result == dkim_result::pass);
  CHECK(results[1].result == dkim_result::neutral);
  CHECK(results[1].reason == "not checked: only the first 1 signatures are verified");
}

TEST_CASE("signatures are byte-identical for the same key, message and time") {
  auto [a, za] = signed_message(dkim_algorithm::rsa_sha256);
  auto [b, zb] = signed_message(dkim_algorithm::rsa_sha256);
  CHECK(a == b);
  auto [c, zc] = signed_message(dkim_algorithm::ed25519_sha256);
  auto [d, zd] = signed_message(dkim_algorithm::ed25519_sha256);
  CHECK(c == d);
}
