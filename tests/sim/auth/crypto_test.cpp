// tests/sim/auth/crypto_test.cpp - SHA-256, keys, RSA and Ed25519 (RFC 6376 §3.3, RFC 8463, RFC 8301).
#include <catch2/catch.hpp>

#include "sim/auth/crypto.hpp"
#include "sim/auth/keygen.hpp"
#include "sim/message/mime.hpp"
#include "tests/sim/auth/rfc_examples.hpp"

using namespace sim::auth;
using sim::message::base64_decode;
using sim::message::base64_encode;

TEST_CASE("SHA-256 of the empty body forms (RFC 6376 §3.4.3, §3.4.4)") {
  CHECK(base64_encode(sha256(""), 0) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  CHECK(base64_encode(sha256("\r\n"), 0) == "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
}

TEST_CASE("the RFC 8463 Ed25519 private key gives the published public key") {
  auto key = private_key::ed25519_from_seed(*base64_decode(sim::auth::test::rfc8463_ed25519_private));
  REQUIRE(key);
  CHECK(key->algorithm() == dkim_algorithm::ed25519_sha256);
  CHECK(key->dns_record() == sim::auth::test::rfc8463_ed25519_record);
  CHECK(key->bits() == 256);
  CHECK_FALSE(private_key::ed25519_from_seed("short"));
}

TEST_CASE("keys derived from a seed are the same every time, and differ by signer") {
  const auto material = key_seed_material(1, "sender.test", "s1");
  CHECK(material == "seed=1 domain=sender.test selector=s1");
  const auto ed = derive_key(material, dkim_algorithm::ed25519_sha256);
  CHECK(ed.public_key_data() == derive_key(material, dkim_algorithm::ed25519_sha256).public_key_data());
  CHECK(ed.public_key_data() != derive_key(key_seed_material(1, "sender.test", "s2"), dkim_algorithm::ed25519_sha256)
                                    .public_key_data());
  const auto rsa = derive_key(material, dkim_algorithm::rsa_sha256, 1024);
  CHECK(rsa.bits() == 1024);
  CHECK(rsa.algorithm() == dkim_algorithm::rsa_sha256);
  CHECK(rsa.public_key_data() == derive_key(material, dkim_algorithm::rsa_sha256, 1024).public_key_data());
  CHECK(rsa.public_key_data() != derive_key(key_seed_material(2, "sender.test", "s1"), dkim_algorithm::rsa_sha256, 1024)
                                     .public_key_data());
}

TEST_CASE("derived keys are pinned: the same bytes on every machine") {
  // Fingerprints of the public keys (SHA-256 of p=, base64).  A change here
  // changes every derived key, signature and approved trace.
  const auto material = key_seed_material(42, "example.org", "s1");
  CHECK(base64_encode(sha256(derive_key(material, dkim_algorithm::ed25519_sha256).public_key_data()), 0) ==
        "k1V36+9ddAN6AVVqewz9RMkPP2eaaOtgfuhQs1a2ld4=");
  CHECK(base64_encode(sha256(derive_key(material, dkim_algorithm::rsa_sha256, 2048).public_key_data()), 0) ==
        "PczYGP5PzogxRuqms4YSvgxG8UShTPoiq7Px4z+TH9o=");
  CHECK(derive_key(material, dkim_algorithm::rsa_sha256, 2048).bits() == 2048);
}

TEST_CASE("a signer's key: derived from the seed, or its PEM of the right algorithm") {
  signer_config config;
  config.domain = "sender.test";
  config.selector = "s1";
  config.algorithm = dkim_algorithm::ed25519_sha256;
  std::string error;
  auto key = signer_key(config, 7, error);
  REQUIRE(key);
  CHECK(key->public_key_data() ==
        derive_key(key_seed_material(7, "sender.test", "s1"), dkim_algorithm::ed25519_sha256).public_key_data());
  config.private_key_pem = derive_key("other", dkim_algorithm::ed25519_sha256).to_pem();
  key = signer_key(config, 7, error);
  REQUIRE(key);
  CHECK(key->public_key_data() == derive_key("other", dkim_algorithm::ed25519_sha256).public_key_data());
  config.algorithm = dkim_algorithm::rsa_sha256;
  CHECK_FALSE(signer_key(config, 7, error));
  CHECK(error == "the key is ed25519, not rsa-sha256");
  config.private_key_pem = "not a key";
  CHECK_FALSE(signer_key(config, 7, error));
  CHECK(error == "not an unencrypted PEM private key");
}

TEST_CASE("the hash DRBG: blocks of SHA-256(material || counter), read in any pieces") {
  hash_drbg a("m"), b("m");
  const auto whole = a.bytes(100);
  CHECK(whole.size() == 100);
  std::string pieces = b.bytes(7);
  pieces += b.bytes(60);
  pieces += b.bytes(33);
  CHECK(pieces == whole);
  CHECK(whole.substr(0, 32) == sha256(std::string("m") + std::string(8, '\0')));
}

TEST_CASE("PEM: keys written and read back, both algorithms, bad PEM is an error") {
  for (auto algorithm : {dkim_algorithm::rsa_sha256, dkim_algorithm::ed25519_sha256}) {
    const auto key = derive_key("pem test", algorithm, 1024);
    std::string error;
    auto back = private_key::from_pem(key.to_pem(), error);
    REQUIRE(back);
    CHECK(back->algorithm() == algorithm);
    CHECK(back->public_key_data() == key.public_key_data());
  }
  std::string error;
  CHECK_FALSE(private_key::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", error));
  CHECK(error == "not an unencrypted PEM private key");
  CHECK_FALSE(private_key::from_pem("", error));
}

TEST_CASE("sign and verify digests, a wrong digest, signature or key fails") {
  for (auto algorithm : {dkim_algorithm::rsa_sha256, dkim_algorithm::ed25519_sha256}) {
    const auto key = derive_key("sign test", algorithm, 1024);
    const auto digest = sha256("data");
    const auto signature = key.sign_digest(digest);
    auto ok = verify_digest(algorithm, key.public_key_data(), digest, signature);
    CHECK(ok.outcome == signature_check::status::valid);
    CHECK(verify_digest(algorithm, key.public_key_data(), sha256("other"), signature).outcome ==
          signature_check::status::bad_signature);
    auto broken = signature;
    broken[3] = static_cast<char>(broken[3] ^ 1);
    CHECK(verify_digest(algorithm, key.public_key_data(), digest, broken).outcome ==
          signature_check::status::bad_signature);
    CHECK(verify_digest(algorithm, key.public_key_data(), digest, "").outcome == signature_check::status::bad_signature);
    CHECK(verify_digest(algorithm, "garbage", digest, signature).outcome == signature_check::status::unusable_key);
  }
}

TEST_CASE("RSA: the key in PKCS#1 form is accepted too, small keys are refused") {
  const auto small = derive_key("small", dkim_algorithm::rsa_sha256, 512);
  CHECK(small.bits() == 512);
  const auto digest = sha256("x");
  auto got = verify_digest(dkim_algorithm::rsa_sha256, small.public_key_data(), digest, small.sign_digest(digest));
  CHECK(got.outcome == signature_check::status::key_too_small);
  CHECK(got.error == "RSA key too small (512 bits; at least 1024 required, RFC 8301)");
  CHECK(verify_digest(dkim_algorithm::rsa_sha256, small.public_key_data(), digest, small.sign_digest(digest), 512)
            .outcome == signature_check::status::valid);
  // SubjectPublicKeyInfo of RSA: 19 bytes of header, then a BIT STRING with
  // the RSAPublicKey; a 1024-bit SPKI is 162 bytes, its RSAPublicKey the last 140.
  const auto spki = derive_key("pkcs1", dkim_algorithm::rsa_sha256, 1024).public_key_data();
  REQUIRE(spki.size() == 162);
  const auto key = derive_key("pkcs1", dkim_algorithm::rsa_sha256, 1024);
  CHECK(verify_digest(dkim_algorithm::rsa_sha256, spki.substr(22), digest, key.sign_digest(digest)).outcome ==
        signature_check::status::valid);
  // An Ed25519 key in an RSA record is unusable.
  const auto ed = derive_key("ed", dkim_algorithm::ed25519_sha256);
  got = verify_digest(dkim_algorithm::rsa_sha256, ed.public_key_data(), digest, ed.sign_digest(digest));
  CHECK(got.outcome == signature_check::status::unusable_key);
  CHECK(got.error == "p= is not an RSA public key");
}
