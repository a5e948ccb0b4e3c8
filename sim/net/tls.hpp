// sim/net/tls.hpp - what a TLS handshake agreed, and a host's TLS settings.
//
// Plain values, no OpenSSL and no Asio: the sans-I/O protocol cores
// (SMTP STARTTLS, POP3 STLS, IMAP STARTTLS) and the Received field read
// them; live mode fills tls_info from a real handshake, the simulation
// models it from the host's settings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sim::net {

// A server's offer (scenario key `tls`): "off" says nothing of TLS,
// "offer" advertises STARTTLS, "require" also refuses mail and AUTH
// before it (Postfix smtpd_tls_security_level=encrypt, smtpd_tls_auth_only).
enum class tls_mode { off, offer, require };

// A sending host's policy (scenario key `smtp_tls_security_level`, as
// Postfix's): none = never STARTTLS; may = opportunistic, plaintext when
// it fails; encrypt = TLS or defer; verify = TLS with a certificate valid
// for the MX name, or defer.
enum class tls_level { none, may, encrypt, verify };

inline std::optional<tls_mode> parse_tls_mode(std::string_view s) {
  if (s == "off") return tls_mode::off;
  if (s == "offer") return tls_mode::offer;
  if (s == "require") return tls_mode::require;
  return std::nullopt;
}

inline std::optional<tls_level> parse_tls_level(std::string_view s) {
  if (s == "none") return tls_level::none;
  if (s == "may") return tls_level::may;
  if (s == "encrypt") return tls_level::encrypt;
  if (s == "verify") return tls_level::verify;
  return std::nullopt;
}

inline std::string_view tls_level_name(tls_level l) {
  switch (l) {
    case tls_level::none: return "none";
    case tls_level::may: return "may";
    case tls_level::encrypt: return "encrypt";
    case tls_level::verify: return "verify";
  }
  return "none";
}

// A scenario's `tls` fault on a receiving host (scenario key `problem`):
// the handshake fails, or it succeeds with a certificate that has expired or
// names another host (which only a sender that verifies refuses).
enum class tls_problem { handshake, expired, wrong_name };

inline std::optional<tls_problem> parse_tls_problem(std::string_view s) {
  if (s == "handshake") return tls_problem::handshake;
  if (s == "expired") return tls_problem::expired;
  if (s == "wrong_name") return tls_problem::wrong_name;
  return std::nullopt;
}

struct tls_info {
  std::string protocol;  // "TLSv1.3"
  std::string cipher;    // "TLS_AES_256_GCM_SHA384"
  int bits = 0;          // secret bits used
  int alg_bits = 0;      // the algorithm's bits
};

// What the simulation says a handshake agreed (no real crypto in virtual
// time): TLS 1.3 with OpenSSL 3's first TLS 1.3 suite.
inline tls_info simulated_tls() { return tls_info{"TLSv1.3", "TLS_AES_256_GCM_SHA384", 256, 256}; }

// What a client's side of a handshake (SMTP STARTTLS, POP3 STLS, IMAP
// STARTTLS) came to: agreed, or not (`lost`: the connection failed with it;
// else the certificate did not verify), with the reason for `tls.fail`.
struct tls_outcome {
  std::optional<tls_info> agreed;
  bool lost = true;
  std::string reason;
};

// The client's side of a simulated handshake with `peer` (no crypto in
// virtual time): the server's `tls` fault decides, as it does on the
// server's side, so the two agree.  An expired or wrong-name certificate
// only matters to `verify` (Postfix does not check it below).
inline tls_outcome simulated_client_tls(std::optional<tls_problem> problem, tls_level level, std::string_view peer) {
  tls_outcome out;
  if (problem == tls_problem::handshake) {
    out.reason = "handshake failure";
    return out;
  }
  if (problem && level == tls_level::verify) {
    out.lost = false;
    out.reason = problem == tls_problem::expired ? "certificate has expired"
                                                 : "certificate name does not match " + std::string(peer);
    return out;
  }
  out.agreed = simulated_tls();
  return out;
}

}  // namespace sim::net
