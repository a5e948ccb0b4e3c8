// sim/core/trace_jsonl.hpp - trace events as JSON Lines, written as they happen.
//
// The text is byte for byte what nlohmann::ordered_json::dump() gave when
// events were JSON objects (the approved traces depend on it): no spaces,
// keys in order, integers in decimal, strings escaped as JSON requires and
// invalid UTF-8 replaced by U+FFFD, so a line is valid JSON whatever a
// client sent on the wire.
#pragma once

#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>

#include "sim/core/trace.hpp"

namespace sim {

// Appends a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view text);
// Appends a value as JSON (an absent value as null).
void append_json_value(std::string& out, const trace_value& v);
// Appends one event's line, without the newline.
void append_json_line(std::string& out, const event_view& e);

// A sink writing every event of a trace as one line to a stream.  Lines
// are buffered and flushed in blocks (and when the sink goes).
class jsonl_sink {
 public:
  jsonl_sink(trace& tr, std::ostream& out);
  ~jsonl_sink();
  jsonl_sink(const jsonl_sink&) = delete;
  jsonl_sink& operator=(const jsonl_sink&) = delete;

  void flush();
  std::uint64_t lines() const { return lines_; }

 private:
  trace& trace_;
  std::size_t id_;
  std::ostream& out_;
  std::string buffer_;
  std::uint64_t lines_ = 0;
};

}  // namespace sim
