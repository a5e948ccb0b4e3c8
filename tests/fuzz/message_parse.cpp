// message_parse: sim/message's RFC 5322 message, as any peer may send one.
//
// Input: the message; its first line also serves as a field value.
//
// Invariants: parse then serialize gives the input back byte for byte;
// serialize is header, separator, body; a field prepended (as Received is)
// or appended reads back as its unfolded value, first or last, and the
// rest of the message is untouched; fold() loses nothing unfold() keeps;
// the MIME tree of the message and every decoded body come out without a
// crash, within the nesting bound.
#include <string>

#include "sim/message/message.hpp"
#include "sim/message/mime.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::message;

namespace {

int depth_of(const mime_entity& e) {
  int d = 0;
  for (const auto& c : e.children) d = std::max(d, 1 + depth_of(c));
  return d;
}

void decode_all(const mime_entity& e) {
  (void)decode_body(e.entity);
  (void)content_type_of(e.entity);
  for (const auto& c : e.children) decode_all(c);
}

// The header fields as name and unfolded value.
std::vector<std::string> fields_of(const message& m) {
  std::vector<std::string> out;
  for (const auto& f : m.fields()) out.push_back(f.name + ":" + unfold(f.value));
  return out;
}

void check_added_field(const message& original, std::string_view value, bool first) {
  message m = original;
  if (first) m.prepend("X-Fuzz", value);
  else m.append("X-Fuzz", value);
  message back = message::parse(m.serialize());
  auto want = fields_of(original);
  want.insert(first ? want.begin() : want.end(), "X-Fuzz:" + unfold(value));
  fuzz::check(fields_of(back) == want, first ? "a prepended field reads back first, the rest unchanged"
                                             : "an appended field reads back last, the rest unchanged",
              m.serialize());
  fuzz::check(back.body() == original.body(), "adding a field leaves the body alone", m.serialize());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  message m = message::parse(raw);
  fuzz::check(m.serialize() == raw, "parse then serialize gives the input back");
  fuzz::check(m.header_text().size() + m.body().size() <= raw.size(), "header and body are parts of the input");
  for (const auto& f : m.fields()) {
    std::string_view name = f.name;  // white space before the colon is obsolete syntax (RFC 5322 4.5.8)
    while (name.ends_with(' ') || name.ends_with('\t')) name.remove_suffix(1);
    fuzz::check(m.get(name).has_value(), "every field can be looked up by its name", f.name);
    fuzz::check(m.count(name) >= 1 && m.get_all(name).size() == m.count(name), "count and get_all agree");
  }

  std::string_view value = raw.substr(0, raw.find_first_of("\r\n"));
  std::string folded = fold("Subject", value, "\r\n");
  fuzz::check(unfold(folded) == unfold(value), "fold loses nothing unfold keeps", folded);
  if (value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos && m.line_end() == "\r\n") {
    check_added_field(m, value, true);
    check_added_field(m, value, false);
  }
  message copy = m;
  fuzz::check(copy.remove("X-Fuzz-Absent") == 0 && copy.serialize() == raw, "removing nothing changes nothing");

  mime_entity tree = parse_mime(raw);
  fuzz::check(depth_of(tree) <= max_mime_depth, "MIME nesting within the bound");
  decode_all(tree);
  return 0;
}
