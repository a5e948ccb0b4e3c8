// sim/net/tls_certs.hpp - live mode's certificates: one CA and one certificate per host.
//
// `mailsim serve --tls-dir DIR` makes DIR/ca.pem and DIR/ca.key (a CA of
// its own) and DIR/<host>.pem and DIR/<host>.key for every host, with the
// OpenSSL 3 API, or reuses those already there, so that clients verify
// with DIR/ca.pem.  Each host's server context accepts TLS 1.2 and 1.3
// only, and the client's SNI chooses the certificate (RFC 6066 3).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "sim/core/asio.hpp"

namespace sim::net {

struct tls_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class tls_certificates {
 public:
  // Throws tls_error naming the file or step that failed.
  tls_certificates(const std::filesystem::path& dir, const std::vector<std::string>& hosts);
  tls_certificates(const tls_certificates&) = delete;
  tls_certificates& operator=(const tls_certificates&) = delete;

  // The server context of `host` (its certificate unless SNI names another).
  asio::ssl::context& context_for(const std::string& host);
  // How many certificates were made now (the others were reused).
  int made() const { return made_; }

 private:
  std::map<std::string, std::unique_ptr<asio::ssl::context>> contexts_;
  int made_ = 0;
};

}  // namespace sim::net
