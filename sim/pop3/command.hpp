// sim/pop3/command.hpp - POP3 command lines: parse, mask, read numbers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::pop3 {

struct command {
  std::string keyword;   // upper case (RFC 1939 section 3: keywords are case-insensitive)
  std::string argument;  // everything after the first space, as sent
};

// "retr 1" -> {"RETR", "1"}.  The keyword is what precedes the first space.
command parse_command(std::string_view line);

// The arguments of a command separated by single spaces (RFC 1939 section 3);
// an empty argument (two spaces in a row, a trailing space) is kept as "".
std::vector<std::string_view> split_arguments(std::string_view argument);

// A message number or line count: decimal digits only, at most
// limits::max_number_digits of them.
std::optional<std::size_t> parse_number(std::string_view text);

// The line as it may be shown in a trace: the argument of PASS is replaced
// by "********" (trace-format.md: passwords masked).
std::string mask_command(std::string_view line);

}  // namespace sim::pop3
