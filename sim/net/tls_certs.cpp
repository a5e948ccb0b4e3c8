// sim/net/tls_certs.cpp - a CA and host certificates made with OpenSSL 3, server contexts with SNI.
#include "sim/net/tls_certs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace sim::net {
namespace {

namespace fs = std::filesystem;

struct key_deleter { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct x509_deleter { void operator()(X509* x) const { X509_free(x); } };
struct file_closer { void operator()(FILE* f) const { std::fclose(f); } };
using key_ptr = std::unique_ptr<EVP_PKEY, key_deleter>;
using x509_ptr = std::unique_ptr<X509, x509_deleter>;
using file_ptr = std::unique_ptr<FILE, file_closer>;

[[noreturn]] void fail(const std::string& what) {
  unsigned long e = ERR_get_error();
  char text[256] = "";
  if (e) ERR_error_string_n(e, text, sizeof text);
  throw tls_error(e ? fmt::format("{}: {}", what, text) : what);
}

// A private key file readable by its owner only.
void write_key(const fs::path& path, EVP_PKEY* key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) fail(fmt::format("cannot write {}", path.string()));
  file_ptr f(::fdopen(fd, "w"));
  if (!f) {
    ::close(fd);
    fail(fmt::format("cannot write {}", path.string()));
  }
  if (!PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
    fail(fmt::format("cannot write {}", path.string()));
}

void write_cert(const fs::path& path, X509* cert) {
  file_ptr f(std::fopen(path.c_str(), "w"));
  if (!f || !PEM_write_X509(f.get(), cert)) fail(fmt::format("cannot write {}", path.string()));
}

key_ptr read_key(const fs::path& path) {
  file_ptr f(std::fopen(path.c_str(), "r"));
  key_ptr k(f ? PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!k) fail(fmt::format("cannot read the private key {}", path.string()));
  return k;
}

x509_ptr read_cert(const fs::path& path) {
  file_ptr f(std::fopen(path.c_str(), "r"));
  x509_ptr x(f ? PEM_read_X509(f.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!x) fail(fmt::format("cannot read the certificate {}", path.string()));
  return x;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext || !X509_add_ext(cert, ext, -1)) fail(fmt::format("cannot add extension {}", value));
  X509_EXTENSION_free(ext);
}

// A certificate for `name` (the CA itself when `issuer` is null), valid
// from an hour ago for 825 days (the longest clients accept for a leaf).
x509_ptr make_cert(const std::string& name, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  x509_ptr x(X509_new());
  X509_set_version(x.get(), 2);
  BIGNUM* serial = BN_new();
  BN_rand(serial, 120, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x.get()));
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 825L * 24 * 3600);
  X509_set_pubkey(x.get(), key);
  X509_NAME* subject = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("mailsim"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(name.c_str()), -1,
                             -1, 0);
  X509* signer = issuer ? issuer : x.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(signer));
  add_ext(x.get(), signer, NID_subject_key_identifier, "hash");
  if (!issuer) {
    add_ext(x.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(x.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(x.get(), signer, NID_authority_key_identifier, "keyid:always");
    add_ext(x.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(x.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_ext(x.get(), signer, NID_ext_key_usage, "serverAuth");
    add_ext(x.get(), signer, NID_subject_alt_name, ("DNS:" + name).c_str());
  }
  if (!X509_sign(x.get(), issuer_key ? issuer_key : key, EVP_sha256())) fail("cannot sign the certificate of " + name);
  return x;
}

key_ptr new_key() {
  key_ptr k(EVP_EC_gen("P-256"));
  if (!k) fail("cannot make a P-256 key");
  return k;
}

// RFC 6066 3: the client's server_name picks the host's context.
int choose_by_sni(SSL* ssl, int*, void* arg) {
  auto& contexts = *static_cast<std::map<std::string, std::unique_ptr<asio::ssl::context>>*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (!name) return SSL_TLSEXT_ERR_NOACK;
  std::string wanted(name);
  for (char& c : wanted) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = contexts.find(wanted);
  if (it == contexts.end()) return SSL_TLSEXT_ERR_NOACK;  // the listener's own certificate
  SSL_set_SSL_CTX(ssl, it->second->native_handle());
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

tls_certificates::tls_certificates(const fs::path& dir, const std::vector<std::string>& hosts) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw tls_error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  key_ptr ca_key;
  x509_ptr ca;
  if (fs::exists(dir / "ca.pem") && fs::exists(dir / "ca.key")) {
    ca_key = read_key(dir / "ca.key");
    ca = read_cert(dir / "ca.pem");
  } else {
    ca_key = new_key();
    ca = make_cert("mailsim test CA", ca_key.get(), nullptr, nullptr);
    write_key(dir / "ca.key", ca_key.get());
    write_cert(dir / "ca.pem", ca.get());
  }
  for (const auto& host : hosts) {
    fs::path cert_file = dir / (host + ".pem"), key_file = dir / (host + ".key");
    if (!fs::exists(cert_file) || !fs::exists(key_file)) {
      key_ptr key = new_key();
      x509_ptr cert = make_cert(host, key.get(), ca.get(), ca_key.get());
      write_key(key_file, key.get());
      write_cert(cert_file, cert.get());
      ++made_;
    }
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    // No SSLv3, TLS 1.0 or 1.1 (RFC 8996).
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    if (SSL_CTX_use_certificate_file(ctx->native_handle(), cert_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx->native_handle(), key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx->native_handle()) != 1)
      fail(fmt::format("cannot use {} with {}", cert_file.string(), key_file.string()));
    SSL_CTX_set_tlsext_servername_callback(ctx->native_handle(), choose_by_sni);
    SSL_CTX_set_tlsext_servername_arg(ctx->native_handle(), &contexts_);
    contexts_[host] = std::move(ctx);
  }
}

asio::ssl::context& tls_certificates::context_for(const std::string& host) {
  auto it = contexts_.find(host);
  if (it == contexts_.end()) throw tls_error("no certificate for " + host);
  return *it->second;
}

}  // namespace sim::net
