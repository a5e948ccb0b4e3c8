// sim/report/event_fields.hpp - reading trace event fields without trusting their types.
//
// A trace file may come from anywhere (an older version, a hand edit), so a
// missing field or one of the wrong type reads as empty, never throws.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/report/report_input.hpp"

namespace sim::report {

inline std::string field_text(const json_event& e, const char* key) {
  auto it = e.find(key);
  if (it == e.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump(-1, ' ', false, json_event::error_handler_t::replace);
}

inline std::int64_t field_int(const json_event& e, const char* key, std::int64_t fallback = 0) {
  auto it = e.find(key);
  if (it == e.end()) return fallback;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_unsigned()) return static_cast<std::int64_t>(it->get<std::uint64_t>() & 0x7fffffffffffffffULL);
  return fallback;
}

inline bool field_bool(const json_event& e, const char* key) {
  auto it = e.find(key);
  return it != e.end() && it->is_boolean() && it->get<bool>();
}

// A string field or an array of strings, as a list.
inline std::vector<std::string> field_list(const json_event& e, const char* key) {
  std::vector<std::string> out;
  auto it = e.find(key);
  if (it == e.end()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (const auto& v : *it) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

inline std::size_t field_list_size(const json_event& e, const char* key) {
  auto it = e.find(key);
  if (it == e.end()) return 0;
  return it->is_array() ? it->size() : it->is_string() ? 1 : 0;
}

}  // namespace sim::report
