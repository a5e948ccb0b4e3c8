// sim/message/mime.hpp - the MIME subset mailsim needs (RFC 2045, RFC 2046).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/message/message.hpp"

namespace sim::message {

// RFC 2045 section 6.8: encoded lines are at most 76 characters.
inline constexpr std::size_t base64_line_length = 76;
// Multipart nesting deeper than this is not looked into (a bound, not an RFC limit).
inline constexpr int max_mime_depth = 16;

struct content_type {
  std::string type;     // lower case ("multipart")
  std::string subtype;  // lower case ("mixed")
  std::vector<std::pair<std::string, std::string>> parameters;  // names lower case, values unquoted

  std::string mime_type() const { return type + "/" + subtype; }
  bool is_multipart() const { return type == "multipart"; }
  std::optional<std::string> parameter(std::string_view name) const;
};

// RFC 2045 section 5.1: `type "/" subtype *(";" parameter)`, values may be
// quoted strings; RFC 822 comments are skipped.  nullopt when malformed.
std::optional<content_type> parse_content_type(std::string_view value);
// The message's Content-Type, or text/plain; charset=us-ascii (RFC 2045 section 5.2).
content_type content_type_of(const message& entity);

// RFC 2183: a Content-Disposition value ("attachment; filename=a.txt").
struct content_disposition {
  std::string type;  // lower case ("inline", "attachment")
  std::vector<std::pair<std::string, std::string>> parameters;  // names lower case, values unquoted
};
// nullopt when the value has no disposition type; comments are skipped.
std::optional<content_disposition> parse_content_disposition(std::string_view value);

// RFC 2046 section 5.1.1: the body parts between "--boundary" lines, each
// without the line end that belongs to the next delimiter.  Preamble and
// epilogue are dropped; an unterminated last part ends at the end of input.
std::vector<std::string_view> split_multipart(std::string_view body, std::string_view boundary);

// A deterministic boundary "=_mailsim_<FNV-1a of seed>", lengthened until
// it appears nowhere in `content` (RFC 2046 section 5.1.1).
std::string make_boundary(std::string_view seed, std::string_view content);

// RFC 2045 section 6.8.  line_length 0 = one line; otherwise lines end in CRLF.
std::string base64_encode(std::string_view bytes, std::size_t line_length = base64_line_length);
// Ignores white space and line breaks; nullopt on any other non-alphabet byte.
std::optional<std::string> base64_decode(std::string_view text);
// RFC 2045 section 6.7: soft line breaks removed, "=XX" decoded, trailing
// white space of lines dropped, malformed "=" kept as written.
std::string quoted_printable_decode(std::string_view text);
// "3D" -> 0x3d; nullopt unless exactly two hex digits.
std::optional<unsigned char> decode_hex_pair(std::string_view two);
// The body decoded per its Content-Transfer-Encoding (7bit, 8bit, binary and
// unknown encodings are returned as they are; base64 skips non-alphabet bytes).
std::string decode_body(const message& entity);

// One MIME entity and, for multipart or message/rfc822, its children.
struct mime_entity {
  message entity;
  std::vector<mime_entity> children;
};
// Parses nested parts down to max_mime_depth levels.
mime_entity parse_mime(std::string_view raw, int depth = 0);

}  // namespace sim::message
