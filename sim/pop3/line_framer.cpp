// sim/pop3/line_framer.cpp - cut a byte stream into CRLF-terminated lines.
#include "sim/pop3/line_framer.hpp"

namespace sim::pop3 {

void line_framer::feed(std::string_view bytes) {
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<framed_line> line_framer::next() {
  auto lf = buffer_.find('\n', pos_);
  if (lf == std::string::npos) {
    // The line is already too long once its terminator is counted: stop
    // keeping it, and remember to report it when its end arrives.
    if (discarding_ || pending() + 1 > max_line_) {
      discarding_ = true;
      buffer_.clear();
      pos_ = 0;
    }
    return std::nullopt;
  }
  framed_line out;
  std::size_t length = lf - pos_ + 1;  // with the terminator
  if (discarding_ || length > max_line_) {
    out.too_long = true;
    discarding_ = false;
  } else {
    std::size_t end = lf;
    if (end > pos_ && buffer_[end - 1] == '\r') --end;
    out.text.assign(buffer_, pos_, end - pos_);
  }
  pos_ = lf + 1;
  return out;
}

}  // namespace sim::pop3
