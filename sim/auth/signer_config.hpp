// sim/auth/signer_config.hpp - one DKIM signer of a sending host (scenario key `dkim`).
//
// Sans-I/O.  The scenario loader fills it from `{"domain", "selector",
// "algorithm", "bits", "headers", "canonicalization", "private_key"}` and
// checks it with check_signer_config(); the MTA signs with it.  Without a
// private key PEM the key pair is derived from the scenario's seed
// (keygen.hpp), so the same seed gives the same keys and signatures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/auth/dkim_result.hpp"

namespace sim::auth {

// RFC 6376 §5.4.1: fields that carry the message's meaning; each present
// instance is signed.
std::vector<std::string> default_signed_headers();

struct signer_config {
  std::string domain;    // d=
  std::string selector;  // s=
  dkim_algorithm algorithm = dkim_algorithm::rsa_sha256;
  int bits = 2048;       // RSA only (RFC 8301 §3.2: 1024 at least, 2048 advised)
  std::vector<std::string> headers = default_signed_headers();
  // Signed once more than present (§5.4.2, "oversigning"), so that another
  // instance cannot be added without breaking the signature.
  std::vector<std::string> oversigned = {"From"};
  canonicalization_pair canonicalization{canonicalization::relaxed, canonicalization::relaxed};
  std::optional<std::string> private_key_pem;  // the PEM text; nullopt = derived from the seed
};

// Checks a configuration a scenario gave; "" when usable, otherwise one
// line naming the field ("selector: \"a b\" is not a DNS label").
std::string check_signer_config(const signer_config& config);

// Accepted RSA sizes for keys derived from the seed; 512 is allowed so that
// a scenario can show a verifier refusing a too small key (RFC 8301).
inline constexpr int min_generated_rsa_bits = 512;
inline constexpr int max_generated_rsa_bits = 4096;

}  // namespace sim::auth
