// sim/policy/reply_template.cpp - $variables in configured reply texts.
#include "sim/policy/reply_template.hpp"

#include <algorithm>

namespace sim::policy {
namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

const std::string* lookup(const template_vars& vars, std::string_view name) {
  auto it = std::find_if(vars.begin(), vars.end(), [&](const auto& v) { return v.first == name; });
  return it == vars.end() ? nullptr : &it->second;
}

// The end of "${...}" starting at `open` (the '{'), braces nested; npos when unclosed.
std::size_t closing_brace(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// "${name}", "${name?text}", "${name:text}": the part between the braces.
std::string braced(std::string_view inner, std::string_view whole, const template_vars& vars) {
  std::size_t n = 0;
  while (n < inner.size() && name_char(inner[n])) ++n;
  const std::string_view name = inner.substr(0, n);
  const std::string* value = lookup(vars, name);
  if (n == inner.size()) return value ? *value : std::string(whole);
  const char op = inner[n];
  if (op != '?' && op != ':') return std::string(whole);
  const bool set = value && !value->empty();  // undefined counts as empty, as in Postfix
  return (op == '?') == set ? expand_text(inner.substr(n + 1), vars) : std::string();
}

}  // namespace

std::string expand_text(std::string_view text, const template_vars& vars) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
    } else if (text[i + 1] == '{') {
      const std::size_t close = closing_brace(text, i + 1);
      if (close == std::string_view::npos) {
        out += text.substr(i);
        break;
      }
      out += braced(text.substr(i + 2, close - i - 2), text.substr(i, close - i + 1), vars);
      i = close;
    } else {
      std::size_t end = i + 1;
      while (end < text.size() && name_char(text[end])) ++end;
      const std::string* value = lookup(vars, text.substr(i + 1, end - i - 1));
      out += value ? *value : std::string(text.substr(i, end - i));
      i = end - 1;
    }
  }
  return out;
}

// A value holding a line end (a TXT record's reason) starts another reply
// line; a CR never reaches the wire.
reply expand(const reply_template& t, const template_vars& vars) {
  std::vector<std::string> lines;
  for (const auto& written : t.lines) {
    std::string text = expand_text(written, vars);
    std::erase(text, '\r');
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
      lines.push_back(text.substr(start, nl - start));
    lines.push_back(text.substr(start));
  }
  reply r{t.code, t.enhanced, lines.empty() ? std::string() : lines.front(), {}};
  if (lines.size() > 1) r.more_lines.assign(lines.begin() + 1, lines.end());
  return r;
}

reply_template default_dnsbl_reply() {
  return {554, "5.7.1", {"Service unavailable; client [$client_address] blocked using $rbl_domain${rbl_reason?; $rbl_reason}"}};
}

reply_template default_greylist_reply() {
  return {451, "4.7.1", {"Greylisted, see RFC 6647; try again in $seconds seconds"}};
}

}  // namespace sim::policy
