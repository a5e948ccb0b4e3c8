// sim/policy/regex_compile.cpp - syntax tree to Pike VM program (Thompson's
// construction).  Counted repetition is expanded, so its size is checked
// against regex_max_program_size before anything is emitted.
#include <algorithm>
#include <iterator>
#include <cstdint>

#include <fmt/format.h>

#include "sim/policy/regex_program.hpp"

namespace sim::policy::detail {
namespace {

constexpr std::uint64_t too_big = regex_max_program_size + 1;

std::uint64_t capped(std::uint64_t n) { return std::min(n, too_big); }

// Instructions emit() will produce for `node` (saturating at too_big).
std::uint64_t program_size(const regex_node& node) {
  using k = regex_node::kind;
  switch (node.type) {
    case k::empty: return 0;
    case k::bytes:
    case k::assertion: return 1;
    case k::concat: {
      std::uint64_t sum = 0;
      for (const auto& c : node.children) sum = capped(sum + program_size(c));
      return sum;
    }
    case k::alternate: {
      std::uint64_t sum = 2 * (node.children.size() - 1);  // a split and a jump per extra branch
      for (const auto& c : node.children) sum = capped(sum + program_size(c));
      return sum;
    }
    case k::repeat: {
      const std::uint64_t body = program_size(node.children.front());
      const auto min = static_cast<std::uint64_t>(node.min);
      if (node.max < 0) return capped(min == 0 ? body + 2 : min * body + 1);
      return capped(min * body + (static_cast<std::uint64_t>(node.max) - min) * (body + 1));
    }
  }
  return too_big;
}

class emitter {
 public:
  explicit emitter(regex_program& program) : code_(program.code) {}

  void emit(const regex_node& node) {
    using k = regex_node::kind;
    switch (node.type) {
      case k::empty: return;
      case k::bytes: {
        regex_inst inst = inst_of(regex_op::bytes);
        inst.bits = to_bits(node.set);
        code_.push_back(inst);
        return;
      }
      case k::assertion: {
        regex_inst inst = inst_of(regex_op::assert_at);
        inst.assertion = node.assertion;
        code_.push_back(inst);
        return;
      }
      case k::concat:
        for (const auto& c : node.children) emit(c);
        return;
      case k::alternate: return alternate(node);
      case k::repeat: return repeat(node);
    }
  }

 private:
  std::uint32_t here() const { return static_cast<std::uint32_t>(code_.size()); }
  std::uint32_t add(regex_op op) {
    code_.push_back(inst_of(op));
    return here() - 1;
  }
  // A split whose preferred branch is the next instruction when `greedy`.
  void set_split(std::uint32_t at, std::uint32_t next, std::uint32_t other, bool greedy) {
    code_[at].x = greedy ? next : other;
    code_[at].y = greedy ? other : next;
  }

  // split L1, L2; L1: a; jump end; L2: split ...; last branch.  Earlier branches win.
  void alternate(const regex_node& node) {
    std::vector<std::uint32_t> jumps;
    for (std::size_t i = 0; i + 1 < node.children.size(); ++i) {
      const std::uint32_t split = add(regex_op::split);
      emit(node.children[i]);
      jumps.push_back(add(regex_op::jump));
      set_split(split, split + 1, here(), true);
    }
    emit(node.children.back());
    for (std::uint32_t j : jumps) code_[j].x = here();
  }

  void repeat(const regex_node& node) {
    const regex_node& body = node.children.front();
    std::uint32_t last_copy = here();
    for (int i = 0; i < node.min; ++i) {
      last_copy = here();
      emit(body);
    }
    if (node.max < 0 && node.min > 0) {  // x{m,}: loop back into the last copy
      const std::uint32_t split = add(regex_op::split);
      set_split(split, last_copy, split + 1, true);
      if (!node.greedy) std::swap(code_[split].x, code_[split].y);
      return;
    }
    if (node.max < 0) {  // x*: L: split body, out; body; jump L
      const std::uint32_t split = add(regex_op::split);
      emit(body);
      const std::uint32_t jump = add(regex_op::jump);
      code_[jump].x = split;
      set_split(split, split + 1, here(), node.greedy);
      return;
    }
    std::vector<std::uint32_t> splits;  // x{m,n}: n-m optional copies, each may stop
    for (int i = node.min; i < node.max; ++i) {
      splits.push_back(add(regex_op::split));
      emit(body);
    }
    for (std::uint32_t s : splits) set_split(s, s + 1, here(), node.greedy);
  }

  std::vector<regex_inst>& code_;
};

// The bytes the first consumed byte can be, ignoring assertions (a superset);
// nullopt when a match can be empty or the set is every byte.
std::optional<byte_bits> first_bytes(const std::vector<regex_inst>& code) {
  byte_bits first;
  std::vector<bool> seen(code.size());
  std::vector<std::uint32_t> stack{0};
  while (!stack.empty()) {
    const std::uint32_t pc = stack.back();
    stack.pop_back();
    if (seen[pc]) continue;
    seen[pc] = true;
    const regex_inst& inst = code[pc];
    switch (inst.op) {
      case regex_op::match: return std::nullopt;
      case regex_op::bytes:
        for (int w = 0; w < 4; ++w) first.words[w] |= inst.bits.words[w];
        break;
      case regex_op::jump: stack.push_back(inst.x); break;
      case regex_op::split: stack.push_back(inst.y); stack.push_back(inst.x); break;
      case regex_op::assert_at: stack.push_back(pc + 1); break;
    }
  }
  if (std::all_of(std::begin(first.words), std::end(first.words), [](std::uint64_t w) { return w == ~0ull; }))
    return std::nullopt;
  return first;
}

}  // namespace

byte_bits to_bits(const byte_set& set) {
  byte_bits bits;
  for (int b = 0; b < 256; ++b) {
    if (set[b]) bits.words[b >> 6] |= 1ull << (b & 63);
  }
  return bits;
}

std::optional<regex_program> compile_regex(const regex_node& root, regex_error& error) {
  const std::uint64_t size = program_size(root) + 1;
  if (size > regex_max_program_size) {
    error.position = 0;
    error.reason = fmt::format("the pattern needs more than {} instructions once its repetitions are expanded; "
                               "use smaller counts in {{m,n}}", regex_max_program_size);
    return std::nullopt;
  }
  regex_program program;
  program.code.reserve(static_cast<std::size_t>(size));
  emitter(program).emit(root);
  program.code.push_back(inst_of(regex_op::match));
  if (const auto first = first_bytes(program.code)) {
    program.has_first_bytes = true;
    program.first_bytes = *first;
  }
  return program;
}

}  // namespace sim::policy::detail
