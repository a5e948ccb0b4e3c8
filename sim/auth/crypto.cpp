// sim/auth/crypto.cpp - SHA-256, RSA and Ed25519 over OpenSSL 3's EVP interface.
#include "sim/auth/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <fmt/format.h>

#include "sim/auth/crypto_openssl.hpp"
#include "sim/auth/dkim_key.hpp"
#include "sim/message/mime.hpp"

namespace sim::auth {

namespace {

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// A PEM password callback that declines: an encrypted key is an error, never a prompt.
int no_password(char*, int, int, void*) { return 0; }

pkey_ptr rsa_public_key(std::string_view data) {
  const unsigned char* p = bytes(data);
  pkey_ptr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(data.size())));
  if (key && p == bytes(data) + data.size()) return key;
  p = bytes(data);
  key.reset(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(data.size())));
  if (key && p == bytes(data) + data.size()) return key;
  return nullptr;
}

bool rsa_verify(EVP_PKEY* key, std::string_view digest, std::string_view signature) {
  pkey_ctx_ptr ctx(EVP_PKEY_CTX_new(key, nullptr));
  return ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
         EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1 &&
         EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) == 1 &&
         EVP_PKEY_verify(ctx.get(), bytes(signature), signature.size(), bytes(digest), digest.size()) == 1;
}

bool ed25519_verify(EVP_PKEY* key, std::string_view digest, std::string_view signature) {
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(digest), digest.size()) == 1;
}

signature_check verify_rsa(std::string_view data, std::string_view digest, std::string_view signature, int min_bits) {
  signature_check out;
  auto key = rsa_public_key(data);
  if (!key || !EVP_PKEY_is_a(key.get(), "RSA")) {
    out.error = "p= is not an RSA public key";
    return out;
  }
  out.key_bits = EVP_PKEY_get_bits(key.get());
  if (out.key_bits < min_bits) {
    out.outcome = signature_check::status::key_too_small;
    out.error = fmt::format("RSA key too small ({} bits; at least {} required, RFC 8301)", out.key_bits, min_bits);
    return out;
  }
  out.outcome = rsa_verify(key.get(), digest, signature) ? signature_check::status::valid
                                                          : signature_check::status::bad_signature;
  return out;
}

signature_check verify_ed25519(std::string_view data, std::string_view digest, std::string_view signature) {
  signature_check out;
  // RFC 8463 §4: p= is the 32-byte public key itself.
  pkey_ptr key;
  if (data.size() == 32) key.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(data), data.size()));
  if (!key) {
    out.error = fmt::format("p= is not an Ed25519 public key ({} bytes, 32 expected)", data.size());
    return out;
  }
  out.key_bits = 256;
  out.outcome = ed25519_verify(key.get(), digest, signature) ? signature_check::status::valid
                                                              : signature_check::status::bad_signature;
  return out;
}

}  // namespace

std::string sha256(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), md, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(md), length);
}

private_key::private_key(std::shared_ptr<const impl> key) : impl_(std::move(key)) {}

private_key make_private_key(pkey_ptr key, dkim_algorithm algorithm) {
  auto i = std::make_shared<private_key::impl>();
  i->key = std::move(key);
  i->algorithm = algorithm;
  return private_key(std::move(i));
}

std::optional<private_key> private_key::from_pem(std::string_view pem, std::string& error) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  pkey_ptr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr) : nullptr);
  ERR_clear_error();
  if (!key) {
    error = "not an unencrypted PEM private key";
    return std::nullopt;
  }
  if (EVP_PKEY_is_a(key.get(), "RSA")) return make_private_key(std::move(key), dkim_algorithm::rsa_sha256);
  if (EVP_PKEY_is_a(key.get(), "ED25519")) return make_private_key(std::move(key), dkim_algorithm::ed25519_sha256);
  error = "the key is neither RSA nor Ed25519";
  return std::nullopt;
}

std::optional<private_key> private_key::ed25519_from_seed(std::string_view seed) {
  if (seed.size() != 32) return std::nullopt;
  pkey_ptr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes(seed), seed.size()));
  if (!key) return std::nullopt;
  return make_private_key(std::move(key), dkim_algorithm::ed25519_sha256);
}

dkim_algorithm private_key::algorithm() const { return impl_->algorithm; }
int private_key::bits() const { return EVP_PKEY_get_bits(impl_->key.get()); }

std::string private_key::public_key_data() const {
  if (impl_->algorithm == dkim_algorithm::ed25519_sha256) {
    unsigned char raw[32];
    std::size_t length = sizeof raw;
    EVP_PKEY_get_raw_public_key(impl_->key.get(), raw, &length);
    return std::string(reinterpret_cast<const char*>(raw), length);
  }
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(impl_->key.get(), &der);
  std::string out = length > 0 ? std::string(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length)) : "";
  OPENSSL_free(der);
  return out;
}

std::string private_key::public_key_base64() const { return message::base64_encode(public_key_data(), 0); }

std::string private_key::dns_record() const {
  return format_dkim_key(key_type_name(impl_->algorithm), public_key_base64());
}

std::string private_key::to_pem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PKCS8PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string private_key::ed25519_seed() const {
  if (impl_->algorithm != dkim_algorithm::ed25519_sha256) return {};
  unsigned char raw[32];
  std::size_t length = sizeof raw;
  EVP_PKEY_get_raw_private_key(impl_->key.get(), raw, &length);
  return std::string(reinterpret_cast<const char*>(raw), length);
}

std::string private_key::sign_digest(std::string_view digest) const {
  std::size_t length = 0;
  std::string out;
  if (impl_->algorithm == dkim_algorithm::ed25519_sha256) {
    md_ctx_ptr ctx(EVP_MD_CTX_new());
    EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get());
    EVP_DigestSign(ctx.get(), nullptr, &length, bytes(digest), digest.size());
    out.resize(length);
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length, bytes(digest), digest.size());
  } else {
    pkey_ctx_ptr ctx(EVP_PKEY_CTX_new(impl_->key.get(), nullptr));
    EVP_PKEY_sign_init(ctx.get());
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
    EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256());
    EVP_PKEY_sign(ctx.get(), nullptr, &length, bytes(digest), digest.size());
    out.resize(length);
    EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length, bytes(digest), digest.size());
  }
  out.resize(length);
  return out;
}

signature_check verify_digest(dkim_algorithm algorithm, std::string_view public_key_data, std::string_view digest,
                              std::string_view signature, int min_rsa_bits) {
  auto out = algorithm == dkim_algorithm::rsa_sha256 ? verify_rsa(public_key_data, digest, signature, min_rsa_bits)
                                                     : verify_ed25519(public_key_data, digest, signature);
  ERR_clear_error();  // failures leave entries on OpenSSL's per-thread queue
  return out;
}

}  // namespace sim::auth
