// sim/auth/canonicalization.cpp - RFC 6376 §3.4 simple and relaxed canonicalization.
#include "sim/auth/canonicalization.hpp"

#include "sim/message/text.hpp"

namespace sim::auth {

namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// §3.4.2 and §3.4.4: runs of WSP become one SP; CR and LF (folds) are
// dropped first when `unfold` is set.
std::string collapse_wsp(std::string_view text, bool unfold) {
  std::string out;
  out.reserve(text.size());
  bool in_wsp = false;
  for (char c : text) {
    if (unfold && (c == '\r' || c == '\n')) continue;
    if (is_wsp(c)) {
      in_wsp = true;
      continue;
    }
    if (in_wsp) out += ' ';
    in_wsp = false;
    out += c;
  }
  if (in_wsp) out += ' ';
  return out;
}

std::string_view trim_wsp(std::string_view text) {
  while (!text.empty() && is_wsp(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_wsp(text.back())) text.remove_suffix(1);
  return text;
}

std::string simple_body(std::string_view body) {
  std::string out(body);
  // §3.4.3: a missing final CRLF is added, then trailing empty lines go.
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  while (out.size() >= 4 && out.compare(out.size() - 4, 4, "\r\n\r\n") == 0) out.resize(out.size() - 2);
  return out;
}

std::string relaxed_body(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  std::size_t keep = 0;  // out's length up to the last non-empty line
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find("\r\n", start);
    const bool terminated = end != std::string_view::npos;
    if (!terminated) end = body.size();
    std::string line = collapse_wsp(body.substr(start, end - start), false);
    if (!line.empty() && line.back() == ' ') line.pop_back();  // §3.4.4 a: WSP at line end
    out += line;
    out += "\r\n";  // §3.4.4: a non-empty body without a final CRLF gets one
    if (!line.empty()) keep = out.size();
    start = terminated ? end + 2 : body.size();
  }
  out.resize(keep);  // §3.4.4 b: empty lines at the end are ignored
  return out;
}

}  // namespace

std::string canonicalize_header(canonicalization c, std::string_view name, std::string_view raw_value) {
  if (c == canonicalization::simple) {
    std::string out(name);
    out += ':';
    out += raw_value;
    out += "\r\n";
    return out;
  }
  // §3.4.2: lower-case name, unfold, WSP runs to one SP, no WSP at the
  // value's end nor around the colon.
  std::string out = message::to_lower(trim_wsp(name));
  out += ':';
  out += trim_wsp(collapse_wsp(raw_value, true));
  out += "\r\n";
  return out;
}

std::string canonicalize_body(canonicalization c, std::string_view body) {
  return c == canonicalization::simple ? simple_body(body) : relaxed_body(body);
}

}  // namespace sim::auth
