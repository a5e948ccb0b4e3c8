// sim/http/limits.hpp - what a request may be, and the answer when it is more.
//
// The server reads a request head with a bounded buffer, hands the parsed
// head to check_head() before it reads any body, and reads the body only
// when the head passed.  Every refusal names its status:
//   414 URI Too Long (RFC 9110 section 15.5.15)     the request line is too long
//   431 Request Header Fields Too Large (RFC 6585 section 5)  too many or too large fields
//   413 Content Too Large (RFC 9110 section 15.5.14)  the body is too large
//   400 Bad Request   no Host or several (RFC 9112 section 3.2), a bad Content-Length
//                     (RFC 9112 section 6.3), Content-Length with Transfer-Encoding (section 6.1)
//   417 Expectation Failed (RFC 9110 section 10.1.1)  an Expect other than 100-continue
//   501 Not Implemented (RFC 9112 section 6.1)  a transfer coding other than chunked
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/http/request.hpp"
#include "sim/http/result.hpp"

namespace sim::http {

struct limits {
  // RFC 9112 section 3: a server SHOULD take request lines of at least 8000 octets.
  std::size_t request_line = 8 * 1024;
  std::size_t header_fields = 100;
  // The field lines together, each counted as name ": " value CRLF.
  std::size_t header_bytes = 16 * 1024;
  // A request body (a fault, a send, an expectation list): JSON of a few KB.
  std::size_t body_bytes = 1024 * 1024;

  // What the server may buffer before the head is complete: the request
  // line, the fields and the empty line.
  std::size_t head_bytes() const { return request_line + 2 + header_bytes + 2; }
};

// The server's timers, in real time (live mode only).
struct timeouts {
  std::chrono::milliseconds head{std::chrono::seconds{30}};   // from a request's first byte to its empty line
  std::chrono::milliseconds body{std::chrono::seconds{30}};   // reading the body
  std::chrono::milliseconds idle{std::chrono::seconds{60}};   // keep-alive: waiting for the next request
  std::chrono::milliseconds write{std::chrono::seconds{30}};  // one response, or one batch of events
  std::chrono::milliseconds heartbeat{std::chrono::seconds{15}};  // an SSE comment when nothing happens
};

struct head_verdict {
  std::optional<std::uint64_t> content_length;  // none: no body, or a chunked one
  bool chunked = false;
  bool expect_continue = false;  // answer "100 Continue" before reading the body (RFC 9110 section 10.1.1)
};

// Checks a parsed head (method, target, version, fields; no body yet).
result<head_verdict> check_head(const request& head, const limits& lim);

// The parser's buffer filled before the head ended: 414 when no line end
// came within the request-line limit, else 431.
problem head_overflow(std::string_view buffered, const limits& lim);

}  // namespace sim::http
