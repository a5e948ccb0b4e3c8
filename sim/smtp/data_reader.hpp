// sim/smtp/data_reader.hpp - reads the DATA content up to <CRLF>.<CRLF> (sans-I/O).
//
// Only CR LF "." CR LF ends the message; the start of the content counts as
// following a CRLF (RFC 5321 4.1.1.4).  No other mix of CR, LF, NUL and "."
// ends it: that is the SMTP smuggling defence (CVE-2023-51764), as in
// Postfix's "require the standard End-of-DATA sequence".  A bare LF is a
// line break and is stored as CRLF (Postfix smtpd_forbid_bare_newline =
// normalize); a bare CR is kept as content.  A leading "." followed by more
// text is removed (dot-unstuffing, RFC 5321 4.5.2).
//
// Text lines over 1000 octets (RFC 5321 4.5.3.1.6) are accepted unchanged,
// as Postfix accepts them; longest_line() reports them to whoever cares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sim::smtp {

class data_reader {
 public:
  // Content beyond `max_stored` octets is counted but not kept, so an
  // oversized message costs no memory; the server then refuses it (552).
  explicit data_reader(std::uint64_t max_stored = UINT64_MAX) : max_stored_(max_stored) {}

  // Consumes bytes up to and including the terminating ".\r\n" (or all of
  // `input`); returns how many.  Bytes after the terminator are left alone.
  std::size_t feed(std::string_view input);
  bool done() const { return state_ == st::done; }
  // Ready for the next message, with room for one as large as the last.
  void reset(std::uint64_t max_stored = UINT64_MAX);

  // The content with CRLF line ends, unstuffed, without the terminator.
  const std::string& content() const { return content_; }
  std::string take_content() { return std::move(content_); }
  std::uint64_t size() const { return size_; }          // octets of content, stored or not
  bool truncated() const { return size_ > content_.size(); }
  std::uint64_t lines() const { return lines_; }        // completed lines
  std::uint64_t longest_line() const { return longest_; }  // octets, without CRLF

 private:
  enum class st { start_crlf, start_lf, mid, mid_cr, dot_crlf, dot_crlf_cr, dot_lf, dot_lf_cr, done };
  std::size_t plain_line(std::string_view rest);
  void put(char c);
  void put_text(std::string_view s);
  void line_break();
  void step(char c);
  void step_mid(char c);

  std::uint64_t max_stored_;
  st state_ = st::start_crlf;
  std::string content_;
  std::uint64_t size_ = 0;
  std::uint64_t lines_ = 0;
  std::uint64_t line_length_ = 0;
  std::uint64_t longest_ = 0;
};

}  // namespace sim::smtp
