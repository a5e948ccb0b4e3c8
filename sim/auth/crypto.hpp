// sim/auth/crypto.hpp - the cryptography DKIM needs, behind a small interface.
//
// SHA-256, RSA-SHA256 (PKCS#1 v1.5) and Ed25519-SHA256 signing and
// verification, private keys from PEM, and the public key as a DKIM key
// record's p= (RFC 6376 §3.6.1: SubjectPublicKeyInfo for RSA; RFC 8463 §4:
// the raw 32 bytes for Ed25519).  OpenSSL 3 does the work inside
// crypto.cpp; this header shows none of it.  Nothing here throws for bad
// input: keys and signatures that cannot be used are reported.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sim/auth/dkim_result.hpp"

namespace sim::auth {

// The 32-byte SHA-256 digest.
std::string sha256(std::string_view data);

class private_key {
 public:
  // PEM text: "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1), RSA or
  // Ed25519, not encrypted.  nullopt with `error` set otherwise.
  static std::optional<private_key> from_pem(std::string_view pem, std::string& error);
  // RFC 8032 §5.1.5: an Ed25519 key is 32 bytes of seed.
  static std::optional<private_key> ed25519_from_seed(std::string_view seed);

  dkim_algorithm algorithm() const;  // the DKIM algorithm the key signs with
  int bits() const;                  // 2048 for RSA-2048, 256 for Ed25519
  std::string public_key_data() const;  // the bytes of p=
  std::string public_key_base64() const;
  std::string dns_record() const;    // "v=DKIM1; k=rsa; p=..."
  std::string to_pem() const;        // PKCS#8 PEM
  std::string ed25519_seed() const;  // the raw 32 bytes ("" for RSA)

  // A DKIM signature over a SHA-256 digest: RSASSA-PKCS1-v1_5 for RSA
  // (RFC 6376 §3.3.1), Ed25519 over the digest for ed25519-sha256 (RFC 8463 §3).
  std::string sign_digest(std::string_view digest) const;

  struct impl;  // the OpenSSL key (crypto_openssl.hpp)
  explicit private_key(std::shared_ptr<const impl> key);

 private:
  std::shared_ptr<const impl> impl_;
};

struct signature_check {
  enum class status { valid, bad_signature, unusable_key, key_too_small };
  status outcome = status::unusable_key;
  int key_bits = 0;
  std::string error;  // for unusable_key / key_too_small: why
};

// Verifies `signature` over `digest` with the p= bytes of a key record of
// the algorithm's key type.  RSA p= may be SubjectPublicKeyInfo or a bare
// PKCS#1 RSAPublicKey (RFC 6376 §3.6.1 names the latter, practice the
// former); RSA keys under `min_rsa_bits` give key_too_small (RFC 8301 §3.2).
signature_check verify_digest(dkim_algorithm algorithm, std::string_view public_key_data, std::string_view digest,
                              std::string_view signature, int min_rsa_bits = sim::auth::min_rsa_bits);

}  // namespace sim::auth
