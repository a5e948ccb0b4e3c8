// sim/smtp/line_framer.cpp - command line framing with the 512-octet limit.
#include "sim/smtp/line_framer.hpp"

namespace sim::smtp {

line_framer::result line_framer::feed(std::string_view input, std::size_t& consumed) {
  if (complete_) {
    line_.clear();
    complete_ = false;
  }
  consumed = 0;
  while (consumed < input.size()) {
    char c = input[consumed++];
    if (c == '\n') {
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      complete_ = true;
      if (skipping_) {
        skipping_ = false;
        line_.clear();
        return result::overlong;
      }
      return result::line;
    }
    if (skipping_) continue;
    line_ += c;
    // The text may hold max_line - 2 octets; one more is allowed only while
    // it may still be the CR of the line end.
    if (line_.size() > max_line_ - 1 || (line_.size() == max_line_ - 1 && c != '\r')) {
      skipping_ = true;
      line_.clear();
    }
  }
  return result::need_more;
}

}  // namespace sim::smtp
