// sim/http/response.cpp - response builders and Server-Sent Events framing.
#include "sim/http/response.hpp"

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::http {

void response::set(std::string_view name, std::string_view value) {
  std::erase_if(fields, [&](const header_field& f) { return message::iequals(f.name, name); });
  fields.push_back({std::string(name), std::string(value)});
}

std::optional<std::string_view> response::field(std::string_view name) const {
  for (const auto& f : fields)
    if (message::iequals(f.name, name)) return std::string_view(f.value);
  return std::nullopt;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 431: return "Request Header Fields Too Large";  // RFC 6585 section 5
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "";
  }
}

std::string http_date(sim::wall_time t) {
  auto text = format_rfc5322_date(t);  // "Mon, 05 Jan 2026 09:00:00 +0000": the same form with "+0000"
  text.replace(text.size() - 5, 5, "GMT");
  return text;
}

std::string json_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

response json_response(int status, const json& body) {
  response r;
  r.status = status;
  r.set("Content-Type", json_type);
  r.body = json_text(body) + "\n";
  return r;
}

response text_response(int status, std::string body, std::string_view type) {
  response r;
  r.status = status;
  r.set("Content-Type", type);
  r.body = std::move(body);
  return r;
}

response problem_response(const problem& p) {
  json body = {{"type", "about:blank"}, {"title", reason_phrase(p.status)}, {"status", p.status}, {"detail", p.detail}};
  response r = json_response(p.status, body);
  r.set("Content-Type", problem_type);
  return r;
}

std::string sse_event(std::uint64_t id, std::string_view data) {
  std::string out = fmt::format("id: {}\n", id);
  std::size_t start = 0;
  while (true) {
    auto end = data.find_first_of("\r\n", start);
    out += "data: ";
    out += data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + (data[end] == '\r' && end + 1 < data.size() && data[end + 1] == '\n' ? 2 : 1);
  }
  out += '\n';
  return out;
}

std::string sse_comment(std::string_view text) {
  std::string out = ": ";
  for (char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  out += "\n\n";
  return out;
}

}  // namespace sim::http
