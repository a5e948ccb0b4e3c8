// sim/auth/auth_results_parse.cpp - reading an Authentication-Results value (RFC 8601 §2.2).
#include <fmt/format.h>

#include "sim/auth/auth_results.hpp"

namespace sim::auth {

namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_keyword_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// A cursor over the value; every reader stops at the first byte it cannot
// take, so a malformed value ends in an error, never a throw.
class reader {
 public:
  explicit reader(std::string_view text) : s_(text) {}
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }
  std::size_t offset() const { return i_; }
  bool take(char c) {
    if (peek() != c || at_end()) return false;
    ++i_;
    return true;
  }

  // CFWS; comment texts (unescaped) are appended to *comment.  False for
  // an unterminated comment.
  bool skip_cfws(std::string* comment = nullptr) {
    while (!at_end()) {
      if (is_wsp(s_[i_])) {
        ++i_;
      } else if (s_[i_] == '(') {
        if (!read_comment(comment)) return false;
      } else {
        break;
      }
    }
    return true;
  }
  std::string keyword() {
    const auto start = i_;
    while (!at_end() && is_keyword_char(s_[i_])) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }
  // value: a quoted-string, or a run of bytes up to white space, ";" or a
  // comment (token, or the addr form of pvalue).  nullopt when empty or
  // an unterminated quoted string.
  std::optional<std::string> value() {
    if (peek() == '"') return quoted();
    const auto start = i_;
    while (!at_end() && !is_wsp(s_[i_]) && s_[i_] != ';' && s_[i_] != '(' && s_[i_] != ')' && s_[i_] != '"') ++i_;
    if (i_ == start) return std::nullopt;
    return std::string(s_.substr(start, i_ - start));
  }

 private:
  bool read_comment(std::string* comment) {
    int depth = 0;
    std::string text;
    while (!at_end()) {
      const char c = s_[i_++];
      if (c == '\\' && !at_end()) {
        text += s_[i_++];
        continue;
      }
      if (c == '(' && depth++ == 0) continue;
      if (c == ')' && --depth == 0) {
        if (comment) *comment += (comment->empty() ? "" : " ") + text;
        return true;
      }
      text += c;
    }
    return false;
  }
  std::optional<std::string> quoted() {
    std::string out;
    ++i_;
    while (!at_end()) {
      const char c = s_[i_++];
      if (c == '\\' && !at_end()) out += s_[i_++];
      else if (c == '"') return out;
      else out += c;
    }
    return std::nullopt;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

std::string at(const reader& r, std::string_view what) { return fmt::format("{} at offset {}", what, r.offset()); }

// methodspec [reasonspec] [1*propspec] after the ";"; returns the error or "".
std::string read_resinfo(reader& r, ar_result& out) {
  out.method = r.keyword();
  if (out.method.empty()) return at(r, "expected a method");
  if (!r.skip_cfws()) return at(r, "unterminated comment");
  if (out.method == "none" && (r.at_end() || r.peek() == ';')) return {};  // §2.2 no-result
  if (r.take('/')) {
    r.skip_cfws();
    out.version = r.keyword();
    if (out.version.empty()) return at(r, "expected a method version");
    if (!r.skip_cfws()) return at(r, "unterminated comment");
  }
  if (!r.take('=')) return at(r, "expected \"=\" after the method");
  if (!r.skip_cfws()) return at(r, "unterminated comment");
  out.result = r.keyword();
  if (out.result.empty()) return at(r, "expected a result");
  while (true) {
    if (!r.skip_cfws(&out.comment)) return at(r, "unterminated comment");
    if (r.at_end() || r.peek() == ';') return {};
    const auto ptype = r.keyword();
    if (ptype.empty()) return at(r, "expected a property");
    if (!r.skip_cfws()) return at(r, "unterminated comment");
    if (ptype == "reason" && r.take('=')) {
      r.skip_cfws();
      auto v = r.value();
      if (!v) return at(r, "expected the reason");
      out.reason = *v;
      continue;
    }
    if (!r.take('.')) return at(r, "expected \".\" in a property");
    r.skip_cfws();
    auto property = r.keyword();
    if (property.empty()) return at(r, "expected a property name");
    if (!r.skip_cfws()) return at(r, "unterminated comment");
    if (!r.take('=')) return at(r, "expected \"=\" in a property");
    if (!r.skip_cfws()) return at(r, "unterminated comment");
    auto v = r.value();
    if (!v) return at(r, "expected a property value");
    out.properties.push_back({ptype, property, *v});
  }
}

}  // namespace

ar_parse parse_authentication_results(std::string_view value) {
  reader r(value);
  authentication_results ar;
  if (!r.skip_cfws()) return {std::nullopt, at(r, "unterminated comment")};
  auto id = r.value();
  if (!id) return {std::nullopt, "no authserv-id"};
  ar.authserv_id = *id;
  if (!r.skip_cfws()) return {std::nullopt, at(r, "unterminated comment")};
  if (r.peek() >= '0' && r.peek() <= '9') {
    ar.version = r.keyword();
    if (!r.skip_cfws()) return {std::nullopt, at(r, "unterminated comment")};
  }
  bool none = false;
  while (!r.at_end()) {
    if (!r.take(';')) return {std::nullopt, at(r, "expected \";\"")};
    if (!r.skip_cfws()) return {std::nullopt, at(r, "unterminated comment")};
    if (r.at_end()) break;  // a final ";" is tolerated
    if (none) return {std::nullopt, at(r, "results after \"none\"")};
    ar_result result;
    if (auto error = read_resinfo(r, result); !error.empty()) return {std::nullopt, error};
    // §2.2 no-result: "none" alone in place of every resinfo.
    if (result.result.empty()) {
      if (!ar.results.empty()) return {std::nullopt, at(r, "\"none\" after results")};
      none = true;
    } else {
      ar.results.push_back(std::move(result));
    }
  }
  return {std::move(ar), {}};
}

}  // namespace sim::auth
