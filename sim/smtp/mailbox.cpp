// sim/smtp/mailbox.cpp - mailbox and path syntax, RFC 5321 4.1.2 and 4.1.3.
#include "sim/smtp/mailbox.hpp"

#include <cctype>
#include <cstring>

#include "sim/smtp/limits.hpp"

namespace sim::smtp {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// RFC 5322 3.2.3 atext.
bool is_atext(char c) { return is_alnum(c) || (c != 0 && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr); }

bool is_dot_string(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!is_atext(s[i])) {
      return false;
    }
  }
  return true;
}

// RFC 5321 4.1.2 Quoted-string with qtextSMTP / quoted-pairSMTP; the value
// goes to `out` without quotes and escapes.
bool parse_quoted(std::string_view s, std::string& out) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      if (i + 2 >= s.size() || s[i + 1] < 32 || s[i + 1] > 126) return false;
      out += s[++i];
    } else if (c >= 32 && c <= 126 && c != '"') {
      out += c;
    } else {
      return false;
    }
  }
  return true;
}

bool is_snum(std::string_view s) {
  if (s.empty() || s.size() > 3) return false;
  int v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  return v <= 255;
}

bool is_ipv4(std::string_view s) {
  for (int part = 0; part < 4; ++part) {
    auto dot = s.find('.');
    if ((part < 3) == (dot == std::string_view::npos)) return false;
    if (!is_snum(s.substr(0, dot))) return false;
    s = part < 3 ? s.substr(dot + 1) : std::string_view{};
  }
  return true;
}

// Colon-separated hex groups (maybe none); the last may be an IPv4 address
// when `v4_allowed`.  Adds the number of 16-bit groups to `groups`.
bool hex_groups(std::string_view s, bool v4_allowed, int& groups) {
  if (s.empty()) return true;
  std::size_t start = 0;
  while (true) {
    auto colon = s.find(':', start);
    auto part = s.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (colon == std::string_view::npos && v4_allowed && part.find('.') != std::string_view::npos) {
      groups += 2;
      return is_ipv4(part);
    }
    if (part.empty() || part.size() > 4) return false;
    for (char c : part)
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    ++groups;
    if (colon == std::string_view::npos) return true;
    start = colon + 1;
  }
}

// RFC 5321 4.1.3 IPv6-addr: IPv6-full, IPv6-comp ("::"), and both with an
// IPv4 tail; "::" stands for at least two groups, so at most 6 others.
bool is_ipv6(std::string_view s) {
  auto dc = s.find("::");
  int groups = 0;
  if (dc == std::string_view::npos) return hex_groups(s, true, groups) && groups == 8;
  auto head = s.substr(0, dc), tail = s.substr(dc + 2);
  if (tail.find("::") != std::string_view::npos) return false;
  return hex_groups(head, false, groups) && hex_groups(tail, true, groups) && groups <= 6;
}

bool is_ldh_label(std::string_view l) {
  if (l.empty() || l.size() > 63 || !is_alnum(l.front()) || !is_alnum(l.back())) return false;
  for (char c : l)
    if (!is_alnum(c) && c != '-') return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool is_domain(std::string_view s) {
  if (s.empty() || s.size() > limits::domain) return false;
  std::size_t start = 0;
  while (true) {
    auto dot = s.find('.', start);
    if (!is_ldh_label(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start)))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_address_literal(std::string_view s) {
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
  auto inner = s.substr(1, s.size() - 2);
  if (inner.size() > 5 && lower(inner.substr(0, 5)) == "ipv6:") return is_ipv6(inner.substr(5));
  return is_ipv4(inner);
}

std::optional<mailbox> parse_mailbox(std::string_view text) {
  auto at = text.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  auto local = text.substr(0, at), dom = text.substr(at + 1);
  if (local.size() > limits::local_part || dom.size() > limits::domain) return std::nullopt;
  mailbox box;
  if (!local.empty() && local.front() == '"') {
    if (!parse_quoted(local, box.local_part)) return std::nullopt;
  } else if (is_dot_string(local)) {
    box.local_part = std::string(local);
  } else {
    return std::nullopt;
  }
  if (!is_domain(dom) && !is_address_literal(dom)) return std::nullopt;
  box.domain = lower(dom);
  if (box.domain.starts_with("[ipv6:")) box.domain.replace(1, 4, "IPv6");
  return box;
}

namespace {

// RFC 5321 4.1.2 A-d-l: "@" Domain *( "," "@" Domain ), before ":".
bool is_source_route(std::string_view s) {
  std::size_t start = 0;
  while (true) {
    auto comma = s.find(',', start);
    auto part = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (part.size() < 2 || part.front() != '@' || !is_domain(part.substr(1))) return false;
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
  }
}

path_error length_error(std::string_view mailbox_text) {
  auto at = mailbox_text.rfind('@');
  if (at == std::string_view::npos) return path_error::syntax;
  if (at > limits::local_part) return path_error::local_part_too_long;
  if (mailbox_text.size() - at - 1 > limits::domain) return path_error::domain_too_long;
  return path_error::syntax;
}

}  // namespace

path_result parse_path(std::string_view text, path_kind kind) {
  if (text.size() < 2 || text.front() != '<' || text.back() != '>') return {std::nullopt, path_error::syntax};
  if (text.size() > limits::path) return {std::nullopt, path_error::too_long};
  auto inner = text.substr(1, text.size() - 2);
  if (inner.empty()) {
    if (kind == path_kind::reverse) return {};
    return {std::nullopt, path_error::syntax};
  }
  if (kind == path_kind::forward && lower(inner) == "postmaster") return {mailbox{"postmaster", ""}};
  // A source route ends at the first ':' outside a quoted local part; a
  // local part cannot start with '@', so a leading '@' means a route.
  if (inner.front() == '@') {
    auto colon = inner.find(':');
    if (colon == std::string_view::npos || !is_source_route(inner.substr(0, colon)))
      return {std::nullopt, path_error::syntax};
    inner = inner.substr(colon + 1);
  }
  auto box = parse_mailbox(inner);
  if (!box) return {std::nullopt, length_error(inner)};
  return {std::move(box)};
}

std::string mailbox::text() const {
  if (domain.empty()) return local_part;
  if (is_dot_string(local_part)) return local_part + "@" + domain;
  std::string out = "\"";
  for (char c : local_part) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"@" + domain;
}

std::string path_text(const std::optional<mailbox>& box) {
  std::string out = "<";
  if (box) out.append(box->text());
  out.push_back('>');
  return out;
}

}  // namespace sim::smtp
