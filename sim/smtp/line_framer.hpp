// sim/smtp/line_framer.hpp - splits a byte stream into SMTP command lines (sans-I/O).
//
// RFC 5321 2.3.8 ends lines with CRLF.  A bare LF is also taken as a line
// end, as Postfix 3.9 does by default (smtpd_forbid_bare_newline =
// normalize).  A line longer than the limit (CRLF included, RFC 5321
// 4.5.3.1.4) is discarded up to its end and reported as `overlong`, so the
// server can answer 500 5.5.2 and carry on with the next line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/smtp/limits.hpp"

namespace sim::smtp {

class line_framer {
 public:
  enum class result { need_more, line, overlong };

  explicit line_framer(std::size_t max_line = limits::command_line) : max_line_(max_line) {}

  // Consumes bytes from the front of `input` up to the end of one line (or
  // all of it).  `consumed` says how many.  On `line`, line() holds the text
  // without its line end.
  result feed(std::string_view input, std::size_t& consumed);
  const std::string& line() const { return line_; }

 private:
  std::size_t max_line_;
  std::string line_;
  bool complete_ = false;
  bool skipping_ = false;
};

}  // namespace sim::smtp
