// sim/smtp/dot_stuffer.hpp - the client side of DATA: content to wire form (sans-I/O).
//
// Bare LFs become CRLF (RFC 5321 2.3.8), a line starting with "." gets one
// more (RFC 5321 4.5.2), the last line gets its CRLF, and ".\r\n" ends it.
// data_reader undoes exactly this: reading stuff(x) gives normalize(x).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sim::smtp {

struct stuffed_content {
  std::string wire;            // what goes after the 354, terminator included
  std::uint64_t bytes = 0;     // octets of the normalized content (RFC 1870 SIZE counts these)
  std::uint64_t lines = 0;     // its lines
  bool eight_bit = false;      // an octet above 127 appears (RFC 6152 BODY=8BITMIME)
};

stuffed_content dot_stuff(std::string_view content);
// What dot_stuff() would count (bytes, lines, eight_bit), without building
// the wire form: a large message is not copied just to learn its SIZE.
stuffed_content measure_content(std::string_view content);
// The content as the receiver will store it: CRLF line ends, last line ended.
std::string normalize_content(std::string_view content);

}  // namespace sim::smtp
