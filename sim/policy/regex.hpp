// sim/policy/regex.hpp - regular expressions that cannot explode, sans-I/O.
//
// Patterns compile to a Thompson NFA that a Pike VM runs over the input:
// every byte advances all live threads together and each instruction runs
// at most once per byte, so a search costs O(program size x input size)
// time and O(program size) memory, whatever the pattern.  There is no
// backtracking and no recursion over the input: `(a*)*b` on 10 MB of "a"
// is as cheap as `b`.  Syntax that needs backtracking (backreferences,
// lookaround) is refused at compile time with its position and reason.
//
// Bytes, not characters: `.` and classes match one byte; case folding and
// `\d \w \s \b` are ASCII (UTF-8 text still matches literally).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sim::policy {

// Bounds checked at compile time; they keep one rule's cost predictable.
inline constexpr std::size_t regex_max_pattern_length = 4096;  // bytes of pattern text
inline constexpr int regex_max_repeat = 1000;                  // m and n in {m,n}
inline constexpr std::size_t regex_max_program_size = 20000;   // instructions, repetitions expanded
inline constexpr int regex_max_nesting = 100;                  // groups inside groups

struct regex_options {
  bool case_insensitive = false;  // as (?i): ASCII letters match either case
  bool multiline = false;         // as (?m): ^ and $ also match at inner line ends
  bool dot_all = false;           // as (?s): . also matches "\n"
};

struct regex_error {
  std::size_t position = 0;  // byte offset in the pattern where the problem is
  std::string reason;        // "nothing to repeat before '*'"
  // "at offset 3: nothing to repeat before '*'"
  std::string to_string() const;
};

// The leftmost match; among matches starting there, the one Perl would pick
// (greedy and lazy quantifiers choose which match, never what it costs).
struct regex_match {
  std::size_t position = 0;
  std::size_t length = 0;
  friend bool operator==(const regex_match&, const regex_match&) = default;
};

namespace detail {
struct regex_program;
}

class regex {
 public:
  // nullopt and `*error` set when the pattern is invalid or over a bound.
  static std::optional<regex> compile(std::string_view pattern, regex_options options = {},
                                      regex_error* error = nullptr);

  // Finds the pattern anywhere in `text` (search, not full match).
  std::optional<regex_match> search(std::string_view text) const;
  bool found_in(std::string_view text) const { return search(text).has_value(); }

  const std::string& pattern() const { return pattern_; }
  std::size_t program_size() const;

 private:
  regex(std::string pattern, std::shared_ptr<const detail::regex_program> program);

  std::string pattern_;
  std::shared_ptr<const detail::regex_program> program_;  // immutable, shared by copies
};

}  // namespace sim::policy
