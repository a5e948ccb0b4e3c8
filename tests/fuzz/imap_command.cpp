// imap_command: sim/imap's command reader and parsers, fed what an IMAP client might send.
//
// Input: one byte of options (split, small reader limits, whether
// synchronizing literals are accepted), then the client's bytes.  Each whole
// command is split into tag and name and its arguments parsed, as the
// server does; after AUTHENTICATE or IDLE one raw line is read in line
// mode.  Each line is also tried as a mailbox name (modified UTF-7), a
// LIST pattern, a sequence set, search keys and a flag.
//
// Invariants: the same events however the bytes are split; a command never
// exceeds the reader's limits; the trace's view of a command is one line
// with LOGIN's password masked; modified UTF-7 has one spelling (decode
// then encode gives the input back) and UTF-8 survives encode and decode;
// decoded mailbox names are safe and survive encoding; sequence sets
// resolve to ascending, merged ranges that survive format_set(); flags
// check idempotently.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/imap/command.hpp"
#include "sim/imap/command_reader.hpp"
#include "sim/imap/flags.hpp"
#include "sim/imap/mailbox_name.hpp"
#include "sim/imap/mutf7.hpp"
#include "sim/imap/parser.hpp"
#include "sim/imap/search.hpp"
#include "sim/imap/sequence_set.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::imap;

namespace {

void check_command(const std::string& text, const reader_limits& limits) {
  fuzz::check(text.size() <= limits.command, "a command within the size limit");
  std::string shown = display_command(text);
  fuzz::check(shown.find('\n') == std::string::npos, "the trace shows a command on one line", shown);
  auto split = split_command(text);
  if (!split.head) return;
  fuzz::check(split.tag && *split.tag == split.head->tag, "the head carries the tag");
  parser p(text);
  p.seek(split.arguments_at);
  auto args = parse_arguments(*split.head, p);
  if (!args) return;
  if (std::holds_alternative<login_args>(*args))
    fuzz::check(shown.ends_with("********"), "LOGIN's password is masked", shown);
}

std::vector<std::string> read_commands(std::string_view stream, std::uint8_t opts, bool chunked) {
  reader_limits limits;
  // Small limits (the line limit stays over the 64 octets a dropped command keeps).
  if (opts & 1) limits = reader_limits{80, 64, 300, 3};
  bool accept = opts & 2;
  command_reader reader(limits);
  std::vector<std::string> out;
  bool line_mode = false;
  fuzz::chunker chunks(stream, opts);
  bool given = false;
  while (true) {
    if (line_mode) {
      if (auto line = reader.next_line()) {
        fuzz::check(line->too_long || line->text.size() <= limits.line, "a raw line within the limit");
        out.push_back("line:" + line->text + (line->too_long ? " (too long)" : ""));
        line_mode = false;
        continue;
      }
    } else if (auto ev = reader.next()) {
      switch (ev->what) {
        case reader_event::kind::command: {
          check_command(ev->text, limits);
          out.push_back("command:" + ev->text);
          auto split = split_command(ev->text);
          line_mode = split.head && (split.head->name == "AUTHENTICATE" || split.head->name == "IDLE");
          break;
        }
        case reader_event::kind::literal_request:
          fuzz::check(reader.waiting_for_decision(), "a literal request waits for a decision");
          fuzz::check(!reader.next(), "nothing more until the decision");
          out.push_back(fmt::format("literal:{}", ev->size));
          if (accept && ev->within_limits) reader.accept_literal();
          else reader.reject_literal();
          break;
        case reader_event::kind::too_long: out.push_back("too long:" + ev->text); break;
        case reader_event::kind::literal_too_big: out.push_back("literal too big"); return out;
      }
      continue;
    }
    if (chunked ? chunks.done() : given) return out;
    reader.feed(chunked ? chunks.next() : stream);
    given = true;
  }
}

void check_names(std::string_view text) {
  if (auto utf8 = decode_mutf7(text)) {
    fuzz::check(valid_utf8(*utf8), "modified UTF-7 decodes to UTF-8", text);
    fuzz::check(encode_mutf7(*utf8) == text, "modified UTF-7 has one spelling", text);
  }
  if (valid_utf8(text))
    fuzz::check(decode_mutf7(encode_mutf7(text)) == std::string(text), "UTF-8 survives mUTF-7", text);
  auto name = decode_mailbox(text);
  if (name.name) {
    fuzz::check(!unsafe_name(*name.name), "a decoded mailbox name is safe", *name.name);
    fuzz::check(decode_mailbox(encode_mailbox(*name.name)).name == name.name, "a mailbox name survives encoding",
                *name.name);
    fuzz::check(pattern_matches(*name.name, *name.name), "a name matches itself as a pattern", *name.name);
    (void)parent_name(*name.name);
  }
  if (auto pattern = list_pattern("", text)) (void)pattern_matches(*pattern, "INBOX/a/b");
}

void check_sets(std::string_view text) {
  parser p(text);
  auto set = parse_sequence_set(p);
  if (!set) return;
  for (std::uint32_t largest : {0u, 7u, 4294967295u}) {
    auto ranges = resolve(*set, largest);
    std::uint64_t count = 0;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      fuzz::check(ranges[i].first >= 1 && ranges[i].first <= ranges[i].second, "resolved ranges are ordered", text);
      if (i > 0) fuzz::check(ranges[i].first > ranges[i - 1].second + 1ull, "resolved ranges are merged", text);
      count += ranges[i].second - ranges[i].first + 1ull;
    }
    if (count > 1000 || ranges.empty()) continue;
    std::vector<std::uint32_t> numbers;
    for (auto [a, b] : ranges)
      for (std::uint64_t n = a; n <= b; ++n) numbers.push_back(static_cast<std::uint32_t>(n));
    std::string formatted = format_set(numbers);
    parser again(formatted);
    auto back = parse_sequence_set(again);
    fuzz::check(back && again.at_end() && resolve(*back, largest) == ranges, "format_set reads back", formatted);
  }
}

void check_search_and_flags(std::string_view text) {
  parser p(text);
  if (auto key = parse_search_keys(p)) bind(*key, 5, 9);
  if (auto f = storable_flag(text)) {
    fuzz::check(storable_flag(*f) == f, "a checked flag checks again unchanged", text);
    flag_list flags{*f};
    fuzz::check(has_flag(flags, text), "a stored flag is found as written", text);
    (void)format_flags(flags);
  }
  (void)literal_at_end(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::uint8_t opts = in.byte();
  std::string_view stream = in.rest();
  fuzz::check(read_commands(stream, opts, false) == read_commands(stream, opts, true),
              "the same commands however the input is split");
  for (std::string_view rest = stream; !rest.empty();) {
    std::size_t lf = rest.find('\n');
    std::string_view line = rest.substr(0, lf);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.size() <= 1024) {
      check_names(line);
      check_sets(line);
      check_search_and_flags(line);
    }
    rest.remove_prefix(lf == std::string_view::npos ? rest.size() : lf + 1);
  }
  return 0;
}
