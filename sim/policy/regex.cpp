// sim/policy/regex.cpp - compile() and the Pike VM that runs a program.
//
// The VM keeps one ordered list of threads (program counter, match start)
// per input position; a thread earlier in the list has priority (Perl's
// leftmost-first choice).  An instruction enters a list at most once per
// position (the generation mark), so one byte costs at most one pass over
// the program, and the epsilon closure uses an explicit stack bounded by
// the program size, never the input.
#include "sim/policy/regex.hpp"

#include <array>
#include <bitset>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "sim/policy/regex_program.hpp"

namespace sim::policy {

using detail::regex_assertion;
using detail::regex_inst;
using detail::regex_op;

std::string regex_error::to_string() const { return fmt::format("at offset {}: {}", position, reason); }

namespace {

bool is_word(const char* text, std::size_t n, std::size_t i) {
  if (i >= n) return false;
  const auto c = static_cast<unsigned char>(text[i]);
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool accepts(const detail::byte_bits& bits, char c) {
  const auto b = static_cast<unsigned char>(c);
  return ((bits.words[b >> 6] >> (b & 63)) & 1u) != 0;
}

struct thread {
  std::uint32_t pc;
  std::size_t start;
};

// A list of threads with room for one per instruction (an instruction
// enters a position's list at most once), so adding never allocates.
struct thread_list {
  explicit thread_list(std::size_t capacity) : items(capacity) {}
  void push(std::uint32_t pc, std::size_t start) { items[size++] = {pc, start}; }
  std::vector<thread> items;
  std::size_t size = 0;
};

// Plain pointers and indices in the loops below: the same code then runs
// at a useful speed in the unoptimised sanitizer build too.
class pike_vm {
 public:
  pike_vm(const detail::regex_program& program, std::string_view text)
      : code_(program.code.data()),
        first_(program.has_first_bytes ? &program.first_bytes : nullptr),
        text_(text.data()),
        n_(text.size()),
        mark_(program.code.size(), 0),
        stack_(2 * program.code.size() + 2),
        current_(program.code.size()),
        next_(program.code.size()) {}

  std::optional<regex_match> run() {
    std::optional<regex_match> found;
    for (std::size_t i = 0;; ++i) {
      if (!found) {
        if (current_.size == 0) {
          if (first_) {
            while (i < n_ && !accepts(*first_, text_[i])) ++i;
            if (i == n_) break;  // no empty match is possible, and no byte can start one
          }
          for (std::uint32_t pc : start_closure(i)) current_.push(pc, i);
        } else {
          add(current_, 0, i, i);
        }
      } else if (current_.size == 0) {
        break;  // nothing left that could prefer a longer match
      }
      step(i, found);
      if (i == n_) break;
      std::swap(current_, next_);
      next_.size = 0;
    }
    return found;
  }

 private:
  // Runs every thread of position i in priority order; a match cuts off
  // the threads behind it.
  void step(std::size_t i, std::optional<regex_match>& found) {
    const thread* threads = current_.items.data();
    for (std::size_t k = 0; k < current_.size; ++k) {
      const regex_inst& inst = code_[threads[k].pc];
      if (inst.op == regex_op::match) {
        found = regex_match{threads[k].start, i - threads[k].start};
        return;
      }
      if (i < n_ && accepts(inst.bits, text_[i])) add(next_, threads[k].pc + 1, threads[k].start, i + 1);
    }
  }

  bool holds(regex_assertion a, std::size_t pos) const {
    switch (a) {
      case regex_assertion::text_begin: return pos == 0;
      case regex_assertion::text_end: return pos == n_;
      case regex_assertion::text_end_newline: return pos == n_ || (pos + 1 == n_ && text_[pos] == '\n');
      case regex_assertion::line_begin: return pos == 0 || text_[pos - 1] == '\n';
      case regex_assertion::line_end: return pos == n_ || text_[pos] == '\n';
      case regex_assertion::word_boundary: return (pos > 0 && is_word(text_, n_, pos - 1)) != is_word(text_, n_, pos);
      case regex_assertion::not_word_boundary:
        return (pos > 0 && is_word(text_, n_, pos - 1)) == is_word(text_, n_, pos);
    }
    return false;
  }

  // What the assertions see at `pos`: the 7 facts holds() reads.
  unsigned context_at(std::size_t pos) const {
    return (pos == 0 ? 1u : 0u) | (pos == n_ ? 2u : 0u) | (pos + 1 == n_ && text_[pos] == '\n' ? 4u : 0u) |
           (pos > 0 && text_[pos - 1] == '\n' ? 8u : 0u) | (pos < n_ && text_[pos] == '\n' ? 16u : 0u) |
           (pos > 0 && is_word(text_, n_, pos - 1) ? 32u : 0u) | (is_word(text_, n_, pos) ? 64u : 0u);
  }

  // The threads a match starting at `pos` begins with, when no other thread
  // is alive: they depend only on what the assertions see there, so they are
  // worked out once per context instead of once per byte.  No marks are
  // needed: nothing else enters this position's list.
  const std::vector<std::uint32_t>& start_closure(std::size_t pos) {
    const unsigned context = context_at(pos);
    if (!closure_known_[context]) {
      thread_list list(mark_.size());
      add(list, 0, pos, pos);
      for (std::size_t k = 0; k < list.size; ++k) closures_[context].push_back(list.items[k].pc);
      closure_known_[context] = true;
    }
    return closures_[context];
  }

  // Follows jumps, splits and assertions from `pc` at position `pos`, adding
  // the byte and match instructions reached, preferred branches first.
  void add(thread_list& list, std::uint32_t pc, std::size_t start, std::size_t pos) {
    const std::size_t generation = pos + 1;
    std::size_t* mark = mark_.data();
    std::uint32_t* stack = stack_.data();
    std::size_t top = 0;
    stack[top++] = pc;
    while (top > 0) {
      const std::uint32_t at = stack[--top];
      if (mark[at] == generation) continue;
      mark[at] = generation;
      const regex_inst& inst = code_[at];
      switch (inst.op) {
        case regex_op::jump: stack[top++] = inst.x; break;
        case regex_op::split:
          stack[top++] = inst.y;
          stack[top++] = inst.x;
          break;
        case regex_op::assert_at:
          if (holds(inst.assertion, pos)) stack[top++] = at + 1;
          break;
        case regex_op::bytes:
        case regex_op::match: list.push(at, start); break;
      }
    }
  }

  const regex_inst* code_;
  const detail::byte_bits* first_;
  const char* text_;
  std::size_t n_;
  std::vector<std::size_t> mark_;    // generation (position + 1) an instruction last entered a list
  std::vector<std::uint32_t> stack_; // each instruction pushes at most two others, once per call
  thread_list current_, next_;
  std::array<std::vector<std::uint32_t>, 128> closures_;  // start threads by context_at()
  std::bitset<128> closure_known_;
};

}  // namespace

regex::regex(std::string pattern, std::shared_ptr<const detail::regex_program> program)
    : pattern_(std::move(pattern)), program_(std::move(program)) {}

std::optional<regex> regex::compile(std::string_view pattern, regex_options options, regex_error* error) {
  regex_error local;
  regex_error& err = error ? *error : local;
  auto tree = detail::parse_regex(pattern, options, err);
  if (!tree) return std::nullopt;
  auto program = detail::compile_regex(*tree, err);
  if (!program) return std::nullopt;
  return regex(std::string(pattern), std::make_shared<const detail::regex_program>(std::move(*program)));
}

std::optional<regex_match> regex::search(std::string_view text) const { return pike_vm(*program_, text).run(); }

std::size_t regex::program_size() const { return program_->code.size(); }

}  // namespace sim::policy
