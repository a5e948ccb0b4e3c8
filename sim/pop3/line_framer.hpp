// sim/pop3/line_framer.hpp - cut a byte stream into CRLF-terminated lines.
//
// Bytes may arrive split anywhere (TCP), so the framer keeps what it has
// not yet cut.  A bare LF also ends a line (liberal in what we accept); the
// CR before it is dropped.  A line longer than the limit (counting its
// terminator) is discarded up to its end and reported as too long, without
// buffering it.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace sim::pop3 {

struct framed_line {
  std::string text;  // without the line terminator
  bool too_long = false;
};

class line_framer {
 public:
  static constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();

  explicit line_framer(std::size_t max_line = unlimited) : max_line_(max_line) {}

  void feed(std::string_view bytes);
  // The next complete line, or nullopt until more bytes arrive.
  std::optional<framed_line> next();
  // Bytes received and not yet returned as a line.
  std::size_t pending() const { return buffer_.size() - pos_; }

 private:
  std::size_t max_line_;
  std::string buffer_;
  std::size_t pos_ = 0;     // start of the unreturned part of buffer_
  bool discarding_ = false;  // inside an over-long line
};

}  // namespace sim::pop3
