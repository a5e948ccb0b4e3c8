// sim/pop3/response.hpp - POP3 responses: status lines and multi-line bodies.
//
// RFC 1939 section 3: a response is a status line ("+OK" or "-ERR", then
// text); a multi-line response continues with lines in which a leading "."
// is doubled ("byte-stuffed") and ends with a line holding only ".".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sim::pop3 {

// "+OK text\r\n" ("+OK\r\n" when text is empty), "-ERR text\r\n".
std::string ok_line(std::string_view text);
std::string err_line(std::string_view text);
// RFC 2449 section 8: "-ERR [CODE] text\r\n".
std::string err_line(std::string_view code, std::string_view text);

// The lines of `content` byte-stuffed and terminated by ".\r\n".  Every LF
// starts a new line (so a bare LF can never smuggle a terminator), and a
// last line without a line end gets CRLF.
std::string multiline_body(std::string_view content);

// RFC 1939 section 7 (TOP): the header, the blank line after it, and the
// first `body_lines` lines of the body (all of them when there are fewer).
// A message with no blank line is all header.
std::string_view top_of(std::string_view content, std::size_t body_lines);

// A status line as a client reads it.
struct status_line {
  bool ok = false;
  std::string code;  // RFC 2449 section 8 response code, "" when none
  std::string text;  // after the status indicator (and code), trimmed of one space
};
// nullopt when the line starts with neither "+OK" nor "-ERR".
std::optional<status_line> parse_status(std::string_view line);

// One line of a multi-line response: nullopt for the terminating ".",
// otherwise the line with its stuffing "." removed.
std::optional<std::string_view> unstuff(std::string_view line);

}  // namespace sim::pop3
