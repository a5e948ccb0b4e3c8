// sim/scenario/loader_reader.cpp - typed access to scenario JSON with errors
// that name the file and the JSON pointer.
#include "sim/scenario/loader_reader.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string_view>

#include <fmt/format.h>

namespace sim::scenario::detail {
namespace {

// Optimal string alignment distance: a swap of two letters counts once.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_atext(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// RFC 5321 section 4.1.2: Dot-string / Quoted-string.
bool is_local_part(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;  // section 4.5.3.1.1
  if (s.front() == '"') {
    if (s.size() < 2 || s.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c == '\\') {
        if (i + 2 >= s.size() || s[i + 1] < 32 || s[i + 1] > 126) return false;
        ++i;
      } else if (c < 32 || c > 126 || c == '"') {
        return false;
      }
    }
    return true;
  }
  bool after_dot = true;
  for (char c : s) {
    if (c == '.') {
      if (after_dot) return false;
      after_dot = true;
    } else if (is_atext(c)) {
      after_dot = false;
    } else {
      return false;
    }
  }
  return !after_dot;
}

// address-literal: "[192.0.2.1]" or "[IPv6:2001:db8::1]".
bool is_address_literal(std::string_view s) {
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
  std::string_view inner = s.substr(1, s.size() - 2);
  if (inner.substr(0, 5) == "IPv6:" || inner.substr(0, 5) == "ipv6:") return dns::parse_ipv6(inner.substr(5)).has_value();
  return dns::parse_ipv4(inner).has_value();
}

}  // namespace

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string_view json_type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::number_float: return "a fractional number";
    default: return "an integer";
  }
}

std::string quote(std::string_view text) { return json(std::string(text)).dump(); }

std::string closest_key(std::string_view key, const std::vector<std::string_view>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  std::string lowered = lower(key);
  for (auto candidate : candidates) {
    std::size_t distance = edit_distance(lowered, candidate);
    // Up to a third of the word may be wrong, and at least one letter.
    std::size_t allowed = std::max<std::size_t>(1, candidate.size() / 3);
    if (distance <= allowed && (best.empty() || distance < best_distance)) {
      best = std::string(candidate);
      best_distance = distance;
    }
  }
  return best;
}

bool is_domain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('.', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view label = s.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    start = end + 1;
  }
  return true;
}

bool is_mailbox(std::string_view s) {
  auto at = s.rfind('@');
  if (at == std::string_view::npos) return false;
  std::string_view domain = s.substr(at + 1);
  return is_local_part(s.substr(0, at)) && (is_domain(domain) || is_address_literal(domain));
}

std::string canonical_address(std::string_view mailbox) {
  auto at = mailbox.rfind('@');
  return std::string(mailbox.substr(0, at + 1)) + lower(mailbox.substr(at + 1));
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t number = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    number = number * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (number > (std::uint64_t{1} << 40)) return std::nullopt;
    ++i;
  }
  if (i == 0) return std::nullopt;
  std::string_view unit = text.substr(i);
  unsigned shift = unit.empty() ? 0 : unit == "KB" ? 10 : unit == "MB" ? 20 : unit == "GB" ? 30 : 64;
  if (shift == 64) return std::nullopt;
  // 2^40 units of a GB would not fit in 64 bits: refuse rather than wrap.
  if (number > (std::numeric_limits<std::uint64_t>::max() >> shift)) return std::nullopt;
  return number << shift;
}

// ---- node -------------------------------------------------------------

void node::fail(std::string_view what) const {
  throw load_error(fmt::format("{}: {}: {}", file_, pointer_.empty() ? "top level" : pointer_, what));
}

void node::expect_type(bool ok, std::string_view wanted) const {
  if (!ok) fail(fmt::format("expected {}, got {}", wanted, json_type_name(*value_)));
}

std::string node::as_string() const {
  expect_type(value_->is_string(), "a string");
  return value_->get<std::string>();
}

bool node::as_bool() const {
  expect_type(value_->is_boolean(), "true or false");
  return value_->get<bool>();
}

std::uint64_t node::as_uint() const {
  if (value_->is_number_integer() && !value_->is_number_unsigned()) fail(fmt::format("{} is negative", value_->dump()));
  expect_type(value_->is_number_unsigned(), "a non-negative integer");
  return value_->get<std::uint64_t>();
}

std::uint64_t node::as_uint(std::uint64_t low, std::uint64_t high) const {
  std::uint64_t n = as_uint();
  if (n < low || n > high) fail(fmt::format("{} is out of range ({} to {})", n, low, high));
  return n;
}

sim::duration node::as_duration() const {
  auto text = as_string();
  auto d = sim::parse_duration(text);
  if (!d) fail(fmt::format("{} is not a duration (<number><unit> parts, unit ms, s, m, h or d: \"30s\", \"1h30m\")", quote(text)));
  return *d;
}

std::uint64_t node::as_size() const {
  if (value_->is_number()) return as_uint();
  auto text = as_string();
  auto n = parse_size(text);
  if (n) return *n;
  auto digits = text.find_first_not_of("0123456789");
  auto unit = digits == std::string::npos ? std::string() : text.substr(digits);
  if (!text.empty() && digits != 0 && (unit.empty() || unit == "KB" || unit == "MB" || unit == "GB"))
    fail(fmt::format("{} is too large a size", quote(text)));
  fail(fmt::format("{} is not a size (\"512\", \"10KB\", \"1MB\")", quote(text)));
}

std::string node::as_address(bool null_allowed) const {
  auto text = as_string();
  if (text.empty() || text == "<>") {
    if (null_allowed) return "";
    fail(fmt::format("{}: the null reverse path is not allowed here; expected local@domain", quote(text)));
  }
  if (!is_mailbox(text)) fail(fmt::format("{} is not an RFC 5321 mailbox (local@domain)", quote(text)));
  return canonical_address(text);
}

std::string node::as_domain() const {
  auto text = as_string();
  if (!is_domain(text)) fail(fmt::format("{} is not a domain name", quote(text)));
  return lower(text);
}

dns::ip_address node::as_ip() const {
  auto text = as_string();
  auto ip = dns::parse_ip(text);
  if (!ip) fail(fmt::format("{} is not an IPv4 or IPv6 address", quote(text)));
  return *ip;
}

cidr node::as_cidr() const {
  auto text = as_string();
  if (auto net = policy::parse_cidr(text)) return *net;
  // Say what is wrong: the address, or the prefix length.
  auto slash = text.find('/');
  auto ip = dns::parse_ip(std::string_view(text).substr(0, slash));
  if (!ip) fail(fmt::format("{} is not a network (\"192.0.2.0/24\", \"2001:db8::/32\" or an address)", quote(text)));
  unsigned max_length = ip->kind == dns::ip_address::family::v4 ? 32 : 128;
  fail(fmt::format("{}: the prefix length must be 0 to {}", quote(text), max_length));
}

std::vector<node> node::as_array() const {
  expect_type(value_->is_array(), "an array");
  std::vector<node> items;
  for (std::size_t i = 0; i < value_->size(); ++i)
    items.emplace_back(file_, (*value_)[i], pointer_ + "/" + std::to_string(i));
  return items;
}

std::vector<std::string> node::as_string_array() const {
  std::vector<std::string> out;
  for (const auto& item : as_array()) out.push_back(item.as_string());
  return out;
}

std::vector<std::string> node::as_address_array() const {
  std::vector<std::string> out;
  for (const auto& item : as_array()) out.push_back(item.as_address());
  return out;
}

std::vector<std::string> node::as_domain_array() const {
  std::vector<std::string> out;
  for (const auto& item : as_array()) out.push_back(item.as_domain());
  return out;
}

object_reader node::as_object(std::initializer_list<std::string_view> known) const {
  return object_reader(*this, std::vector<std::string_view>(known));
}

object_reader node::as_object(const std::vector<std::string_view>& known) const { return object_reader(*this, known); }

// ---- object_reader ----------------------------------------------------

object_reader::object_reader(const node& self, const std::vector<std::string_view>& known) : self_(self) {
  if (!self.value().is_object()) self.fail(fmt::format("expected an object, got {}", json_type_name(self.value())));
  for (const auto& [key, value] : self.value().items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string hint = closest_key(key, known);
    std::string message = fmt::format("unknown key {}", quote(key));
    if (!hint.empty()) message += fmt::format(" (did you mean {}?)", quote(hint));
    child(key).fail(message);
  }
}

bool object_reader::has(std::string_view key) const { return self_.value().contains(key); }

std::optional<node> object_reader::find(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return child(key);
}

node object_reader::at(std::string_view key) const {
  if (!has(key)) self_.fail(fmt::format("missing required key {}", quote(key)));
  return child(key);
}

std::vector<std::string> object_reader::keys() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : self_.value().items()) out.push_back(key);
  return out;
}

node object_reader::child(std::string_view key) const {
  return node(self_.file(), self_.value().at(std::string(key)), self_.pointer() + "/" + pointer_token(key));
}

}  // namespace sim::scenario::detail
