// sim/smtp/data_reader.cpp - end-of-data detection, bare LF normalization, unstuffing.
#include "sim/smtp/data_reader.hpp"

#include <algorithm>

namespace sim::smtp {

// The last message's size is the guess for the next one's (a client tends
// to send alike messages): room for it at once, instead of a dozen
// regrowths of the content as it arrives.  Within 64 KiB: past that the
// regrowths cost little beside the bytes themselves.
void data_reader::reset(std::uint64_t max_stored) {
  constexpr std::uint64_t max_guess = 64 * 1024;
  const std::uint64_t guess = std::min({size_ + size_ / 8, max_stored, max_guess});
  *this = data_reader(max_stored);
  content_.reserve(guess);
}

// A whole line "text CR LF" at the start of a line, whose text neither
// starts with "." nor holds a CR: what the steps below would do, in one go.
// Most lines of most messages are such lines.
std::size_t data_reader::plain_line(std::string_view rest) {
  if (state_ != st::start_crlf && state_ != st::start_lf) return 0;
  if (rest.empty() || rest.front() == '.' || rest.front() == '\r' || rest.front() == '\n') return 0;
  const std::size_t lf = rest.find('\n');
  if (lf == std::string_view::npos || rest[lf - 1] != '\r') return 0;
  const std::string_view text = rest.substr(0, lf - 1);
  if (text.find('\r') != std::string_view::npos) return 0;
  put_text(text);
  line_break();
  state_ = st::start_crlf;
  return lf + 1;
}

std::size_t data_reader::feed(std::string_view input) {
  std::size_t used = 0;
  while (used < input.size() && state_ != st::done) {
    if (std::size_t n = plain_line(input.substr(used))) {
      used += n;
      continue;
    }
    if (state_ == st::mid) {
      // Inside a line only CR and LF matter: the text up to them goes in one piece.
      std::string_view rest = input.substr(used);
      std::size_t stop = std::min(rest.find('\n'), rest.size());
      stop = used + std::min(rest.substr(0, stop).find('\r'), stop);
      if (stop > used) {
        put_text(input.substr(used, stop - used));
        used = stop;
        continue;
      }
    }
    step(input[used++]);
  }
  return used;
}

void data_reader::put(char c) {
  if (size_ < max_stored_) content_ += c;
  ++size_;
  ++line_length_;
}

void data_reader::put_text(std::string_view s) {
  if (size_ < max_stored_) content_.append(s.data(), std::min<std::uint64_t>(s.size(), max_stored_ - size_));
  size_ += s.size();
  line_length_ += s.size();
}

// Every line break is stored as CRLF, whatever arrived.
void data_reader::line_break() {
  longest_ = std::max(longest_, line_length_);
  line_length_ = 0;
  if (size_ + 2 <= max_stored_) content_.append("\r\n", 2);
  else if (size_ < max_stored_) content_ += '\r';  // room for the CR alone
  size_ += 2;
  ++lines_;
}

// Inside a line: CR LF and bare LF break it; a bare CR is content.
void data_reader::step_mid(char c) {
  if (c == '\r') {
    state_ = st::mid_cr;
  } else if (c == '\n') {
    line_break();
    state_ = st::start_lf;
  } else {
    put(c);
    state_ = st::mid;
  }
}

void data_reader::step(char c) {
  switch (state_) {
    case st::start_crlf:
    case st::start_lf:
      if (c == '.') {
        state_ = state_ == st::start_crlf ? st::dot_crlf : st::dot_lf;
        return;
      }
      return step_mid(c);
    case st::mid:
      return step_mid(c);
    case st::mid_cr:
      if (c == '\n') {
        line_break();
        state_ = st::start_crlf;
        return;
      }
      put('\r');  // a bare CR stays content
      return step_mid(c);
    case st::dot_crlf:
    case st::dot_lf:
      if (c == '\r') {
        state_ = state_ == st::dot_crlf ? st::dot_crlf_cr : st::dot_lf_cr;
        return;
      }
      if (c == '\n') {  // a line of one "." ended by a bare LF: content, never the end
        put('.');
        line_break();
        state_ = st::start_lf;
        return;
      }
      return step_mid(c);  // the stuffed dot is dropped
    case st::dot_crlf_cr:
      if (c == '\n') {
        state_ = st::done;  // CRLF "." CRLF
        return;
      }
      put('\r');  // "." CR x: the line has more text, so the dot was stuffing
      return step_mid(c);
    case st::dot_lf_cr:
      if (c == '\n') {  // LF "." CRLF must not end the message (CVE-2023-51764)
        put('.');
        line_break();
        state_ = st::start_crlf;
        return;
      }
      put('\r');
      return step_mid(c);
    case st::done:
      return;
  }
}

}  // namespace sim::smtp
