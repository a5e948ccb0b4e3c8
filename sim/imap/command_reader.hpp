// sim/imap/command_reader.hpp - cut the client's bytes into whole IMAP commands.
//
// RFC 9051 §2.2.1: a command is a line, unless it ends with a literal
// announcement "{n}" (synchronizing: the client waits for the server's "+"
// continuation request before sending the n octets) or "{n+}" (RFC 7888
// non-synchronizing: the octets follow at once); after the literal the
// command goes on with another line.  Bytes arrive split anywhere.
//
// The reader never decides policy: for a synchronizing literal it stops
// with a literal_request and waits for accept_literal() (the server sent
// "+") or reject_literal() (it answered NO or BAD instead, so the client
// will not send the octets).  Over-long lines are discarded as they arrive,
// never buffered; a non-synchronizing literal past the limits cannot be
// skipped safely and is reported so that the session can end.
//
// In line mode (next_line) it hands out raw lines: the client's answers
// during AUTHENTICATE, and DONE after IDLE.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/imap/limits.hpp"

namespace sim::imap {

struct reader_limits {
  std::size_t line = limits::command_line;
  std::uint64_t literal = limits::literal_size;
  std::uint64_t command = limits::command_size;
  std::size_t literals = limits::literals_per_command;
};

struct reader_event {
  enum class kind {
    command,          // `text`: one whole command, lines joined by CRLF, literals in place
    literal_request,  // `text`: the command so far; `size`; `within_limits`
    too_long,         // a line past the limit was discarded; `text`: the command's first octets
    literal_too_big,  // a non-synchronizing literal past the limits: end the session
  };
  kind what = kind::command;
  std::string text;
  std::uint64_t size = 0;
  bool within_limits = true;
};

struct raw_line {
  std::string text;  // without CRLF
  bool too_long = false;
};

class command_reader {
 public:
  explicit command_reader(reader_limits limits = {}) : limits_(limits) {}

  void feed(std::string_view bytes);
  std::optional<reader_event> next();
  std::optional<raw_line> next_line();
  void accept_literal();
  void reject_literal();

  bool waiting_for_decision() const { return waiting_; }
  // Octets held: input not yet handed out, and the command being assembled.
  std::size_t buffered() const { return buffer_.size() - pos_ + command_.size(); }
  // True when part of a command has been received (the client is mid-command).
  bool mid_command() const { return !command_.empty() || literal_left_ > 0 || discarding_; }

 private:
  std::optional<reader_event> on_line(std::string_view line);
  // Starts dropping the command whose current line (so far) is `line`.
  void start_discarding(std::string_view line);
  // A dropped line ended with `last` (its final octets).
  std::optional<reader_event> end_discarded_line(std::string_view last);
  void compact();
  std::size_t pending() const { return buffer_.size() - pos_; }
  void reset_command();

  reader_limits limits_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::string command_;
  std::uint64_t literal_left_ = 0;  // octets of the current literal still to come
  bool skipping_literal_ = false;   // ... to be thrown away (a discarded command's)
  std::uint64_t announced_ = 0;     // the synchronizing literal awaiting a decision
  std::size_t literals_ = 0;
  bool waiting_ = false;
  bool discarding_ = false;  // dropping the rest of a command with an over-long line
  std::string head_;         // the dropped command's first octets
  std::string tail_;         // the dropped line's last octets so far (a literal announcement?)
  bool broken_ = false;      // literal_too_big was reported: nothing more is read
};

}  // namespace sim::imap
