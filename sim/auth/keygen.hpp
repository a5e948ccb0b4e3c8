// sim/auth/keygen.hpp - DKIM keys derived from a seed: the same seed, the same key, everywhere.
//
// OpenSSL's own key generation draws from its random pool, so a scenario
// would get new keys (and new signatures, and a new trace) on every run.
// Here every random byte comes from a hash DRBG of our own (SHA-256 over
// the seed material and a counter):
//   - Ed25519: the 32-byte private key is the stream's first 32 bytes
//     (RFC 8032 §5.1.5: any 32 bytes are a key);
//   - RSA: two primes found by incremental search from seeded odd
//     candidates (top two bits set, so n has exactly `bits` bits), each
//     candidate sieved by small primes and tested with OpenSSL's primality
//     test; e = 65537, d = e^-1 mod lcm(p-1, q-1), the CRT values, and the
//     key assembled with OSSL_PARAM / EVP_PKEY_fromdata.
// RSA keys are cached per process (generating one takes tens of
// milliseconds), keyed by everything they are derived from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/auth/crypto.hpp"
#include "sim/auth/dkim_result.hpp"
#include "sim/auth/signer_config.hpp"

namespace sim::auth {

// A deterministic byte stream: block i is SHA-256(material || i as 8
// big-endian bytes).
class hash_drbg {
 public:
  explicit hash_drbg(std::string material);
  std::string bytes(std::size_t count);

 private:
  std::string material_;
  std::uint64_t counter_ = 0;
  std::string buffer_;
};

// The seed material of one signer: the scenario seed and the signer's names,
// so that two signers of one scenario get different keys.
std::string key_seed_material(std::uint64_t seed, std::string_view domain, std::string_view selector);

// The key for `material`: Ed25519, or RSA of `bits` (a multiple of 16 from
// 512 to 4096; others are rounded up to the next multiple of 16 within it).
private_key derive_key(std::string_view material, dkim_algorithm algorithm, int bits = 2048);

// A signer's key: its PEM when the configuration has one, otherwise derived
// from the scenario seed and the signer's names.  nullopt with `error` set
// when the PEM cannot be read or holds a key of another algorithm.
std::optional<private_key> signer_key(const signer_config& config, std::uint64_t seed, std::string& error);

}  // namespace sim::auth
