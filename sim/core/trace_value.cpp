// sim/core/trace_value.cpp - reading and comparing typed trace values.
#include "sim/core/trace_value.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "sim/core/trace_jsonl.hpp"

namespace sim {
namespace {

using json = nlohmann::ordered_json;

// A decimal index ("0", "12"), as dotted paths use them.
std::optional<std::size_t> index_of(std::string_view key) {
  if (key.empty() || key.size() > 9) return std::nullopt;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
  if (ec != std::errc() || end != key.data() + key.size()) return std::nullopt;
  return n;
}

}  // namespace

trace_value trace_value::of_json(const json& j) noexcept {
  switch (j.type()) {
    case json::value_t::null: return nullptr;
    case json::value_t::boolean: return j.get<bool>();
    case json::value_t::number_integer: return j.get<std::int64_t>();
    case json::value_t::number_unsigned: return j.get<std::uint64_t>();
    case json::value_t::string: return std::string_view(j.get_ref<const std::string&>());
    default: return trace_value(j);  // arrays, objects, floats
  }
}

std::int64_t trace_value::integer() const noexcept {
  if (kind_ == kind::integer) return u_.i;
  if (kind_ == kind::unsigned_integer) return static_cast<std::int64_t>(u_.u);
  return 0;
}

std::size_t trace_value::size() const noexcept {
  switch (kind_) {
    case kind::strings:
    case kind::objects: return u_.l.n;
    case kind::json: return u_.j->is_array() || u_.j->is_object() ? u_.j->size() : 0;
    default: return 0;
  }
}

trace_value trace_value::operator[](std::size_t i) const noexcept {
  if (i >= size()) return {};
  switch (kind_) {
    case kind::strings:
      if (views_) return static_cast<const std::string_view*>(u_.l.p)[i];
      return static_cast<const std::string*>(u_.l.p)[i];
    case kind::objects: return static_cast<const trace_object*>(u_.l.p)[i];
    case kind::json: return u_.j->is_array() ? of_json((*u_.j)[i]) : trace_value();
    default: return {};
  }
}

std::span<const trace_field> trace_value::fields() const noexcept {
  if (kind_ != kind::object) return {};
  return {static_cast<const trace_field*>(u_.l.p), u_.l.n};
}

trace_value trace_value::field(std::string_view key) const noexcept {
  if (kind_ == kind::object) {
    for (const auto& f : fields())
      if (f.key == key && !f.value.absent()) return f.value;
    return {};
  }
  if (kind_ == kind::json && u_.j->is_object()) {
    auto it = u_.j->find(key);
    return it == u_.j->end() ? trace_value() : of_json(*it);
  }
  return {};
}

trace_value trace_value::step(std::string_view key) const noexcept {
  if (kind_ == kind::object || (kind_ == kind::json && u_.j->is_object())) return field(key);
  if (kind_ == kind::strings || kind_ == kind::objects || (kind_ == kind::json && u_.j->is_array())) {
    auto i = index_of(key);
    return i ? (*this)[*i] : trace_value();
  }
  return {};
}

// nlohmann::json's equality: numbers compare by value whatever their
// type; everything nested is compared as JSON.
bool trace_value::equals(const json& want) const {
  switch (kind_) {
    case kind::absent: return false;
    case kind::null: return want.is_null();
    case kind::boolean: return want.is_boolean() && want.get<bool>() == u_.b;
    case kind::string: return want.is_string() && want.get_ref<const std::string&>() == string();
    case kind::json: return *u_.j == want;
    case kind::integer:
      if (want.is_number_unsigned()) return u_.i >= 0 && static_cast<std::uint64_t>(u_.i) == want.get<std::uint64_t>();
      if (want.is_number_integer()) return u_.i == want.get<std::int64_t>();
      return want.is_number_float() && static_cast<double>(u_.i) == want.get<double>();
    case kind::unsigned_integer:
      if (want.is_number_unsigned()) return u_.u == want.get<std::uint64_t>();
      if (want.is_number_integer()) return want.get<std::int64_t>() >= 0 && u_.u == want.get<std::uint64_t>();
      return want.is_number_float() && static_cast<double>(u_.u) == want.get<double>();
    default: return to_json() == want;
  }
}

json trace_value::to_json() const {
  switch (kind_) {
    case kind::absent:
    case kind::null: return nullptr;
    case kind::boolean: return u_.b;
    case kind::integer: return u_.i;
    case kind::unsigned_integer: return u_.u;
    case kind::string: return std::string(string());
    case kind::json: return *u_.j;
    case kind::object: {
      json out = json::object();
      for (const auto& f : fields())
        if (!f.value.absent() && !out.contains(f.key)) out[std::string(f.key)] = f.value.to_json();
      return out;
    }
    case kind::strings:
    case kind::objects: {
      json out = json::array();
      for (std::size_t i = 0; i < size(); ++i) out.push_back((*this)[i].to_json());
      return out;
    }
  }
  return nullptr;
}

std::string trace_value::json_text() const {
  std::string out;
  append_json_value(out, *this);
  return out;
}

std::string trace_value::text() const {
  if (kind_ == kind::string) return std::string(string());
  if (kind_ == kind::absent || kind_ == kind::null) return "";
  return json_text();
}

}  // namespace sim
