// sim/auth/crypto_openssl.hpp - OpenSSL handles for crypto.cpp and keygen.cpp only.
//
// Private to the crypto part: no header of sim/auth includes it, so no
// other code sees OpenSSL.
#pragma once

#include <memory>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "sim/auth/crypto.hpp"

namespace sim::auth {

struct pkey_free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct pkey_ctx_free {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct md_ctx_free {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct bn_free {
  void operator()(BIGNUM* p) const { BN_clear_free(p); }
};
struct bn_ctx_free {
  void operator()(BN_CTX* p) const { BN_CTX_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_free>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_free>;
using bn_ptr = std::unique_ptr<BIGNUM, bn_free>;
using bn_ctx_ptr = std::unique_ptr<BN_CTX, bn_ctx_free>;

struct private_key::impl {
  pkey_ptr key;
  dkim_algorithm algorithm = dkim_algorithm::rsa_sha256;
};

// Wraps an EVP_PKEY that holds an RSA or Ed25519 private key.
private_key make_private_key(pkey_ptr key, dkim_algorithm algorithm);

}  // namespace sim::auth
