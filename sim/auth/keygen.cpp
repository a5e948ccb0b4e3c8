// sim/auth/keygen.cpp - deterministic Ed25519 and RSA keys (see keygen.hpp).
#include "sim/auth/keygen.hpp"

#include <map>
#include <mutex>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <fmt/format.h>

#include "sim/auth/crypto_openssl.hpp"

namespace sim::auth {

namespace {

constexpr unsigned long rsa_exponent = 65537;

// Odd primes below 8192 for the sieve (trial division before OpenSSL's test).
const std::vector<unsigned>& small_primes() {
  static const std::vector<unsigned> primes = [] {
    std::vector<unsigned> out;
    std::vector<bool> composite(8192, false);
    for (unsigned i = 3; i < composite.size(); i += 2) {
      if (composite[i]) continue;
      out.push_back(i);
      for (unsigned j = i * i; j < composite.size(); j += 2 * i) composite[j] = true;
    }
    return out;
  }();
  return primes;
}

// An odd seeded candidate of exactly `bits` bits with the top two set.
bn_ptr seeded_candidate(hash_drbg& drbg, int bits) {
  auto raw = drbg.bytes(static_cast<std::size_t>(bits / 8));
  raw.front() = static_cast<char>(static_cast<unsigned char>(raw.front()) | 0xC0);
  raw.back() = static_cast<char>(static_cast<unsigned char>(raw.back()) | 0x01);
  return bn_ptr(BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()), nullptr));
}

// Incremental search upward from a seeded candidate: the first number that
// passes the sieve, has p - 1 prime to e, and passes BN_check_prime().
bn_ptr find_prime(hash_drbg& drbg, int bits, BN_CTX* ctx) {
  const auto& primes = small_primes();
  while (true) {
    bn_ptr base = seeded_candidate(drbg, bits);
    std::vector<unsigned> residues(primes.size());
    for (std::size_t i = 0; i < primes.size(); ++i) residues[i] = static_cast<unsigned>(BN_mod_word(base.get(), primes[i]));
    for (unsigned delta = 0; delta < (1u << 16); delta += 2) {
      bool sieved = false;
      for (std::size_t i = 0; i < primes.size() && !sieved; ++i) sieved = (residues[i] + delta) % primes[i] == 0;
      if (sieved) continue;
      bn_ptr candidate(BN_dup(base.get()));
      BN_add_word(candidate.get(), delta);
      if (BN_num_bits(candidate.get()) != bits) break;
      if (BN_mod_word(candidate.get(), rsa_exponent) == 1) continue;  // gcd(p - 1, e) must be 1
      if (BN_check_prime(candidate.get(), ctx, nullptr) == 1) return candidate;
    }
  }
}

// PKCS#1 §3.2 key parts from p and q, assembled into an EVP_PKEY.
pkey_ptr assemble_rsa(const BIGNUM* p, const BIGNUM* q, BN_CTX* ctx) {
  bn_ptr n(BN_new()), e(BN_new()), d(BN_new()), p1(BN_dup(p)), q1(BN_dup(q)), g(BN_new()), lambda(BN_new());
  bn_ptr dp(BN_new()), dq(BN_new()), qinv(BN_new());
  BN_mul(n.get(), p, q, ctx);
  BN_set_word(e.get(), rsa_exponent);
  BN_sub_word(p1.get(), 1);
  BN_sub_word(q1.get(), 1);
  BN_gcd(g.get(), p1.get(), q1.get(), ctx);
  BN_mul(lambda.get(), p1.get(), q1.get(), ctx);
  BN_div(lambda.get(), nullptr, lambda.get(), g.get(), ctx);  // lcm(p - 1, q - 1)
  BN_mod_inverse(d.get(), e.get(), lambda.get(), ctx);
  BN_mod(dp.get(), d.get(), p1.get(), ctx);
  BN_mod(dq.get(), d.get(), q1.get(), ctx);
  BN_mod_inverse(qinv.get(), q, p, ctx);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_D, d.get());
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p);
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q);
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dp.get());
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dq.get());
  OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv.get());
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(build.get()), OSSL_PARAM_free);
  pkey_ctx_ptr pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!pctx || EVP_PKEY_fromdata_init(pctx.get()) != 1 ||
      EVP_PKEY_fromdata(pctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) != 1)
    return nullptr;
  return pkey_ptr(key);
}

pkey_ptr generate_rsa(std::string_view material, int bits) {
  hash_drbg drbg(fmt::format("mailsim rsa {} {}", bits, material));
  bn_ctx_ptr ctx(BN_CTX_new());
  bn_ptr p = find_prime(drbg, bits / 2, ctx.get());
  while (true) {
    bn_ptr q = find_prime(drbg, bits - bits / 2, ctx.get());
    // FIPS 186-4 B.3.1: |p - q| > 2^(bits/2 - 100), so n is not factored by Fermat's method.
    bn_ptr diff(BN_new());
    BN_sub(diff.get(), p.get(), q.get());
    if (BN_num_bits(diff.get()) <= bits / 2 - 100) continue;
    if (BN_cmp(p.get(), q.get()) < 0) std::swap(p, q);
    return assemble_rsa(p.get(), q.get(), ctx.get());
  }
}

int usable_bits(int bits) {
  bits = std::clamp(bits, 512, 4096);
  return (bits + 15) / 16 * 16;
}

}  // namespace

hash_drbg::hash_drbg(std::string material) : material_(std::move(material)) {}

std::string hash_drbg::bytes(std::size_t count) {
  while (buffer_.size() < count) {
    std::string block = material_;
    for (int shift = 56; shift >= 0; shift -= 8) block += static_cast<char>((counter_ >> shift) & 0xff);
    ++counter_;
    buffer_ += sha256(block);
  }
  std::string out = buffer_.substr(0, count);
  buffer_.erase(0, count);
  return out;
}

std::string key_seed_material(std::uint64_t seed, std::string_view domain, std::string_view selector) {
  return fmt::format("seed={} domain={} selector={}", seed, domain, selector);
}

private_key derive_key(std::string_view material, dkim_algorithm algorithm, int bits) {
  if (algorithm == dkim_algorithm::ed25519_sha256) {
    hash_drbg drbg(fmt::format("mailsim ed25519 {}", material));
    return *private_key::ed25519_from_seed(drbg.bytes(32));
  }
  bits = usable_bits(bits);
  static std::mutex lock;
  static std::map<std::string, private_key> cache;
  const auto name = fmt::format("{} {}", bits, material);
  {
    std::lock_guard<std::mutex> guard(lock);
    if (auto found = cache.find(name); found != cache.end()) return found->second;
  }
  auto key = make_private_key(generate_rsa(material, bits), dkim_algorithm::rsa_sha256);
  std::lock_guard<std::mutex> guard(lock);
  return cache.emplace(name, key).first->second;
}

std::optional<private_key> signer_key(const signer_config& config, std::uint64_t seed, std::string& error) {
  if (!config.private_key_pem)
    return derive_key(key_seed_material(seed, config.domain, config.selector), config.algorithm, config.bits);
  auto key = private_key::from_pem(*config.private_key_pem, error);
  if (key && key->algorithm() != config.algorithm) {
    error = fmt::format("the key is {}, not {}", key_type_name(key->algorithm()), algorithm_name(config.algorithm));
    return std::nullopt;
  }
  return key;
}

}  // namespace sim::auth
