// sim/smtp/base64.hpp - RFC 4648 base64 for SMTP AUTH (RFC 4954 4) (sans-I/O).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sim::smtp {

std::string base64_encode(std::string_view raw);
// Strict: standard alphabet, padding required, no whitespace.  Nothing on error.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace sim::smtp
