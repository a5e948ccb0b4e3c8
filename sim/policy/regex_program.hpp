// sim/policy/regex_program.hpp - inside the regex engine: syntax tree and
// NFA program (regex_parse.cpp builds the tree, regex_compile.cpp the
// program, regex.cpp runs it).  Not for use outside those files.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/policy/regex.hpp"

namespace sim::policy::detail {

using byte_set = std::bitset<256>;

enum class regex_assertion : std::uint8_t {
  text_begin,         // ^ (\A)
  text_end,           // \z
  text_end_newline,   // $: end, or before a final "\n" (Perl)
  line_begin,         // ^ under (?m)
  line_end,           // $ under (?m)
  word_boundary,      // \b
  not_word_boundary,  // \B
};

// The syntax tree.  Groups leave no node of their own: nothing is captured.
struct regex_node {
  enum class kind : std::uint8_t { empty, bytes, concat, alternate, repeat, assertion };
  kind type = kind::empty;
  byte_set set;                       // bytes: the bytes this one position accepts
  regex_assertion assertion{};        // assertion
  int min = 0;                        // repeat
  int max = -1;                       // repeat: -1 = no upper bound
  bool greedy = true;                 // repeat
  std::vector<regex_node> children;   // concat, alternate: the parts; repeat: the one repeated
};

inline regex_node node_of(regex_node::kind type) {
  regex_node n;
  n.type = type;
  return n;
}

// What an escape stands for: one byte, a set of bytes (\d ...) or an assertion (\b ...).
struct regex_escape {
  enum class kind : std::uint8_t { byte, set, assertion } type = kind::byte;
  unsigned char byte = 0;
  byte_set set;
  regex_assertion assertion{};
};

// Reads the escape whose backslash is at pattern[pos] and moves pos past it;
// false and `error` set when it is invalid or refused.  Inside a class,
// \b is a backspace and the assertions are refused.
bool read_regex_escape(std::string_view pattern, std::size_t& pos, bool in_class, regex_escape& out, regex_error& error);

// Parses `pattern` with the options as initial flags; nullopt and `error` set on failure.
std::optional<regex_node> parse_regex(std::string_view pattern, regex_options options, regex_error& error);

enum class regex_op : std::uint8_t { bytes, split, jump, assert_at, match };

// One bit per byte value, as plain words: the VM's inner loop is then a
// shift and a mask even in an unoptimised (sanitizer) build.
struct byte_bits {
  std::uint64_t words[4] = {0, 0, 0, 0};
};
byte_bits to_bits(const byte_set& set);

struct regex_inst {
  regex_op op = regex_op::match;
  regex_assertion assertion{};  // assert_at
  std::uint32_t x = 0;          // split: preferred branch; jump: target
  std::uint32_t y = 0;          // split: the other branch
  byte_bits bits;               // bytes: the bytes it accepts
};

inline regex_inst inst_of(regex_op op) {
  regex_inst i;
  i.op = op;
  return i;
}

struct regex_program {
  std::vector<regex_inst> code;  // starts at 0
  // The bytes a match can start with, when it cannot be empty: the VM skips
  // ahead to one of them instead of starting threads that die at once.
  bool has_first_bytes = false;
  byte_bits first_bytes;
};

// Builds the program; nullopt and `error` set when it would exceed
// regex_max_program_size.
std::optional<regex_program> compile_regex(const regex_node& root, regex_error& error);

}  // namespace sim::policy::detail
