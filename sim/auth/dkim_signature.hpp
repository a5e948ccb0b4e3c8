// sim/auth/dkim_signature.hpp - the DKIM-Signature header field (RFC 6376 §3.5).
//
// Sans-I/O.  parse_dkim_signature() reads a field value into its tags and
// checks every one; it never throws.  A signature that cannot be read gives
// `neutral` with a reason (RFC 8601 §2.7.1: "contained syntax errors"); one
// that can be read but not accepted (version, algorithm, i= outside d=,
// From not signed, x= before t=) gives `permerror` (RFC 6376 §6.1.1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/auth/dkim_result.hpp"

namespace sim::auth {

inline constexpr std::string_view dkim_signature_field = "DKIM-Signature";

struct dkim_signature {
  dkim_algorithm algorithm = dkim_algorithm::rsa_sha256;  // a=
  std::string signature;                                  // b=, decoded
  std::string b_text;                                     // b= in base64, white space removed
  std::string body_hash;                                  // bh=, decoded
  canonicalization_pair canon;                            // c= (simple/simple when absent)
  std::string domain;                                     // d=, normalised (lower case)
  std::vector<std::string> signed_headers;                // h=, names as written, in order
  std::string auid;                                       // i=, or "@" + d= when absent
  std::optional<std::uint64_t> body_length;               // l= (saturates at 2^64 - 1)
  std::string selector;                                   // s=, normalised
  std::optional<std::int64_t> timestamp;                  // t=, seconds since the epoch
  std::optional<std::int64_t> expiration;                 // x=
  std::string copied_headers;                             // z=, as written
};

struct dkim_signature_parse {
  std::optional<dkim_signature> signature;
  dkim_result result = dkim_result::none;  // neutral or permerror when signature is empty
  std::string error;                       // why, for people
  // What could be read even from a bad signature, for Authentication-Results.
  std::string domain, selector, b_text;
  std::string algorithm_text;              // a= as written
};

dkim_signature_parse parse_dkim_signature(std::string_view value);

}  // namespace sim::auth
