// sim/http/url.cpp - request targets (RFC 3986, RFC 9112 section 3.2).
#include "sim/http/url.hpp"

#include <cctype>

namespace sim::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 section 2.3.
bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool has_control(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

result<std::vector<query_param>> parse_query(std::string_view text) {
  std::vector<query_param> out;
  if (text.empty()) return out;
  for (auto pair : split(text, '&')) {
    if (pair.empty()) continue;  // "a=1&&b=2"
    auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("") : percent_decode(pair.substr(eq + 1), true);
    if (!name || !value) return bad_request("bad percent-encoding in the query string");
    out.push_back({std::move(*name), std::move(*value), eq != std::string_view::npos});
  }
  return out;
}

// The path after an absolute form's "http://authority".
result<std::string_view> strip_absolute_form(std::string_view text, std::string& authority) {
  constexpr std::string_view schemes[] = {"http://", "https://"};
  for (auto scheme : schemes) {
    if (text.size() < scheme.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < scheme.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(text[i])) != scheme[i]) same = false;
    if (!same) continue;
    auto rest = text.substr(scheme.size());
    auto slash = rest.find_first_of("/?");
    authority = std::string(rest.substr(0, slash));
    if (authority.empty()) return bad_request("absolute-form target without a host");
    if (slash == std::string_view::npos) return std::string_view("/");
    if (rest[slash] == '?') return bad_request("absolute-form target without a path");
    return rest.substr(slash);
  }
  return bad_request("the request target must start with '/'");
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

result<target> parse_target(std::string_view text) {
  if (text.empty()) return bad_request("empty request target");
  for (unsigned char c : text)
    if (c <= 0x20 || c >= 0x7f) return bad_request("the request target holds a space, a control or a non-ASCII byte");
  target t;
  if (text.front() != '/') {
    auto path = strip_absolute_form(text, t.authority);
    if (!path) return path.error();
    text = path.value();
  }
  auto hash = text.find('#');  // a fragment is never sent (RFC 9110 section 7.1); drop one anyway
  if (hash != std::string_view::npos) text = text.substr(0, hash);
  auto question = text.find('?');
  t.path = std::string(text.substr(0, question));
  if (question != std::string_view::npos) {
    auto query = parse_query(text.substr(question + 1));
    if (!query) return query.error();
    t.query = std::move(query.value());
  }
  std::string_view rest = std::string_view(t.path).substr(1);
  if (rest.empty()) return t;
  for (auto raw : split(rest, '/')) {
    auto segment = percent_decode(raw);
    if (!segment) return bad_request("bad percent-encoding in the path");
    if (has_control(*segment)) return bad_request("the path holds an encoded control character");
    t.segments.push_back(std::move(*segment));
  }
  return t;
}

const query_param* find_param(const std::vector<query_param>& query, std::string_view name) {
  for (const auto& p : query)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace sim::http
