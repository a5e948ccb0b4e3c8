// sim/http/limits.cpp - checking a request head before its body is read.
#include "sim/http/limits.hpp"

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::http {

namespace {

bool all_digits(std::string_view text) {
  if (text.empty() || text.size() > 18) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// RFC 9112 section 6.3: several Content-Length values must all agree.
result<std::optional<std::uint64_t>> content_length_of(const request& head) {
  std::optional<std::uint64_t> length;
  for (const auto& f : head.fields) {
    if (!message::iequals(f.name, "Content-Length")) continue;
    auto value = message::trim(f.value);
    if (!all_digits(value)) return bad_request("Content-Length is not a number");
    auto n = std::stoull(std::string(value));
    if (length && *length != n) return bad_request("Content-Length given twice with different values");
    length = n;
  }
  return length;
}

}  // namespace

result<head_verdict> check_head(const request& head, const limits& lim) {
  // method SP target SP HTTP/1.1
  std::size_t line = head.method.size() + 1 + head.target.size() + 1 + 8;
  if (line > lim.request_line)
    return problem{414, fmt::format("the request line is {} octets; the limit is {}", line, lim.request_line)};
  if (head.fields.size() > lim.header_fields)
    return problem{431, fmt::format("{} header fields; the limit is {}", head.fields.size(), lim.header_fields)};
  std::size_t bytes = 0;
  for (const auto& f : head.fields) bytes += f.name.size() + 2 + f.value.size() + 2;
  if (bytes > lim.header_bytes)
    return problem{431, fmt::format("the header fields take {} octets; the limit is {}", bytes, lim.header_bytes)};
  if (head.version >= 11 && head.count("Host") != 1) return bad_request("an HTTP/1.1 request needs exactly one Host field");
  head_verdict v;
  auto length = content_length_of(head);
  if (!length) return length.error();
  v.content_length = length.value();
  if (head.count("Transfer-Encoding") > 0) {
    std::string codings;
    for (const auto& f : head.fields)
      if (message::iequals(f.name, "Transfer-Encoding")) codings += (codings.empty() ? "" : ",") + f.value;
    auto last = message::trim(std::string_view(codings).substr(codings.rfind(',') + 1));
    if (!message::iequals(last, "chunked")) return bad_request("the body's length is unknown: chunked is not the last transfer coding");
    if (!message::iequals(message::trim(codings), "chunked")) return problem{501, "the only transfer coding understood is chunked"};
    if (v.content_length) return bad_request("Content-Length and Transfer-Encoding together");
    v.chunked = true;
  }
  if (v.content_length && *v.content_length > lim.body_bytes)
    return problem{413, fmt::format("the body is {} octets; the limit is {}", *v.content_length, lim.body_bytes)};
  if (auto expect = head.field("Expect")) {
    if (!message::iequals(message::trim(*expect), "100-continue")) return problem{417, "the only expectation met is 100-continue"};
    v.expect_continue = true;
  }
  return v;
}

problem head_overflow(std::string_view buffered, const limits& lim) {
  auto end = buffered.find('\n');
  if (end == std::string_view::npos || end > lim.request_line + 1)
    return problem{414, fmt::format("the request line is longer than {} octets", lim.request_line)};
  return problem{431, fmt::format("the header fields are longer than {} octets", lim.header_bytes)};
}

}  // namespace sim::http
