// sim/smtp/capabilities.hpp - the EHLO keywords (RFC 5321 4.1.1.1) both sides understand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/smtp/reply.hpp"

namespace sim::smtp {

struct capabilities {
  bool pipelining = false;               // RFC 2920
  std::optional<std::uint64_t> size;     // RFC 1870; 0 = no fixed maximum
  bool eight_bit_mime = false;           // RFC 6152
  bool enhanced_status_codes = false;    // RFC 2034
  bool dsn = false;                      // RFC 3461
  bool smtputf8 = false;                 // RFC 6531
  bool starttls = false;                 // RFC 3207
  std::vector<std::string> auth;         // RFC 4954 mechanisms, upper case

  bool offers_auth(std::string_view mechanism) const;
};

// Reads the keyword lines of a 250 EHLO reply (every line after the first).
capabilities parse_capabilities(const reply& ehlo);
// The keyword lines a server sends, in Postfix's order.
std::vector<std::string> capability_lines(const capabilities& caps);

}  // namespace sim::smtp
