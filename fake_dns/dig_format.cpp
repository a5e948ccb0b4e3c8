// fake_dns/dig_format.cpp - dig's status line and sections.
#include "fake_dns/dig_format.hpp"

#include <fmt/format.h>

namespace dns {
namespace {

constexpr std::size_t tab_width = 8;

// A line laid out in BIND's master-file style: each field starts at its
// column, reached with tabs, or after one space when the text already
// reaches it.
class columns {
 public:
  void add(std::string_view text) {
    text_ += text;
    column_ += text.size();
  }
  void pad_to(std::size_t column) {
    if (column_ >= column) {
      add(" ");
      return;
    }
    while (column_ < column) {
      text_ += '\t';
      column_ = (column_ / tab_width + 1) * tab_width;
    }
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
  std::size_t column_ = 0;
};

std::string shown_name(std::string_view name) {
  try {
    return presentation_name(canonical_name(name));
  } catch (const parse_error&) {
    return std::string(name);  // shown as asked: the answer is FORMERR anyway
  }
}

}  // namespace

std::string dig_status_line(rcode code) {
  return fmt::format(";; ->>HEADER<<- opcode: QUERY, status: {}", rcode_name(code));
}

std::string dig_question_line(std::string_view name, rr_type type) {
  columns line;
  line.add(";");
  line.add(shown_name(name));
  line.pad_to(32);
  line.add("IN");
  line.pad_to(40);
  line.add(type_text(type));
  return line.take();
}

std::string dig_record_line(const record& r) {
  columns line;
  line.add(presentation_name(r.name));
  line.pad_to(24);
  line.add(std::to_string(r.ttl));
  line.pad_to(32);
  line.add("IN");
  line.pad_to(40);
  line.add(type_text(r.type));
  line.pad_to(48);
  line.add(rdata_text(r));
  return line.take();
}

std::string format_dig(std::string_view name, rr_type type, const answer& a) {
  if (a.code == rcode::timeout) return ";; connection timed out; no servers could be reached\n";
  std::string out = dig_status_line(a.code) + "\n";
  out += fmt::format(";; flags: qr aa; QUERY: 1, ANSWER: {}, AUTHORITY: 0, ADDITIONAL: 0\n\n", a.records.size());
  out += ";; QUESTION SECTION:\n" + dig_question_line(name, type) + "\n";
  if (!a.records.empty()) {
    out += "\n;; ANSWER SECTION:\n";
    for (const auto& r : a.records) out += dig_record_line(r) + "\n";
  }
  return out;
}

}  // namespace dns
