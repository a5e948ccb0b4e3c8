// sim/imap/mailbox_name.cpp - mailbox names: wire form, safety, LIST patterns.
#include "sim/imap/mailbox_name.hpp"

#include <vector>

#include "sim/imap/limits.hpp"
#include "sim/imap/mutf7.hpp"
#include "sim/message/text.hpp"

namespace sim::imap {

namespace {

// C0 controls, DEL, and C1 controls (U+0080-U+009F, "\xc2\x80"-"\xc2\x9f" in UTF-8).
bool has_control(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0) return true;
  }
  return false;
}

std::string canonical_pattern(std::string_view pattern) {
  // A pattern starting with "inbox" in any case matches INBOX.
  auto slash = pattern.find(hierarchy_delimiter);
  auto first = pattern.substr(0, slash);
  if (!is_inbox(first)) return std::string(pattern);
  return std::string(inbox) + std::string(pattern.substr(first.size()));
}

}  // namespace

bool is_inbox(std::string_view name) { return message::iequals(name, inbox); }

std::string canonical_name(std::string_view utf8) { return canonical_pattern(utf8); }

std::optional<std::string_view> unsafe_name(std::string_view utf8) {
  if (utf8.empty()) return "empty mailbox name";
  if (utf8.size() > limits::mailbox_name) return "mailbox name too long";
  if (!valid_utf8(utf8)) return "mailbox name is not UTF-8";
  if (has_control(utf8)) return "control character in mailbox name";
  if (utf8.find_first_of("\\*%") != std::string_view::npos) return "mailbox names may not contain \\, * or %";
  std::size_t depth = 0;
  std::size_t start = 0;
  for (;;) {
    auto slash = utf8.find(hierarchy_delimiter, start);
    auto part = utf8.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty()) return "empty hierarchy level in mailbox name";
    if (part == "." || part == "..") return "mailbox name level may not be . or ..";
    if (++depth > limits::mailbox_depth) return "mailbox name nested too deep";
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return std::nullopt;
}

decoded_name decode_mailbox(std::string_view wire) {
  auto utf8 = decode_mutf7(wire);
  if (!utf8) return {std::nullopt, "mailbox name is not valid modified UTF-7"};
  auto name = canonical_name(*utf8);
  if (auto why = unsafe_name(name)) return {std::nullopt, std::string(*why)};
  return {std::move(name), {}};
}

std::string encode_mailbox(std::string_view utf8) { return encode_mutf7(utf8); }

std::optional<std::string> list_pattern(std::string_view reference, std::string_view pattern) {
  auto ref = decode_mutf7(reference);
  auto pat = decode_mutf7(pattern);
  if (!ref || !pat) return std::nullopt;
  return canonical_pattern(*ref + *pat);
}

// Dynamic programming over (pattern position, name position): linear in
// their product, whatever the wildcards (no exponential backtracking).
bool pattern_matches(std::string_view pattern, std::string_view name) {
  const std::size_t n = name.size();
  std::vector<char> row(n + 1, 0), next(n + 1, 0);
  row[0] = 1;
  for (char p : pattern) {
    std::fill(next.begin(), next.end(), 0);
    if (p == '*' || p == '%') {
      // Zero or more characters (for "%", none of them the delimiter).
      char carry = 0;
      for (std::size_t j = 0; j <= n; ++j) {
        if (j > 0 && p == '%' && name[j - 1] == hierarchy_delimiter) carry = 0;
        carry = static_cast<char>(carry || row[j]);
        next[j] = carry;
      }
    } else {
      for (std::size_t j = 1; j <= n; ++j) next[j] = static_cast<char>(row[j - 1] && name[j - 1] == p);
    }
    row.swap(next);
  }
  return row[n] != 0;
}

std::optional<std::string> parent_name(std::string_view name) {
  auto slash = name.rfind(hierarchy_delimiter);
  if (slash == std::string_view::npos) return std::nullopt;
  return std::string(name.substr(0, slash));
}

}  // namespace sim::imap
