// sim/imap/command_reader.cpp - cut the client's bytes into whole IMAP commands.
#include "sim/imap/command_reader.hpp"

#include <algorithm>
#include <utility>

#include "sim/imap/parser.hpp"

namespace sim::imap {

namespace {

// Enough of a dropped command to find its tag, and of a dropped line's end
// to see a "{n+}" announcement.
constexpr std::size_t head_size = 64;
constexpr std::size_t tail_size = 32;

std::string_view strip_cr(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

std::string last_octets(std::string_view s) { return std::string(s.substr(s.size() - std::min(s.size(), tail_size))); }

}  // namespace

void command_reader::feed(std::string_view bytes) {
  if (broken_) return;
  compact();
  buffer_.append(bytes);
}

void command_reader::compact() {
  if (pos_ == 0) return;
  buffer_.erase(0, pos_);
  pos_ = 0;
}

void command_reader::reset_command() {
  command_.clear();
  literals_ = 0;
}

void command_reader::accept_literal() {
  if (!waiting_) return;
  waiting_ = false;
  literal_left_ = announced_;
  skipping_literal_ = false;
}

void command_reader::reject_literal() {
  if (!waiting_) return;
  waiting_ = false;
  reset_command();
}

std::optional<reader_event> command_reader::next() {
  while (!waiting_ && !broken_) {
    if (literal_left_ > 0) {
      auto n = static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, pending()));
      if (!skipping_literal_) command_.append(buffer_, pos_, n);
      pos_ += n;
      literal_left_ -= n;
      if (literal_left_ > 0) return std::nullopt;
      continue;
    }
    auto lf = buffer_.find('\n', pos_);
    if (lf == std::string::npos) {
      std::string_view rest(buffer_.data() + pos_, pending());
      if (discarding_) {
        tail_ = last_octets(tail_ + std::string(rest));
        pos_ = buffer_.size();
      } else if (rest.size() + 1 > limits_.line) {
        start_discarding(rest);
      }
      return std::nullopt;
    }
    std::string_view line(buffer_.data() + pos_, lf - pos_);
    pos_ = lf + 1;
    if (!discarding_ && line.size() + 1 > limits_.line) {
      start_discarding(line);
      tail_.clear();
    }
    if (discarding_) {
      auto last = last_octets(tail_ + std::string(line));
      tail_.clear();
      if (auto ev = end_discarded_line(strip_cr(last))) return ev;
      continue;
    }
    if (auto ev = on_line(strip_cr(line))) return ev;
  }
  return std::nullopt;
}

void command_reader::start_discarding(std::string_view line) {
  discarding_ = true;
  head_ = command_.empty() ? std::string(line.substr(0, head_size)) : command_.substr(0, head_size);
  tail_ = last_octets(line);
  pos_ = std::max(pos_, static_cast<std::size_t>(line.data() + line.size() - buffer_.data()));
  reset_command();
}

std::optional<reader_event> command_reader::end_discarded_line(std::string_view last) {
  auto ann = literal_at_end(last);
  if (ann && ann->non_synchronizing) {
    // The client sends these octets whatever we say: skip them, unless
    // there are too many to skip.
    if (ann->size > limits_.literal) {
      broken_ = true;
      return reader_event{reader_event::kind::literal_too_big, head_, ann->size, false};
    }
    skipping_literal_ = true;
    literal_left_ = ann->size;
    return std::nullopt;
  }
  // A synchronizing literal's octets never come: no "+" was sent.
  discarding_ = false;
  return reader_event{reader_event::kind::too_long, std::exchange(head_, {}), 0, false};
}

std::optional<reader_event> command_reader::on_line(std::string_view line) {
  command_.append(line);
  auto ann = literal_at_end(line);
  if (!ann) {
    reader_event ev{reader_event::kind::command, std::move(command_), 0, true};
    reset_command();
    return ev;
  }
  ++literals_;
  bool within = ann->size <= limits_.literal && command_.size() + 2 + ann->size <= limits_.command &&
                literals_ <= limits_.literals;
  command_ += "\r\n";
  if (ann->non_synchronizing) {
    if (!within) {
      broken_ = true;
      return reader_event{reader_event::kind::literal_too_big, command_.substr(0, head_size), ann->size, false};
    }
    literal_left_ = ann->size;
    skipping_literal_ = false;
    return std::nullopt;
  }
  waiting_ = true;
  announced_ = ann->size;
  return reader_event{reader_event::kind::literal_request, command_, ann->size, within};
}

std::optional<raw_line> command_reader::next_line() {
  if (broken_ || waiting_) return std::nullopt;
  auto lf = buffer_.find('\n', pos_);
  if (lf == std::string::npos) {
    if (discarding_ || pending() + 1 > limits_.line) {
      discarding_ = true;
      pos_ = buffer_.size();
    }
    return std::nullopt;
  }
  std::string_view line(buffer_.data() + pos_, lf - pos_);
  pos_ = lf + 1;
  if (discarding_ || line.size() + 1 > limits_.line) {
    discarding_ = false;
    return raw_line{{}, true};
  }
  return raw_line{std::string(strip_cr(line)), false};
}

}  // namespace sim::imap
