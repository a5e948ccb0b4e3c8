// sim/smtp/reply.hpp - SMTP replies: the value, its wire form, and an incremental parser.
//
// A reply is a three-digit code, an optional RFC 3463 enhanced status
// (RFC 2034: when present it starts the text of every line) and one or more
// text lines.  `lines` hold the text after the code and the enhanced status.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::smtp {

struct reply {
  int code = 0;
  std::string enhanced;             // "2.1.0", or empty when the reply has none
  std::vector<std::string> lines;   // at least one (possibly empty) text line

  reply() = default;
  // The text is moved in (a braced list would copy it: its elements are const).
  reply(int c, std::string enh, std::string text) : code(c), enhanced(std::move(enh)) {
    lines.reserve(1);
    lines.push_back(std::move(text));
  }
  reply(int c, std::string enh, std::vector<std::string> text)
      : code(c), enhanced(std::move(enh)), lines(std::move(text)) {}

  // The first line's text: what the trace's `text` field shows.
  const std::string& text() const;
  bool positive() const { return code >= 200 && code < 400; }
  bool transient() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500 && code < 600; }
  bool operator==(const reply&) const = default;
};

// Each line as sent, without CRLF: "250-mx.example.org", "250 2.0.0 Ok".
std::vector<std::string> wire_lines(const reply& r);
// Appends the reply as sent (CRLF after each line) to `out`; when `ends`
// is given, the offset in `out` where each line's text ends (before CRLF).
void append_reply(const reply& r, std::string& out, std::vector<std::size_t>* ends = nullptr);
// The whole reply with CRLFs, ready to write.
std::string format_reply(const reply& r);
// "d.d.d" with class 2, 4 or 5, 1-3 digits for subject and detail (RFC 3463 2).
bool is_enhanced_status(std::string_view s);

// Client side: fed arbitrary chunks of server output, yields complete replies.
class reply_parser {
 public:
  enum class status { need_more, complete, malformed };

  // Consumes bytes from the front of `input` up to the end of one complete
  // reply (or everything, if none completes).  Returns what was consumed.
  std::size_t feed(std::string_view input);
  status state() const { return state_; }
  // The completed reply; valid when state() == complete.  Calling take()
  // resets the parser for the next reply.
  reply take();
  const std::string& error() const { return error_; }

 private:
  void end_line();
  status state_ = status::need_more;
  std::string line_;
  reply current_;
  bool started_ = false;
  std::string error_;
};

}  // namespace sim::smtp
