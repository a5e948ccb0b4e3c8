// sim/smtp/xtext.hpp - RFC 3461 4 xtext, used by ENVID, ORCPT and AUTH= (sans-I/O).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sim::smtp {

// Octets outside "!".."~", and "+" and "=", become "+XX" (upper-case hex).
std::string xtext_encode(std::string_view raw);
// Nothing when the text is not valid xtext.
std::optional<std::string> xtext_decode(std::string_view text);

}  // namespace sim::smtp
