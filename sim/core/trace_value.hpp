// sim/core/trace_value.hpp - the typed fields of a trace event, as emitted.
//
// A field is a key and a value that refers to the emitter's data: nothing
// is copied or allocated to emit an event.  Values are strings, integers,
// booleans, null, lists of strings, nested objects (a list of fields) and
// lists of them, or, for what is really free-form (a fault as the scenario
// wrote it), a JSON value.  Both live only as long as the data they refer
// to: in `trace.emit(h, a, "x", {{"k", v}})` that is the whole call.
//
// An empty std::optional leaves its field out; nullptr writes JSON null.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sim {

struct trace_field;
using trace_object = std::vector<trace_field>;  // a nested object: its fields in order

class trace_value {
 public:
  enum class kind : std::uint8_t { absent, null, boolean, integer, unsigned_integer, string, strings, object, objects, json };

  constexpr trace_value() noexcept : kind_(kind::absent) {}
  constexpr trace_value(std::nullptr_t) noexcept : kind_(kind::null) {}
  constexpr trace_value(bool b) noexcept : kind_(kind::boolean) { u_.b = b; }
  template <std::signed_integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char>)
  constexpr trace_value(I i) noexcept : kind_(kind::integer) {
    u_.i = i;
  }
  template <std::unsigned_integral U>
    requires(!std::same_as<U, bool> && !std::same_as<U, char>)
  constexpr trace_value(U u) noexcept : kind_(kind::unsigned_integer) {
    u_.u = u;
  }
  constexpr trace_value(char c) noexcept : kind_(kind::integer) { u_.i = c; }  // as JSON makes it: a number
  constexpr trace_value(const char* s) noexcept : trace_value(std::string_view(s)) {}
  constexpr trace_value(std::string_view s) noexcept : kind_(kind::string) { u_.s = {s.data(), s.size()}; }
  trace_value(const std::string& s) noexcept : trace_value(std::string_view(s)) {}
  trace_value(std::span<const std::string> list) noexcept : kind_(kind::strings) { u_.l = {list.data(), list.size()}; }
  trace_value(const std::vector<std::string>& list) noexcept : trace_value(std::span<const std::string>(list)) {}
  trace_value(std::span<const std::string_view> list) noexcept : kind_(kind::strings), views_(true) {
    u_.l = {list.data(), list.size()};
  }
  trace_value(const std::vector<std::string_view>& list) noexcept
      : trace_value(std::span<const std::string_view>(list)) {}
  // Defined below trace_field: a vector's size() needs the complete type.
  trace_value(const trace_object& fields) noexcept;
  trace_value(const std::vector<trace_object>& list) noexcept;
  trace_value(const nlohmann::ordered_json& j) noexcept : kind_(kind::json) { u_.j = &j; }
  template <typename T>
  trace_value(const std::optional<T>& o) noexcept : trace_value(o ? trace_value(*o) : trace_value()) {}

  kind type() const noexcept { return kind_; }
  bool absent() const noexcept { return kind_ == kind::absent; }
  bool is_string() const noexcept { return kind_ == kind::string; }
  bool is_integer() const noexcept { return kind_ == kind::integer || kind_ == kind::unsigned_integer; }
  bool boolean() const noexcept { return kind_ == kind::boolean && u_.b; }
  // The integer (0 unless is_integer(); unsigned values above INT64_MAX wrap).
  std::int64_t integer() const noexcept;
  std::uint64_t unsigned_integer() const noexcept { return static_cast<std::uint64_t>(u_.u); }
  // The string ("" unless is_string()).
  std::string_view string() const noexcept { return kind_ == kind::string ? std::string_view(u_.s.p, u_.s.n) : std::string_view(); }
  const nlohmann::ordered_json* as_json() const noexcept { return kind_ == kind::json ? u_.j : nullptr; }
  // A JSON value with its scalars typed (string, integer, boolean, null),
  // so that it reads and compares like an emitted field.
  static trace_value of_json(const nlohmann::ordered_json& j) noexcept;

  // Lists (strings, objects, JSON arrays): how many items, and each one.
  std::size_t size() const noexcept;
  trace_value operator[](std::size_t i) const noexcept;
  // Objects (a nested object, a JSON object): the field named so, else absent.
  trace_value field(std::string_view key) const noexcept;
  // One step of a dotted path: a key of an object, or a decimal index into a list.
  trace_value step(std::string_view key) const noexcept;
  // A nested object's fields (empty unless type() is object).
  std::span<const trace_field> fields() const noexcept;

  // Equal to the JSON value as nlohmann::json compares (numbers by value).
  bool equals(const nlohmann::ordered_json& want) const;
  // The value as JSON (absent: null).
  nlohmann::ordered_json to_json() const;
  // JSON text, as a trace line writes it.
  std::string json_text() const;
  // Strings as they are, absent and null as "", anything else as JSON text.
  std::string text() const;

 private:
  struct str {
    const char* p;
    std::size_t n;
  };
  struct list {
    const void* p;
    std::size_t n;
  };
  union payload {
    bool b;
    std::int64_t i;
    std::uint64_t u;
    str s;
    list l;
    const nlohmann::ordered_json* j;
  };
  payload u_{};
  kind kind_;
  bool views_ = false;  // strings: string_views rather than std::strings
};

struct trace_field {
  std::string_view key;
  trace_value value;
};

inline trace_value::trace_value(const trace_object& fields) noexcept : kind_(kind::object) {
  u_.l = {fields.data(), fields.size()};
}
inline trace_value::trace_value(const std::vector<trace_object>& list) noexcept : kind_(kind::objects) {
  u_.l = {list.data(), list.size()};
}

}  // namespace sim
