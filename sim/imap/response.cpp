// sim/imap/response.cpp - server responses as a client reads them (RFC 9051 §7).
#include "sim/imap/response.hpp"

#include <algorithm>
#include <cctype>

#include "sim/imap/limits.hpp"
#include "sim/imap/parser.hpp"
#include "sim/core/ascii.hpp"

namespace sim::imap {

namespace {

bool is_status(std::string_view keyword) {
  return keyword == "OK" || keyword == "NO" || keyword == "BAD" || keyword == "BYE" || keyword == "PREAUTH";
}

// Skips one value: an atom-like token (with any [...] and <...> after it),
// a string, or a parenthesized list.
bool skip_value(parser& p, std::size_t depth) {
  if (depth > limits::max_nesting) return false;
  if (p.peek() == '"' || p.peek() == '{') return p.string().has_value();
  if (p.skip('(')) {
    if (p.skip(')')) return true;
    do {
      if (!skip_value(p, depth + 1)) return false;
    } while (p.space());
    return p.skip(')');
  }
  auto token = p.until(" ()[");
  if (p.skip('[')) {
    p.until("]");
    if (!p.skip(']')) return false;
    if (p.skip('<')) {
      p.until(">");
      if (!p.skip('>')) return false;
    }
    return true;
  }
  return !token.empty();
}

}  // namespace

std::vector<std::string> response_lines(std::string_view bytes) {
  std::vector<std::string> out;
  bool continues = false;  // the line goes on after a literal
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    auto end = bytes.find("\r\n", pos);
    if (end == std::string_view::npos) end = bytes.size();
    auto line = bytes.substr(pos, end - pos);
    if (!continues) out.emplace_back(line);
    pos = end + 2;
    auto literal = literal_at_end(line);
    continues = literal.has_value();
    if (literal) pos += static_cast<std::size_t>(std::min<std::uint64_t>(literal->size, bytes.size() - std::min(pos, bytes.size())));
  }
  return out;
}

std::optional<response> parse_response(std::string_view text) {
  parser p(text);
  response r;
  if (p.skip('+')) {
    r.what = response::kind::continuation;
    p.space();
    r.rest = std::string(p.rest());
    return r;
  }
  if (p.skip('*')) {
    r.what = response::kind::untagged;
  } else {
    auto tag = p.tag();
    if (!tag) return std::nullopt;
    r.what = response::kind::tagged;
    r.tag = *tag;
  }
  if (!p.space()) return std::nullopt;
  if (r.what == response::kind::untagged && p.peek() >= '0' && p.peek() <= '9') {
    auto n = p.number();
    if (!n || !p.space()) return std::nullopt;
    r.number = *n;
  }
  auto keyword = p.atom();
  if (!keyword) return std::nullopt;
  r.keyword = ascii::to_upper(*keyword);
  if (r.what == response::kind::tagged && !is_status(r.keyword)) return std::nullopt;
  p.space();
  if (is_status(r.keyword) && p.skip('[')) {
    r.code = std::string(p.until("]"));
    if (!p.skip(']')) return std::nullopt;
    p.space();
  }
  r.rest = std::string(p.rest());
  return r;
}

std::vector<std::string> capability_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    if (end > pos) out.push_back(ascii::to_upper(text.substr(pos, end - pos)));
    pos = end + 1;
  }
  return out;
}

std::optional<std::vector<std::uint32_t>> search_numbers(std::string_view rest) {
  std::vector<std::uint32_t> out;
  parser p(rest);
  while (!p.at_end()) {
    auto n = p.nz_number();
    if (!n) return std::nullopt;
    out.push_back(*n);
    if (!p.at_end() && !p.space()) return std::nullopt;
  }
  return out;
}

std::optional<fetch_data> parse_fetch_data(std::string_view rest) {
  parser p(rest);
  fetch_data out;
  if (!p.skip('(')) return std::nullopt;
  while (!p.skip(')')) {
    std::size_t at = p.position();
    if (p.word("UID")) {
      auto uid = p.space() ? p.nz_number() : std::nullopt;
      if (!uid) return std::nullopt;
      out.uid = *uid;
    } else if (p.word("BODY[]")) {
      auto body = p.space() ? p.nstring() : std::nullopt;
      if (!body) return std::nullopt;
      out.body = std::move(*body);
    } else {
      p.seek(at);
      if (!skip_value(p, 0) || !p.space() || !skip_value(p, 0)) return std::nullopt;
    }
    if (p.peek() != ')' && !p.space()) return std::nullopt;
  }
  return out;
}

}  // namespace sim::imap
