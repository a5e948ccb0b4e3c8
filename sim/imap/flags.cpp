// sim/imap/flags.cpp - message flags: the system flags and keywords.
#include "sim/imap/flags.hpp"

#include <algorithm>

#include "sim/imap/limits.hpp"
#include "sim/imap/syntax.hpp"
#include "sim/message/text.hpp"

namespace sim::imap {

std::optional<std::string> storable_flag(std::string_view written) {
  if (written.starts_with('\\')) {
    for (auto f : system_flags) {
      if (message::iequals(f, written)) return std::string(f);
    }
    return std::nullopt;  // \Recent and unknown system flags
  }
  if (written.empty() || written.size() > limits::keyword_length || !is_atom(written)) return std::nullopt;
  return std::string(written);
}

bool has_flag(const flag_list& flags, std::string_view f) {
  return std::any_of(flags.begin(), flags.end(), [&](const std::string& x) { return message::iequals(x, f); });
}

bool add_flags(flag_list& flags, const flag_list& more) {
  bool changed = false;
  for (const auto& f : more) {
    if (has_flag(flags, f)) continue;
    flags.push_back(f);
    changed = true;
  }
  return changed;
}

bool remove_flags(flag_list& flags, const flag_list& less) {
  auto before = flags.size();
  std::erase_if(flags, [&](const std::string& x) { return has_flag(less, x); });
  return flags.size() != before;
}

bool replace_flags(flag_list& flags, const flag_list& now) {
  flag_list unique;
  add_flags(unique, now);
  if (same_flags(flags, unique)) return false;
  flags = std::move(unique);
  return true;
}

bool same_flags(const flag_list& a, const flag_list& b) {
  auto covers = [](const flag_list& x, const flag_list& y) {
    return std::all_of(y.begin(), y.end(), [&](const std::string& f) { return has_flag(x, f); });
  };
  return covers(a, b) && covers(b, a);
}

flag_list keywords_of(const flag_list& flags) {
  flag_list out;
  for (const auto& f : flags) {
    if (!f.starts_with('\\')) out.push_back(f);
  }
  return out;
}

std::string format_flags(const flag_list& flags) {
  std::string out = "(";
  for (const auto& f : flags) {
    if (out.size() > 1) out += ' ';
    out += f;
  }
  return out + ")";
}

}  // namespace sim::imap
