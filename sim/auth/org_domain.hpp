// sim/auth/org_domain.hpp - organizational domains (RFC 7489 §3.2).
//
// Sans-I/O.  The Public Suffix List is the one Debian's libpsl carries
// built in (psl_builtin()), so the answer is the same on every machine with
// that package; libpsl stays inside org_domain.cpp.
#pragma once

#include <string>
#include <string_view>

namespace sim::auth {

// The public suffix plus one label: "mail.example.co.uk" -> "example.co.uk",
// "a.b.sender.test" -> "sender.test" (an unlisted TLD counts as a suffix,
// the PSL's "*" rule).  A name that is itself a public suffix is its own
// organizational domain.  Input is normalised (lower case, no final dot).
std::string organizational_domain(std::string_view domain);

// Whether the name is a public suffix ("co.uk", "com").
bool is_public_suffix(std::string_view domain);

}  // namespace sim::auth
