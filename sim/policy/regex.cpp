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
#include <cctype>
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

bool is_word(std::string_view text, std::size_t i) {
  if (i >= text.size()) return false;
  const auto c = static_cast<unsigned char>(text[i]);
  return std::isalnum(c) || c == '_';
}

bool holds(regex_assertion a, std::string_view text, std::size_t pos) {
  const std::size_t n = text.size();
  switch (a) {
    case regex_assertion::text_begin: return pos == 0;
    case regex_assertion::text_end: return pos == n;
    case regex_assertion::text_end_newline: return pos == n || (pos + 1 == n && text[pos] == '\n');
    case regex_assertion::line_begin: return pos == 0 || text[pos - 1] == '\n';
    case regex_assertion::line_end: return pos == n || text[pos] == '\n';
    case regex_assertion::word_boundary: return (pos > 0 && is_word(text, pos - 1)) != is_word(text, pos);
    case regex_assertion::not_word_boundary: return (pos > 0 && is_word(text, pos - 1)) == is_word(text, pos);
  }
  return false;
}

struct thread {
  std::uint32_t pc;
  std::size_t start;
};

class pike_vm {
 public:
  pike_vm(const detail::regex_program& program, std::string_view text)
      : code_(program.code), first_(program.first_bytes), text_(text), mark_(code_.size(), 0) {}

  std::optional<regex_match> run() {
    const std::size_t n = text_.size();
    std::optional<regex_match> found;
    for (std::size_t i = 0;; ++i) {
      if (!found) {
        if (current_.empty()) {
          if (first_) {
            while (i < n && !(*first_)[static_cast<unsigned char>(text_[i])]) ++i;
            if (i == n) break;  // no empty match is possible, and no byte can start one
          }
          for (std::uint32_t pc : start_closure(i)) current_.push_back({pc, i});
        } else {
          add(current_, 0, i, i);
        }
      } else if (current_.empty()) {
        break;  // nothing left that could prefer a longer match
      }
      step(i, found);
      if (i == n) break;
      std::swap(current_, next_);
      next_.clear();
    }
    return found;
  }

 private:
  // Runs every thread of position i in priority order; a match cuts off
  // the threads behind it.
  void step(std::size_t i, std::optional<regex_match>& found) {
    for (const thread& t : current_) {
      const regex_inst& inst = code_[t.pc];
      if (inst.op == regex_op::match) {
        found = regex_match{t.start, i - t.start};
        return;
      }
      if (i < text_.size() && inst.set[static_cast<unsigned char>(text_[i])]) add(next_, t.pc + 1, t.start, i + 1);
    }
  }

  // What the assertions see at `pos`: the 7 facts holds() reads.
  unsigned context_at(std::size_t pos) const {
    const std::size_t n = text_.size();
    return (pos == 0 ? 1u : 0u) | (pos == n ? 2u : 0u) | (pos + 1 == n && text_[pos] == '\n' ? 4u : 0u) |
           (pos > 0 && text_[pos - 1] == '\n' ? 8u : 0u) | (pos < n && text_[pos] == '\n' ? 16u : 0u) |
           (pos > 0 && is_word(text_, pos - 1) ? 32u : 0u) | (is_word(text_, pos) ? 64u : 0u);
  }

  // The threads a match starting at `pos` begins with, when no other thread
  // is alive: they depend only on what the assertions see there, so they are
  // worked out once per context instead of once per byte.  No marks are
  // needed: nothing else enters this position's list.
  const std::vector<std::uint32_t>& start_closure(std::size_t pos) {
    const unsigned context = context_at(pos);
    if (!closure_known_[context]) {
      std::vector<thread> list;
      add(list, 0, pos, pos);
      for (const thread& t : list) closures_[context].push_back(t.pc);
      closure_known_[context] = true;
    }
    return closures_[context];
  }

  // Follows jumps, splits and assertions from `pc` at position `pos`, adding
  // the byte and match instructions reached, preferred branches first.
  void add(std::vector<thread>& list, std::uint32_t pc, std::size_t start, std::size_t pos) {
    const std::size_t generation = pos + 1;
    stack_.push_back(pc);
    while (!stack_.empty()) {
      const std::uint32_t at = stack_.back();
      stack_.pop_back();
      if (mark_[at] == generation) continue;
      mark_[at] = generation;
      const regex_inst& inst = code_[at];
      switch (inst.op) {
        case regex_op::jump: stack_.push_back(inst.x); break;
        case regex_op::split:
          stack_.push_back(inst.y);
          stack_.push_back(inst.x);
          break;
        case regex_op::assert_at:
          if (holds(inst.assertion, text_, pos)) stack_.push_back(at + 1);
          break;
        case regex_op::bytes:
        case regex_op::match: list.push_back({at, start}); break;
      }
    }
  }

  const std::vector<regex_inst>& code_;
  const std::optional<detail::byte_set>& first_;
  std::string_view text_;
  std::vector<std::size_t> mark_;  // generation (position + 1) an instruction last entered a list
  std::vector<thread> current_, next_;
  std::vector<std::uint32_t> stack_;
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
