// sim/auth/dkim_sign.hpp - the signer's steps (RFC 6376 §5), without the crypto.
//
// Sans-I/O.  Signing is three steps so that hashing and the private key
// stay in the crypto part:
//   1. body_hash_input() (dkim_hash_input.hpp) -> the caller hashes it;
//   2. prepare_signature() -> the field value up to "b=" and the bytes the
//      signature covers;
//   3. finish_signature() -> the whole value with b= folded.
// dkim_signer.hpp does all three with a key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/auth/dkim_result.hpp"
#include "sim/auth/signer_config.hpp"
#include "sim/message/message.hpp"

namespace sim::auth {

struct sign_request {
  std::string domain;    // d=
  std::string selector;  // s=
  dkim_algorithm algorithm = dkim_algorithm::rsa_sha256;
  canonicalization_pair canon{canonicalization::relaxed, canonicalization::relaxed};
  std::vector<std::string> headers = default_signed_headers();  // each present instance is signed
  std::vector<std::string> oversigned = {"From"};               // listed once more than present
  std::int64_t timestamp = 0;                                   // t=
  std::optional<std::int64_t> expiration;                       // x=
  std::optional<std::uint64_t> body_length;                     // l= (the body is cut there)
  std::string identity;                                         // i=; "" writes none
};

// The request for a configured signer at `now` (seconds since the epoch).
sign_request make_sign_request(const signer_config& config, std::int64_t now);

// RFC 5322 §2.1.1: folded lines stay within 78 characters.
inline constexpr std::size_t signature_fold_column = 78;

struct prepared_signature {
  std::string value_prefix;                 // " v=1; a=...; bh=...; b=" (folds are CRLF SP)
  std::size_t column = 0;                   // where the prefix's last line ends
  std::string signing_input;                // the bytes the signature covers (§3.7)
  std::vector<std::string> signed_headers;  // h=, in order
};

// §5.4: every instance of each requested field, bottom-up, and the
// oversigned names once more; then the new field itself with b= empty.
prepared_signature prepare_signature(const message::message& m, const sign_request& request,
                                     std::string_view body_hash);

// The complete field value: the prefix and the base64 signature folded.
std::string finish_signature(const prepared_signature& prepared, std::string_view signature);

}  // namespace sim::auth
