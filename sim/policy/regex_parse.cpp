// sim/policy/regex_parse.cpp - pattern text to syntax tree.
//
// Recursive descent over the pattern (depth bounded by regex_max_nesting,
// never by the input).  Flags (?i) (?m) (?s) follow Perl: they hold until
// the end of the enclosing group; (?i:...) scopes them to the group.
#include <cctype>

#include <fmt/format.h>

#include "sim/policy/regex_program.hpp"

namespace sim::policy::detail {
namespace {

using escape = regex_escape;

// Adds the other case of every ASCII letter in the set.
byte_set fold_case(byte_set s) {
  for (int c = 'a'; c <= 'z'; ++c) {
    const int upper = c - 'a' + 'A';
    if (s[c] || s[upper]) s[c] = s[upper] = true;
  }
  return s;
}

struct flags {
  bool icase = false;
  bool multiline = false;
  bool dot_all = false;
};

class parser {
 public:
  parser(std::string_view pattern, regex_options options, regex_error& error)
      : p_(pattern), error_(error), flags_{options.case_insensitive, options.multiline, options.dot_all} {}

  std::optional<regex_node> parse() {
    regex_node root = alternation();
    if (!failed_ && pos_ < p_.size()) fail(pos_, "unmatched ')'");
    if (failed_) return std::nullopt;
    return root;
  }

 private:
  void fail(std::size_t at, std::string reason) {
    if (failed_) return;
    failed_ = true;
    error_.position = at;
    error_.reason = std::move(reason);
  }
  bool at_end() const { return pos_ >= p_.size(); }
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < p_.size() ? p_[pos_ + ahead] : '\0'; }

  regex_node alternation() {
    regex_node first = concatenation();
    if (failed_ || peek() != '|' || at_end()) return first;
    regex_node alt = node_of(regex_node::kind::alternate);
    alt.children.push_back(std::move(first));
    while (!failed_ && !at_end() && peek() == '|') {
      ++pos_;
      alt.children.push_back(concatenation());
    }
    return alt;
  }

  regex_node concatenation() {
    regex_node seq = node_of(regex_node::kind::concat);
    while (!failed_ && !at_end() && peek() != '|' && peek() != ')') {
      bool repeatable = true;
      regex_node a = atom(repeatable);
      if (failed_) break;
      a = quantified(std::move(a), repeatable);
      if (a.type != regex_node::kind::empty) seq.children.push_back(std::move(a));
    }
    if (seq.children.size() == 1) return std::move(seq.children.front());
    if (seq.children.empty()) return regex_node{};
    return seq;
  }

  static bool is_quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

  regex_node quantified(regex_node a, bool repeatable) {
    if (at_end() || !is_quantifier(peek())) return a;
    const std::size_t q_at = pos_;
    int min = 0, max = -1;
    if (!quantifier(min, max)) return a;
    if (!repeatable) {
      fail(q_at, fmt::format("nothing to repeat before '{}'", p_[q_at]));
      return a;
    }
    bool greedy = true;
    if (peek() == '?' && !at_end()) { greedy = false; ++pos_; }
    else if (peek() == '+' && !at_end()) { fail(pos_, "possessive quantifiers (like a*+) are not supported"); return a; }
    if (!at_end() && is_quantifier(peek()) && (peek() != '{' || looks_like_repeat())) {
      fail(pos_, fmt::format("'{}' repeats a repetition: put the inner one in a group, as (?:a*)*", peek()));
      return a;
    }
    regex_node r = node_of(regex_node::kind::repeat);
    r.min = min;
    r.max = max;
    r.greedy = greedy;
    r.children.push_back(std::move(a));
    return r;
  }

  bool looks_like_repeat() const {
    std::size_t i = pos_ + 1;
    return i < p_.size() && std::isdigit(static_cast<unsigned char>(p_[i]));
  }

  // Reads * + ? {m} {m,} {m,n} at pos_; false (and failed_ set) when malformed.
  bool quantifier(int& min, int& max) {
    const char c = p_[pos_];
    if (c != '{') {
      ++pos_;
      min = c == '+' ? 1 : 0;
      max = c == '?' ? 1 : -1;
      return true;
    }
    const std::size_t open = pos_++;
    if (!number(min)) return bad_brace(open);
    max = min;
    if (peek() == ',' && !at_end()) {
      ++pos_;
      max = -1;
      if (peek() != '}' && !number(max)) return bad_brace(open);
    }
    if (peek() != '}' || at_end()) return bad_brace(open);
    ++pos_;
    if (min > regex_max_repeat || max > regex_max_repeat) {
      fail(open, fmt::format("repetition count {} is over the limit of {}", std::max(min, max), regex_max_repeat));
      return false;
    }
    if (max != -1 && max < min) {
      fail(open, fmt::format("{{{},{}}}: the maximum is below the minimum", min, max));
      return false;
    }
    return true;
  }

  bool bad_brace(std::size_t open) {
    fail(open, "'{' does not start a repetition {m}, {m,} or {m,n}; write \\{ for a brace");
    return false;
  }

  // Decimal digits at pos_; values past the limit are kept just above it.
  bool number(int& out) {
    const std::size_t start = pos_;
    long value = 0;
    while (!at_end() && std::isdigit(static_cast<unsigned char>(peek()))) {
      value = std::min<long>(value * 10 + (peek() - '0'), regex_max_repeat + 1L);
      ++pos_;
    }
    out = static_cast<int>(value);
    return pos_ > start;
  }

  regex_node bytes_node(byte_set set) const {
    regex_node n = node_of(regex_node::kind::bytes);
    n.set = flags_.icase ? fold_case(set) : set;
    return n;
  }

  regex_node assertion_node(regex_assertion a) const {
    regex_node n = node_of(regex_node::kind::assertion);
    n.assertion = a;
    return n;
  }

  regex_node atom(bool& repeatable) {
    const char c = p_[pos_];
    switch (c) {
      case '(': return group(repeatable);
      case '[': return char_class();
      case '.': {
        ++pos_;
        byte_set all;
        all.set();
        if (!flags_.dot_all) all['\n'] = false;
        return bytes_node(all);
      }
      case '^':
        ++pos_;
        return assertion_node(flags_.multiline ? regex_assertion::line_begin : regex_assertion::text_begin);
      case '$':
        ++pos_;
        return assertion_node(flags_.multiline ? regex_assertion::line_end : regex_assertion::text_end_newline);
      case '\\': return escaped_atom();
      case '*': case '+': case '?':
        fail(pos_, fmt::format("nothing to repeat before '{}'", c));
        return {};
      case '{':
        if (looks_like_repeat()) fail(pos_, "nothing to repeat before '{'");
        else bad_brace(pos_);
        return {};
      default: {
        ++pos_;
        byte_set one;
        one[static_cast<unsigned char>(c)] = true;
        return bytes_node(one);
      }
    }
  }

  regex_node escaped_atom() {
    escape e;
    if (!read_escape(false, e)) return {};
    if (e.type == escape::kind::assertion) return assertion_node(e.assertion);
    if (e.type == escape::kind::set) return bytes_node(e.set);
    byte_set one;
    one[e.byte] = true;
    return bytes_node(one);
  }

  bool read_escape(bool in_class, escape& out);
  regex_node group(bool& repeatable);
  bool group_flags(std::size_t open, bool& scoped);
  regex_node char_class();
  bool class_item(byte_set& set, std::optional<unsigned char>& single);

  std::string_view p_;
  std::size_t pos_ = 0;
  regex_error& error_;
  bool failed_ = false;
  flags flags_;
  int depth_ = 0;
};

// pos_ is at the backslash.
bool parser::read_escape(bool in_class, escape& out) {
  if (read_regex_escape(p_, pos_, in_class, out, error_)) return true;
  failed_ = true;
  return false;
}

// pos_ is at '('.  "(?i)" returns an empty node that cannot be repeated;
// its flags hold until the enclosing group ends.
regex_node parser::group(bool& repeatable) {
  const std::size_t open = pos_++;
  if (depth_ + 1 > regex_max_nesting) {
    fail(open, fmt::format("groups are nested deeper than {}", regex_max_nesting));
    return {};
  }
  const flags saved = flags_;
  if (peek() == '?' && !at_end()) {
    bool scoped = true;
    if (!group_flags(open, scoped)) return {};
    if (!scoped) {
      repeatable = false;
      return {};
    }
  }
  ++depth_;
  regex_node inner = alternation();
  --depth_;
  flags_ = saved;
  if (failed_) return {};
  if (at_end() || peek() != ')') {
    fail(open, "missing ')' for the group opened here");
    return {};
  }
  ++pos_;
  return inner;
}

// pos_ is at the '?' after '('.  Reads "?:", "?<name>", "?P<name>", "?flags)"
// or "?flags:"; `scoped` false for "?flags)".
bool parser::group_flags(std::size_t open, bool& scoped) {
  ++pos_;
  const char c = peek();
  if (c == ':') { ++pos_; return true; }
  if (c == '=' || c == '!' || (c == '<' && (peek(1) == '=' || peek(1) == '!'))) {
    fail(open, "lookahead and lookbehind are not supported (no linear-time matcher can follow them)");
    return false;
  }
  if (c == '>') { fail(open, "atomic groups (?>...) are not supported"); return false; }
  if (c == '<' || (c == 'P' && peek(1) == '<')) {
    pos_ += c == 'P' ? 2 : 1;
    const std::size_t name_at = pos_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')) ++pos_;
    if (pos_ == name_at || peek() != '>' || at_end()) { fail(open, "a named group is written (?<name>...)"); return false; }
    ++pos_;
    return true;
  }
  bool on = true;
  for (; !at_end() && peek() != ')' && peek() != ':'; ++pos_) {
    switch (peek()) {
      case '-': on = false; break;
      case 'i': flags_.icase = on; break;
      case 'm': flags_.multiline = on; break;
      case 's': flags_.dot_all = on; break;
      default:
        fail(pos_, fmt::format("unknown group or flag '(?{}': flags are i, m and s", peek()));
        return false;
    }
  }
  if (at_end()) { fail(open, "missing ')' for the group opened here"); return false; }
  scoped = peek() == ':';
  ++pos_;
  return true;
}

// pos_ is at '['.  A ']' first is a literal; '-' first or last is a literal.
regex_node parser::char_class() {
  const std::size_t open = pos_++;
  const bool negate = !at_end() && peek() == '^';
  if (negate) ++pos_;
  byte_set set;
  for (bool first = true;; first = false) {
    if (at_end()) { fail(open, "unterminated character class: missing ']'"); return {}; }
    if (peek() == ']' && !first) { ++pos_; break; }
    if (peek() == '[' && peek(1) == ':') {
      fail(pos_, "POSIX classes like [:alpha:] are not supported; use \\w, \\d, \\s or a range");
      return {};
    }
    const std::size_t item_at = pos_;
    std::optional<unsigned char> low;
    if (!class_item(set, low)) return {};
    const bool range = peek() == '-' && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']';
    if (!range) continue;
    if (!low) { fail(item_at, "a range cannot start with a class like \\d; write \\- for a hyphen"); return {}; }
    ++pos_;
    const std::size_t high_at = pos_;
    byte_set unused;
    std::optional<unsigned char> high;
    if (!class_item(unused, high)) return {};
    if (!high) { fail(high_at, "a range cannot end with a class like \\d"); return {}; }
    if (*high < *low) { fail(item_at, "range out of order: the first byte is above the last"); return {}; }
    for (int b = *low; b <= *high; ++b) set[b] = true;
  }
  if (flags_.icase) set = fold_case(set);
  if (negate) set.flip();
  regex_node n = node_of(regex_node::kind::bytes);
  n.set = set;
  return n;
}

// One byte or escape inside [...]; `single` is set when it stands for one byte.
bool parser::class_item(byte_set& set, std::optional<unsigned char>& single) {
  if (peek() != '\\') {
    single = static_cast<unsigned char>(p_[pos_++]);
    set[*single] = true;
    return true;
  }
  escape e;
  if (!read_escape(true, e)) return false;
  if (e.type == escape::kind::set) {
    set |= e.set;
    return true;
  }
  single = e.byte;
  set[e.byte] = true;
  return true;
}

}  // namespace

std::optional<regex_node> parse_regex(std::string_view pattern, regex_options options, regex_error& error) {
  if (pattern.size() > regex_max_pattern_length) {
    error = {regex_max_pattern_length, fmt::format("the pattern is {} bytes long, over the limit of {}", pattern.size(),
                                                   regex_max_pattern_length)};
    return std::nullopt;
  }
  return parser(pattern, options, error).parse();
}

}  // namespace sim::policy::detail
