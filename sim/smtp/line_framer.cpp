// sim/smtp/line_framer.cpp - command line framing with the 512-octet limit.
#include "sim/smtp/line_framer.hpp"

namespace sim::smtp {

line_framer::result line_framer::feed(std::string_view input, std::size_t& consumed) {
  if (complete_) {
    line_.clear();
    complete_ = false;
  }
  // The text up to the line end (or the end of the input) in one piece.
  std::size_t lf = input.find('\n');
  std::string_view text = input.substr(0, lf);
  consumed = lf == std::string_view::npos ? input.size() : lf + 1;
  if (!skipping_) {
    // The text may hold max_line - 2 octets; one more is allowed only while
    // it may still be the CR of the line end.
    std::size_t size = line_.size() + text.size();
    if (size > max_line_ - 1 || (size == max_line_ - 1 && !text.empty() && text.back() != '\r')) {
      skipping_ = true;
      line_.clear();
    } else {
      line_.append(text);
    }
  }
  if (lf == std::string_view::npos) return result::need_more;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  complete_ = true;
  if (skipping_) {
    skipping_ = false;
    line_.clear();
    return result::overlong;
  }
  return result::line;
}

}  // namespace sim::smtp
