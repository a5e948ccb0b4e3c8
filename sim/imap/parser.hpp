// sim/imap/parser.hpp - a cursor over one complete IMAP command or response.
//
// The text is what command_reader (or the client's response reader)
// assembled: lines joined by CRLF, each literal's octets right after the
// "{n}\r\n" or "{n+}\r\n" that announced it.  Every read either consumes
// what it recognised and returns it, or consumes nothing and returns
// nullopt/false; fail() records the first error for the BAD text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sim::imap {

class parser {
 public:
  explicit parser(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  std::size_t position() const { return pos_; }
  void seek(std::size_t pos) { pos_ = pos; }
  std::string_view rest() const { return text_.substr(pos_); }
  // The next character, or '\0' at the end.
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  // Consumes `c` when it comes next.
  bool skip(char c);
  // Exactly one SP (RFC 9051 §9 never allows more).
  bool space();
  // A keyword, case-insensitively, not followed by another atom character.
  bool word(std::string_view keyword);

  std::optional<std::string> atom();
  std::optional<std::string> tag();
  std::optional<std::string> astring();
  // quoted or literal.
  std::optional<std::string> string();
  // NIL (nullopt inside) or a string; the outer nullopt is a syntax error.
  std::optional<std::optional<std::string>> nstring();
  // 1*list-char or a string (LIST patterns, RFC 9051 §6.3.9).
  std::optional<std::string> list_mailbox();
  std::optional<std::string> quoted();
  std::optional<std::string> literal();
  // number (32-bit unsigned) and nz-number; number64 for sizes.
  std::optional<std::uint32_t> number();
  std::optional<std::uint32_t> nz_number();
  std::optional<std::uint64_t> number64();
  // Characters up to (not including) the first of `stops`, or to the end.
  std::string_view until(std::string_view stops);

  // Records the first error; always returns false.
  bool fail(std::string message);
  const std::string& error() const { return error_; }
  bool failed() const { return !error_.empty(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

// The literal announced at the end of `line` ("{12}" or "{12+}"): its size
// (saturating at UINT64_MAX) and whether it is non-synchronizing.
struct literal_announcement {
  std::uint64_t size = 0;
  bool non_synchronizing = false;
};
std::optional<literal_announcement> literal_at_end(std::string_view line);

}  // namespace sim::imap
