// sim/scenario/loader_reader.hpp - typed, pointer-aware access to the JSON
// of a scenario file: every failure becomes one load_error that names the
// file and the JSON pointer of the offending value.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/model.hpp"

namespace sim::scenario::detail {

// RFC 6901 section 3: "~" is written "~0" and "/" is written "~1".
std::string pointer_token(std::string_view key);
std::string_view json_type_name(const json& value);
std::string quote(std::string_view text);  // as a JSON string, for messages
// Closest of `candidates` to a likely typo of it, or "" when none is close.
std::string closest_key(std::string_view key, const std::vector<std::string_view>& candidates);

class object_reader;

// One value of the document and where it is.
class node {
 public:
  node(std::string_view file, const json& value, std::string pointer)
      : file_(file), value_(&value), pointer_(std::move(pointer)) {}

  [[noreturn]] void fail(std::string_view what) const;
  const json& value() const { return *value_; }
  const std::string& pointer() const { return pointer_; }
  std::string_view file() const { return file_; }

  std::string as_string() const;
  bool as_bool() const;
  std::uint64_t as_uint() const;
  std::uint64_t as_uint(std::uint64_t low, std::uint64_t high) const;  // inclusive range
  sim::duration as_duration() const;
  std::uint64_t as_size() const;                       // "512", "10KB", "1MB" or an integer
  std::string as_address(bool null_allowed = false) const;  // canonical; "" for the null path
  std::string as_domain() const;                       // lower-case
  dns::ip_address as_ip() const;
  cidr as_cidr() const;
  std::vector<node> as_array() const;
  std::vector<std::string> as_string_array() const;
  std::vector<std::string> as_address_array() const;
  std::vector<std::string> as_domain_array() const;
  object_reader as_object(std::initializer_list<std::string_view> known) const;
  object_reader as_object(const std::vector<std::string_view>& known) const;

 private:
  void expect_type(bool ok, std::string_view wanted) const;
  std::string_view file_;
  const json* value_;
  std::string pointer_;
};

// An object whose keys were checked against a list: an unknown key fails at
// once (with a suggestion when it looks like a typo of a known one).
class object_reader {
 public:
  object_reader(const node& self, const std::vector<std::string_view>& known);

  const node& self() const { return self_; }
  bool has(std::string_view key) const;
  std::optional<node> find(std::string_view key) const;
  node at(std::string_view key) const;  // required key
  std::vector<std::string> keys() const;  // in file order
  node child(std::string_view key) const;  // an existing key, known or not

 private:
  node self_;
};

// Syntax checks shared by the readers (true when valid).
bool is_domain(std::string_view text);
bool is_mailbox(std::string_view text);  // RFC 5321 section 4.1.2 Mailbox
std::optional<std::uint64_t> parse_size(std::string_view text);
std::string canonical_address(std::string_view mailbox);  // lower-case domain

}  // namespace sim::scenario::detail
