// sim/auth/auth_results.cpp - Authentication-Results formatting and parsing (RFC 8601 §2.2).
#include "sim/auth/auth_results.hpp"

#include <fmt/format.h>

namespace sim::auth {

namespace {

// RFC 2045 §5.1 token characters, plus "@" of the addr form of pvalue.
bool is_token_char(char c, bool allow_at) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 32 || u >= 127) return false;
  if (c == '@') return allow_at;
  return std::string_view("()<>,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

std::string quoted_if_needed(std::string_view value, bool allow_at) {
  bool plain = !value.empty();
  for (char c : value) plain = plain && is_token_char(c, allow_at);
  if (plain) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) continue;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Control and 8-bit characters cannot appear in a header comment; they are dropped.
std::string comment_text(std::string_view text) {
  std::string out = "(";
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) continue;
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

std::string format_one(const ar_result& r) {
  std::string out = r.method;
  if (!r.version.empty()) out += "/" + r.version;
  out += "=" + r.result;
  if (!r.comment.empty()) {
    out += ' ';
    out += comment_text(r.comment);
  }
  if (!r.reason.empty()) {
    out += " reason=";
    out += quoted_if_needed(r.reason, false);
  }
  for (const auto& p : r.properties) out += fmt::format(" {}.{}={}", p.ptype, p.property, quoted_if_needed(p.value, true));
  return out;
}

}  // namespace

const std::string* ar_result::find(std::string_view ptype, std::string_view property) const {
  for (const auto& p : properties)
    if (p.ptype == ptype && p.property == property) return &p.value;
  return nullptr;
}

std::string format_authentication_results(const authentication_results& ar) {
  std::string out = " ";
  out += quoted_if_needed(ar.authserv_id, false);
  if (!ar.version.empty()) {
    out += ' ';
    out += ar.version;
  }
  if (ar.results.empty()) return out + "; none";
  for (const auto& r : ar.results) {
    out += ";\r\n ";
    out += format_one(r);
  }
  return out;
}

}  // namespace sim::auth
