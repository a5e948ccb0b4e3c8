// sim/auth/canonicalization.hpp - DKIM header and body canonicalization (RFC 6376 §3.4).
//
// Sans-I/O, pure functions over text with CRLF line ends (the message as it
// travels in SMTP).  What they return is what gets hashed.
#pragma once

#include <string>
#include <string_view>

#include "sim/auth/dkim_result.hpp"

namespace sim::auth {

// One header field as written, `name` ":" `raw_value` (folds kept, as in
// sim::message::field), canonicalized with its final CRLF (§3.4.1, §3.4.2).
std::string canonicalize_header(canonicalization c, std::string_view name, std::string_view raw_value);

// The body after the empty line (§3.4.3, §3.4.4).  Simple: trailing empty
// lines dropped, an empty body becomes one CRLF.  Relaxed: white space at
// line ends dropped, runs of WSP become one SP, trailing empty lines
// dropped, an empty body stays empty.
std::string canonicalize_body(canonicalization c, std::string_view body);

}  // namespace sim::auth
