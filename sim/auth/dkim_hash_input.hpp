// sim/auth/dkim_hash_input.hpp - what a DKIM signature covers (RFC 6376 §3.7, §5.4).
//
// Sans-I/O, shared by signing and verifying: header selection bottom-up
// with oversigning, the b= value blanked as written, the body cut at l=.
// Nothing here hashes; these functions return the bytes to hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/auth/dkim_result.hpp"
#include "sim/message/message.hpp"

namespace sim::auth {

// The message as DKIM reads it: every line end made CRLF first (SMTP's
// form, RFC 6376 §5.3), then split into fields and body.
message::message dkim_view(std::string_view raw);

// §5.4.2: for each name in `names`, the last field of that name not yet
// chosen (bottom-up); a name with no field left chooses nothing, which is
// how oversigning keeps a field from being added later.  `skip` (the
// DKIM-Signature being verified) is never chosen.
std::vector<const message::field*> select_headers(const std::vector<message::field>& fields,
                                                  const std::vector<std::string>& names,
                                                  const message::field* skip = nullptr);

// §3.7: a DKIM-Signature value with the value of b= (and the white space
// around it) removed, everything else exactly as written.  Unchanged when
// the value is not a tag-list or has no b=.
std::string blank_b_value(std::string_view raw_value);

// §3.7: the selected fields canonicalized, then the DKIM-Signature field
// (its name as written, `signature_raw_value` already blanked) canonicalized
// without its final CRLF.
std::string header_hash_input(const std::vector<const message::field*>& selected, canonicalization c,
                              std::string_view signature_name, std::string_view signature_raw_value);

struct body_input {
  std::string data;                   // the canonical body, cut at l= when given
  std::uint64_t canonical_length = 0; // the whole canonical body's length
};
body_input body_hash_input(std::string_view body, canonicalization c, std::optional<std::uint64_t> length);

}  // namespace sim::auth
