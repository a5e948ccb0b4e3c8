// tests/sim/auth/mutations.hpp - inputs cut and mutated byte by byte, for the parsers.
#pragma once

#include <string>
#include <string_view>

namespace sim::auth::test {

// Calls check(variant) for every prefix of `input`, every byte deleted, and
// every byte replaced by each of a few bytes that mean something to a
// tag-list or header parser (separators, white space, line ends, quotes,
// comments, NUL and 8-bit bytes).
template <typename F>
void for_each_mutation(std::string_view input, F&& check) {
  static constexpr std::string_view replacements = std::string_view(";= \t\r\n:,.@\"()\\/\0\xff" "Ab9", 20);
  for (std::size_t cut = 0; cut <= input.size(); ++cut) check(std::string(input.substr(0, cut)));
  for (std::size_t i = 0; i < input.size(); ++i) {
    std::string deleted(input);
    deleted.erase(i, 1);
    check(deleted);
    for (char c : replacements) {
      if (c == input[i]) continue;
      std::string changed(input);
      changed[i] = c;
      check(changed);
    }
  }
}

// The input with a fold (CRLF SP) in place of the white space at each
// position where there is one, one position at a time.
template <typename F>
void for_each_fold(std::string_view input, F&& check) {
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (input[i] != ' ') continue;
    std::string folded(input.substr(0, i));
    folded += "\r\n ";
    folded += input.substr(i + 1);
    check(folded, i);
  }
}

}  // namespace sim::auth::test
