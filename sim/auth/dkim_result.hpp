// sim/auth/dkim_result.hpp - DKIM results, algorithms and canonicalizations.
//
// Sans-I/O vocabulary shared by parsing, signing and verifying.  The result
// words are those of Authentication-Results (RFC 8601 §2.7.1); how each RFC
// 6376 failure maps onto them is in sim/auth/README.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/policy/auth_result.hpp"

namespace sim::auth {

// RFC 8601 §2.7.1 (the words are shared with the content filter).
using policy::dkim_result;
using policy::dkim_result_name;

// RFC 6376 §3.3 (rsa-sha256) and RFC 8463 §3 (ed25519-sha256); rsa-sha1 is
// no longer accepted (RFC 8301 §3.1).
enum class dkim_algorithm { rsa_sha256, ed25519_sha256 };
std::string_view algorithm_name(dkim_algorithm algorithm);  // "rsa-sha256", "ed25519-sha256"
std::optional<dkim_algorithm> parse_algorithm(std::string_view text);
// The key type the algorithm needs (k= of the key record): "rsa", "ed25519".
std::string_view key_type_name(dkim_algorithm algorithm);

// RFC 6376 §3.4.
enum class canonicalization { simple, relaxed };
struct canonicalization_pair {
  canonicalization header = canonicalization::simple;
  canonicalization body = canonicalization::simple;
  friend bool operator==(const canonicalization_pair&, const canonicalization_pair&) = default;
};
std::string_view canonicalization_name(canonicalization c);
// "relaxed/simple"; the c= value.
std::string canonicalization_text(canonicalization_pair pair);
// §3.5 c=: "header/body", or one name for the header with simple for the body.
std::optional<canonicalization_pair> parse_canonicalization(std::string_view text);

// RFC 8301 §3.2: verifiers accept RSA keys of at least 1024 bits.
inline constexpr int min_rsa_bits = 1024;

}  // namespace sim::auth
