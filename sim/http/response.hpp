// sim/http/response.hpp - responses: status, fields, body, and the SSE stream marker.
//
// Builders for each kind of body the API sends: JSON (RFC 8259), plain text,
// HTML, JSON Lines, RFC 9457 problem documents, and the framing of
// Server-Sent Events (WHATWG HTML section 9.2).  JSON from the simulated
// world may hold any bytes a client sent; invalid UTF-8 is replaced with
// U+FFFD so that every body is valid JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/time.hpp"
#include "sim/http/request.hpp"
#include "sim/http/result.hpp"

namespace sim::http {

using json = nlohmann::ordered_json;

inline constexpr std::string_view json_type = "application/json";
inline constexpr std::string_view problem_type = "application/problem+json";
inline constexpr std::string_view jsonl_type = "application/jsonl";
inline constexpr std::string_view sse_type = "text/event-stream";
inline constexpr std::string_view text_type = "text/plain; charset=utf-8";
inline constexpr std::string_view html_type = "text/html; charset=utf-8";
inline constexpr std::string_view rfc822_type = "message/rfc822";

// After the head of a text/event-stream response, the server streams the
// trace from `since`, ending after `limit` events when there is a limit.
struct trace_follow {
  std::uint64_t since = 0;
  std::optional<std::uint64_t> limit;
};

struct response {
  int status = 200;
  std::vector<header_field> fields;
  std::string body;
  bool close = false;                  // Connection: close after this response
  std::optional<trace_follow> follow;  // the body is a stream of events

  // Replaces every field of that name (case-insensitive) with one.
  void set(std::string_view name, std::string_view value);
  std::optional<std::string_view> field(std::string_view name) const;
};

// RFC 9110 section 15 reason phrases ("" for a code it does not name).
std::string_view reason_phrase(int status);

// RFC 9110 section 5.6.7 IMF-fixdate, for the Date field: "Mon, 05 Jan 2026 09:00:00 GMT".
std::string http_date(sim::wall_time t);

// One JSON text; invalid UTF-8 in strings becomes U+FFFD.
std::string json_text(const json& value);

response json_response(int status, const json& body);
response text_response(int status, std::string body, std::string_view type = text_type);
// RFC 9457: {"type": "about:blank", "title": reason, "status": N, "detail": ...}.
response problem_response(const problem& p);

// One Server-Sent Event: "id: N", one "data:" line per line of `data`
// (a CR, LF or CRLF in it starts a new line), then an empty line.
std::string sse_event(std::uint64_t id, std::string_view data);
// A comment line (": text"), which clients ignore: keeps idle streams alive.
std::string sse_comment(std::string_view text);

}  // namespace sim::http
