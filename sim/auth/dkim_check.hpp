// sim/auth/dkim_check.hpp - the verifier's steps before and after the key (RFC 6376 §6).
//
// Sans-I/O.  check_signatures() reads every DKIM-Signature field of a
// message, settles the ones that need no key (malformed, expired, too many)
// and prepares the bytes to hash for the others; the caller looks the keys
// up (dkim_verify.hpp, over a dns::resolver) and finishes each one with the
// crypto part (dkim_verifier.hpp).  Nothing here throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/auth/dkim_result.hpp"
#include "sim/auth/dkim_signature.hpp"

namespace sim::auth {

struct verify_options {
  // RFC 6376 §8.2: content after the l= count is not covered by the
  // signature.  Unless accepted, such a signature gives `policy`.
  bool accept_partial_body = false;
  int min_rsa_bits = sim::auth::min_rsa_bits;  // RFC 8301 §3.2
  // RFC 6376 §6.1: verifiers may limit how many signatures they check.
  std::size_t max_signatures = 10;
};

// What a verifier found for one signature (an Authentication-Results dkim=).
struct dkim_verification {
  dkim_result result = dkim_result::none;
  std::string reason;     // for people: "body hash did not verify"; "" for a plain pass
  std::string domain;     // header.d
  std::string selector;   // header.s
  std::string auid;       // header.i
  std::string algorithm;  // header.a
  std::string b_text;     // b= in base64 (header.b is its first characters)
  std::string key_name;   // the key's DNS name
  int key_bits = 0;       // the key's size when one was used
  bool key_testing = false;  // the key record says t=y (RFC 6376 §3.6.1)
  std::vector<std::string> steps;  // what was done, in order, for `mailsim auth`
};

struct dkim_check {
  std::size_t field_index = 0;              // in the message's fields, top to bottom
  std::optional<dkim_signature> signature;  // set while the signature still needs its key
  std::string header_input;                 // the bytes b= covers (§3.7)
  std::uint64_t body_length = 0;            // the whole canonical body's length
  std::size_t body_input_length = 0;        // how much of it the body hash covers (l=)
  dkim_verification verification;           // result set once settled
  bool settled() const { return verification.result != dkim_result::none; }
};

struct dkim_checks {
  std::vector<dkim_check> items;  // one per DKIM-Signature field, top to bottom
  std::string bodies[2];          // the canonical body: [0] simple, [1] relaxed
  bool filled[2] = {false, false};  // which of them was computed (only those a signature uses)
  // The bytes the body hash of `check` covers.
  std::string_view body_input(const dkim_check& check) const;
};

// RFC 6376 §6.1.1 for every DKIM-Signature of `raw` (the message as
// received; line ends are made CRLF first): parse and validate, x= against
// `now` (seconds since the epoch), l= against the body, and the hash inputs.
dkim_checks check_signatures(std::string_view raw, std::int64_t now, const verify_options& options);

// Settles a check: sets its result and reason and adds the reason as a step.
void settle(dkim_check& check, dkim_result result, std::string reason);

}  // namespace sim::auth
