// sim/auth/domain_name.hpp - domain names as DKIM and DMARC compare them.
//
// Sans-I/O.  Domains compare case-insensitively and without a trailing dot
// (RFC 6376 §3.5 d=, RFC 7489 §3.1 alignment).
#pragma once

#include <string>
#include <string_view>

namespace sim::auth {

// Lower case, no trailing dot.
std::string normalize_domain(std::string_view domain);
// RFC 6376 §3.5 domain-name / selector: dot-separated labels of 1 to 63
// letters, digits, "-" and "_" (underscore as used in DNS names of
// services), at most 253 octets, no label starting or ending with "-".
bool is_domain_name(std::string_view text);
// `name` equals `parent` or ends in "." + parent (both normalised).
bool is_same_or_subdomain(std::string_view name, std::string_view parent);

}  // namespace sim::auth
