// sim/core/trace_jsonl.cpp - JSON Lines text of trace events.
#include "sim/core/trace_jsonl.hpp"

#include <charconv>

namespace sim {
namespace {

using json = nlohmann::ordered_json;

template <typename N>
void append_number(std::string& out, N n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

// What nlohmann's serializer writes for an ASCII byte (ensure_ascii off).
void append_escaped_ascii(std::string& out, char c) {
  static constexpr char hex[] = "0123456789abcdef";
  switch (c) {
    case '\b': out += "\\b"; return;
    case '\t': out += "\\t"; return;
    case '\n': out += "\\n"; return;
    case '\f': out += "\\f"; return;
    case '\r': out += "\\r"; return;
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    default: break;
  }
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x1f) {
    const char esc[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xf]};
    out.append(esc, sizeof esc);
  } else {
    out += c;
  }
}

void append_object(std::string& out, std::span<const trace_field> fields) {
  out += '{';
  bool first = true;
  for (const auto& f : fields) {
    if (f.value.absent()) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, f.key);
    out += ':';
    append_json_value(out, f.value);
  }
  out += '}';
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  bool plain = true, ascii = true;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) ascii = false;
    if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') plain = false;
  }
  if (plain) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  if (!ascii) {
    // UTF-8 (valid or not): nlohmann's own decoder decides what is kept
    // and what becomes U+FFFD, exactly as the approved traces have it.
    out += json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  out += '"';
  for (char c : text) append_escaped_ascii(out, c);
  out += '"';
}

void append_json_value(std::string& out, const trace_value& v) {
  using k = trace_value::kind;
  switch (v.type()) {
    case k::absent:
    case k::null: out += "null"; return;
    case k::boolean: out += v.boolean() ? "true" : "false"; return;
    case k::integer: append_number(out, v.integer()); return;
    case k::unsigned_integer: append_number(out, v.unsigned_integer()); return;
    case k::string: append_json_string(out, v.string()); return;
    case k::object: append_object(out, v.fields()); return;
    case k::json: out += v.as_json()->dump(-1, ' ', false, json::error_handler_t::replace); return;
    case k::strings:
    case k::objects:
      out += '[';
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ',';
        append_json_value(out, v[i]);
      }
      out += ']';
      return;
  }
}

void append_json_line(std::string& out, const event_view& e) {
  out += '{';
  for (std::size_t i = 0; i < event_view::common_count; ++i) {
    if (i) out += ',';
    out += '"';
    out += event_view::common_names[i];
    out += "\":";
    append_json_value(out, e.common(static_cast<event_view::common_field>(i)));
  }
  for (const auto& f : e.fields()) {
    if (f.value.absent()) continue;
    out += ',';
    append_json_string(out, f.key);
    out += ':';
    append_json_value(out, f.value);
  }
  out += '}';
}

jsonl_sink::jsonl_sink(trace& tr, std::ostream& out) : trace_(tr), out_(out) {
  id_ = tr.on_event([this](const event_view& e) {
    append_json_line(buffer_, e);
    buffer_ += '\n';
    ++lines_;
    if (buffer_.size() >= 64 * 1024) flush();
  });
}

jsonl_sink::~jsonl_sink() {
  trace_.remove_sink(id_);
  flush();
}

void jsonl_sink::flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

}  // namespace sim
