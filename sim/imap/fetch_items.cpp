// sim/imap/fetch_items.cpp - what a FETCH asks for (RFC 9051 §6.4.5).
#include "sim/imap/fetch_items.hpp"

#include <fmt/format.h>

#include "sim/imap/limits.hpp"
#include "sim/imap/syntax.hpp"

namespace sim::imap {

namespace {

using item_kind = fetch_item::kind;
using text = section_spec::text;

constexpr std::pair<std::string_view, item_kind> simple_items[] = {
    {"FLAGS", item_kind::flags},         {"UID", item_kind::uid},
    {"INTERNALDATE", item_kind::internal_date}, {"RFC822.SIZE", item_kind::rfc822_size},
    {"RFC822.HEADER", item_kind::rfc822_header}, {"RFC822.TEXT", item_kind::rfc822_text},
    {"RFC822", item_kind::rfc822},       {"ENVELOPE", item_kind::envelope},
    {"BODYSTRUCTURE", item_kind::body_structure},
};

fetch_item item(item_kind what) {
  fetch_item out;
  out.what = what;
  return out;
}

// RFC 9051 §6.4.5 macros.
std::vector<fetch_item> macro(std::string_view name) {
  std::vector<fetch_item> out{item(item_kind::flags), item(item_kind::internal_date), item(item_kind::rfc822_size)};
  if (name != "FAST") out.push_back(item(item_kind::envelope));
  if (name == "FULL") out.push_back(item(item_kind::body));
  return out;
}

bool header_list(parser& p, section_spec& s) {
  if (!p.space() || !p.skip('(')) return p.fail("HEADER.FIELDS needs a parenthesized list of field names");
  do {
    auto name = p.astring();
    if (!name) return p.fail("invalid header field name");
    s.fields.push_back(std::move(*name));
  } while (p.space());
  if (!p.skip(')')) return p.fail("unbalanced parentheses in HEADER.FIELDS");
  return true;
}

// section-msgtext / "MIME" (after a part number only).
bool section_text(parser& p, section_spec& s, bool after_part) {
  if (p.word("HEADER.FIELDS.NOT")) return s.what = text::header_fields_not, header_list(p, s);
  if (p.word("HEADER.FIELDS")) return s.what = text::header_fields, header_list(p, s);
  if (p.word("HEADER")) return s.what = text::header, true;
  if (p.word("TEXT")) return s.what = text::body_text, true;
  if (after_part && p.word("MIME")) return s.what = text::mime, true;
  return p.fail("invalid body section");
}

// "[" [section-spec] "]" ["<" number "." nz-number ">"]
bool section(parser& p, fetch_item& it) {
  if (!p.skip('[')) return p.fail("BODY needs a section in brackets");
  section_spec& s = it.section;
  auto digit = [&p] { return p.peek() >= '1' && p.peek() <= '9'; };
  if (digit()) {
    for (;;) {
      auto n = p.nz_number();
      if (!n) return p.fail("invalid section part number");
      s.part.push_back(*n);
      if (s.part.size() > limits::max_nesting) return p.fail("body section nested too deep");
      if (!p.skip('.')) break;
      if (digit()) continue;
      if (!section_text(p, s, true)) return false;
      break;
    }
  } else if (p.peek() != ']') {
    if (!section_text(p, s, false)) return false;
  }
  if (!p.skip(']')) return p.fail("unbalanced brackets in body section");
  if (p.skip('<')) {
    auto origin = p.number64();
    auto count = origin && p.skip('.') ? p.number64() : std::nullopt;
    if (!count || *count == 0 || !p.skip('>')) return p.fail("invalid partial range <origin.count>");
    it.partial.emplace(*origin, *count);
  }
  return true;
}

std::optional<fetch_item> one_item(parser& p) {
  if (p.word("BODY.PEEK")) {
    fetch_item it = item(item_kind::section);
    it.peek = true;
    if (!section(p, it)) return std::nullopt;
    return it;
  }
  if (p.word("BODY")) {
    if (p.peek() != '[') return item(item_kind::body);
    fetch_item it = item(item_kind::section);
    if (!section(p, it)) return std::nullopt;
    return it;
  }
  for (auto [name, what] : simple_items) {
    if (p.word(name)) return item(what);
  }
  p.fail("unknown fetch item");
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<fetch_item>> parse_fetch_items(parser& p) {
  for (std::string_view name : {"ALL", "FAST", "FULL"}) {
    if (p.word(name)) return macro(name);
  }
  std::vector<fetch_item> out;
  bool list = p.skip('(');
  do {
    auto it = one_item(p);
    if (!it) return std::nullopt;
    if (out.size() >= limits::max_fetch_items) return p.fail("too many fetch items"), std::nullopt;
    out.push_back(std::move(*it));
  } while (list && p.space());
  if (list && !p.skip(')')) return p.fail("unbalanced parentheses in fetch items"), std::nullopt;
  return out;
}

std::string response_name(const fetch_item& it) {
  switch (it.what) {
    case item_kind::flags: return "FLAGS";
    case item_kind::uid: return "UID";
    case item_kind::internal_date: return "INTERNALDATE";
    case item_kind::rfc822_size: return "RFC822.SIZE";
    case item_kind::envelope: return "ENVELOPE";
    case item_kind::body_structure: return "BODYSTRUCTURE";
    case item_kind::body: return "BODY";
    case item_kind::rfc822: return "RFC822";
    case item_kind::rfc822_header: return "RFC822.HEADER";
    case item_kind::rfc822_text: return "RFC822.TEXT";
    case item_kind::section: break;
  }
  const section_spec& s = it.section;
  std::string spec;
  for (auto n : s.part) spec += fmt::format("{}{}", spec.empty() ? "" : ".", n);
  std::string_view word;
  switch (s.what) {
    case text::whole: break;
    case text::header: word = "HEADER"; break;
    case text::header_fields: word = "HEADER.FIELDS"; break;
    case text::header_fields_not: word = "HEADER.FIELDS.NOT"; break;
    case text::body_text: word = "TEXT"; break;
    case text::mime: word = "MIME"; break;
  }
  if (!word.empty()) spec += fmt::format("{}{}", spec.empty() ? "" : ".", word);
  if (!s.fields.empty()) {
    spec += " (";
    for (std::size_t i = 0; i < s.fields.size(); ++i) spec += fmt::format("{}{}", i ? " " : "", format_astring(s.fields[i]));
    spec += ")";
  }
  std::string out = fmt::format("BODY[{}]", spec);
  // RFC 9051 §7.5.2: only the origin is echoed.
  if (it.partial) out += fmt::format("<{}>", it.partial->first);
  return out;
}

bool sets_seen(const fetch_item& it) {
  return (it.what == item_kind::section && !it.peek) || it.what == item_kind::rfc822 || it.what == item_kind::rfc822_text;
}

}  // namespace sim::imap
