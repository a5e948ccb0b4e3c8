// tests/fuzz/fuzz.hpp - what every fuzz target shares: reading the input, checking invariants.
//
// A target is one .cpp file defining LLVMFuzzerTestOneInput().  Under
// MAILSIM_FUZZ it links libFuzzer; in the ordinary build the replay driver
// (replay_main.cpp) calls the same function for every file of the target's
// seed corpus and regressions, so the invariants below are checked in both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace fuzz {

// A broken invariant: say which, and abort so that libFuzzer keeps the input.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  if (!detail.empty()) {
    std::string shown(detail.substr(0, 400));
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n') c = '?';
    std::fprintf(stderr, "  %s\n", shown.c_str());
  }
  std::abort();
}

inline void check(bool ok, const char* what, std::string_view detail = {}) {
  if (!ok) fail(what, detail);
}

// The input, read from the front: a few bytes choose options, the rest is
// the stream a peer would send.  Reads past the end give zeros / nothing.
class input {
 public:
  input(const std::uint8_t* data, std::size_t size) : text_(reinterpret_cast<const char*>(data), size) {}

  std::uint8_t byte() { return pos_ < text_.size() ? static_cast<std::uint8_t>(text_[pos_++]) : 0; }
  bool empty() const { return pos_ >= text_.size(); }
  std::size_t left() const { return text_.size() - pos_; }
  // At most n bytes.
  std::string_view take(std::size_t n) {
    std::string_view out = text_.substr(pos_, n);
    pos_ += out.size();
    return out;
  }
  // Up to (not including) the next `stop`, which is consumed.
  std::string_view until(char stop) {
    std::size_t end = text_.find(stop, pos_);
    std::string_view out = text_.substr(pos_, end == std::string_view::npos ? std::string_view::npos : end - pos_);
    pos_ = end == std::string_view::npos ? text_.size() : end + 1;
    return out;
  }
  std::string_view rest() { return take(std::string_view::npos); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Cuts `stream` into pieces whose sizes cycle through a pattern derived
// from `seed`, so that a target can feed the same bytes split differently
// (every parser here must not care where the network split them).
class chunker {
 public:
  chunker(std::string_view stream, std::uint8_t seed) : stream_(stream), seed_(seed) {}
  bool done() const { return pos_ >= stream_.size(); }
  std::string_view next() {
    std::size_t size = 1 + ((seed_ >> (step_++ % 4) * 2) & 3) * ((seed_ & 0x80) ? 7 : 1);
    std::string_view out = stream_.substr(pos_, size);
    pos_ += out.size();
    return out;
  }

 private:
  std::string_view stream_;
  std::uint8_t seed_;
  std::size_t pos_ = 0;
  unsigned step_ = 0;
};

// Case-insensitive "contains", for the targets' scripted decisions.
inline bool contains(std::string_view text, std::string_view word) {
  if (word.size() > text.size()) return false;
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    std::size_t j = 0;
    while (j < word.size() && (text[i + j] | 0x20) == (word[j] | 0x20)) ++j;
    if (j == word.size()) return true;
  }
  return false;
}

}  // namespace fuzz
