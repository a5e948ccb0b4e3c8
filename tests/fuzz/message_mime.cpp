// message_mime: sim/message's MIME pieces: Content-Type and Content-Disposition
// values, multipart bodies, base64, quoted-printable, boundaries.
//
// Input: one line (a header field value, also a boundary), then a body.
//
// Invariants: a parsed Content-Type has a lower-case type and subtype and
// lower-case parameter names, and parameter() finds each; a disposition has
// a lower-case type; every part split_multipart() returns lies inside the
// body, in order, without overlap; base64 decodes what it encodes at any
// line length, and decoding is deterministic; quoted-printable decoding
// grows the text by at most a CR per line; make_boundary() gives a string
// absent from the content.
#include <algorithm>
#include <string>

#include "sim/message/mime.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::message;

namespace {

bool lower_case(std::string_view s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return false;
  return true;
}

void check_types(std::string_view value) {
  if (auto ct = parse_content_type(value)) {
    fuzz::check(!ct->type.empty() && !ct->subtype.empty(), "a content type has a type and a subtype", value);
    fuzz::check(lower_case(ct->type) && lower_case(ct->subtype), "type and subtype in lower case", value);
    for (const auto& [name, v] : ct->parameters) {
      fuzz::check(lower_case(name), "parameter names in lower case", value);
      fuzz::check(ct->parameter(name).has_value(), "parameter() finds every parameter", name);
    }
  }
  if (auto cd = parse_content_disposition(value)) {
    fuzz::check(!cd->type.empty() && lower_case(cd->type), "a disposition type in lower case", value);
    for (const auto& p : cd->parameters) fuzz::check(lower_case(p.first), "parameter names in lower case", value);
  }
}

void check_multipart(std::string_view body, std::string_view boundary) {
  const char* last_end = body.data();
  for (std::string_view part : split_multipart(body, boundary)) {
    fuzz::check(part.data() >= last_end && part.data() + part.size() <= body.data() + body.size(),
                "parts lie inside the body, in order");
    last_end = part.data() + part.size();
  }
}

void check_codecs(std::string_view bytes) {
  for (std::size_t line : {std::size_t{0}, std::size_t{4}, base64_line_length}) {
    std::string encoded = base64_encode(bytes, line);
    fuzz::check(base64_decode(encoded) == std::string(bytes), "base64 decodes what it encodes");
  }
  if (auto once = base64_decode(bytes)) fuzz::check(base64_decode(bytes) == once, "base64 decoding is deterministic");
  std::size_t line_ends = static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n'));
  fuzz::check(quoted_printable_decode(bytes).size() <= bytes.size() + line_ends,
              "quoted-printable grows by at most a CR per line");
  std::string boundary = make_boundary(bytes.substr(0, 16), bytes);
  fuzz::check(bytes.find(boundary) == std::string_view::npos, "a boundary never appears in the content", boundary);
  if (bytes.size() >= 2) (void)decode_hex_pair(bytes.substr(0, 2));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::string_view value = in.until('\n');
  std::string_view body = in.rest();
  check_types(value);
  check_multipart(body, value);
  check_codecs(body);
  return 0;
}
