// spf_record: sim/policy's SPF records (RFC 7208 4.5, 4.6, 5, 6), as a domain may publish them.
//
// Input: TXT character-strings separated by NUL octets (each record's
// strings joined as section 3.3 says), the first string also a record.
//
// Invariants: parse_spf_record() gives a record or a permerror reason,
// never both; a record starts with "v=spf1"; CIDR lengths lie within 0..32
// and 0..128; a mechanism that needs a domain has one; the terms written
// back (each as written, then redirect= and exp=) parse to the same
// mechanisms; at most one redirect and one exp; record selection finds one
// exactly when one string is an SPF record; CIDR text reads back.
#include <string>
#include <vector>

#include "sim/policy/cidr.hpp"
#include "sim/policy/spf_record.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::policy;

namespace {

std::string kinds_of(const spf_record& r) {
  std::string out;
  for (const auto& m : r.mechanisms)
    out += std::to_string(static_cast<int>(m.qualifier)) + ":" + std::to_string(static_cast<int>(m.kind)) + ":" +
           std::to_string(m.ip4_prefix_length) + ":" + std::to_string(m.ip6_prefix_length) + ",";
  return out;
}

void check_record(std::string_view text) {
  auto parsed = parse_spf_record(text);
  fuzz::check(parsed.record.has_value() != !parsed.error.empty(), "a record or a reason, not both", text);
  if (!parsed.record) return;
  const auto& r = *parsed.record;
  fuzz::check(is_spf_record(text), "a parsed record starts with v=spf1", text);
  std::string again = "v=spf1";
  for (const auto& m : r.mechanisms) {
    fuzz::check(!m.text.empty() && text.find(m.text) != std::string_view::npos, "a term is as written", m.text);
    fuzz::check(m.ip4_prefix_length >= 0 && m.ip4_prefix_length <= 32, "IPv4 prefix within 0..32", m.text);
    fuzz::check(m.ip6_prefix_length >= 0 && m.ip6_prefix_length <= 128, "IPv6 prefix within 0..128", m.text);
    bool needs_domain = m.kind == spf_mechanism_kind::include || m.kind == spf_mechanism_kind::exists;
    if (needs_domain) fuzz::check(m.domain_spec.has_value(), "include and exists name a domain", m.text);
    again += " " + m.text;
  }
  if (r.redirect) again += " redirect=" + r.redirect_text;
  if (r.exp) again += " exp=" + r.exp_text;
  auto back = parse_spf_record(again);
  fuzz::check(back.record.has_value(), "the terms written back parse", again);
  fuzz::check(kinds_of(*back.record) == kinds_of(r), "the terms written back mean the same", again);
  fuzz::check(back.record->redirect.has_value() == r.redirect.has_value() &&
                  back.record->exp.has_value() == r.exp.has_value(),
              "redirect and exp written back", again);
}

void check_selection(std::string_view input) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> current;
  int spf = 0;
  for (std::string_view rest = input;;) {
    std::size_t nul = rest.find('\0');
    std::string_view piece = rest.substr(0, nul);
    std::size_t semi = piece.find(';');  // ';' splits one record's character-strings
    current.emplace_back(piece.substr(0, semi));
    if (semi != std::string_view::npos) current.emplace_back(piece.substr(semi + 1));
    std::string joined;
    for (const auto& s : current) joined += s;
    spf += is_spf_record(joined) ? 1 : 0;
    records.push_back(std::move(current));
    current.clear();
    if (nul == std::string_view::npos) break;
    rest.remove_prefix(nul + 1);
  }
  auto chosen = select_spf_record(records);
  using o = spf_selection::outcome;
  fuzz::check(chosen.found == (spf == 0 ? o::none : spf == 1 ? o::one : o::many), "selection counts SPF records");
  if (chosen.found == o::one) fuzz::check(is_spf_record(chosen.text), "the selected record is an SPF record");
}

void check_cidr(std::string_view text) {
  auto c = parse_cidr(text);
  if (!c) return;
  std::string shown = c->to_string();
  fuzz::check(parse_cidr(shown) == c, "CIDR text reads back", shown);
  fuzz::check(contains(*c, c->network), "a prefix contains its own network address", shown);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view first = input.substr(0, input.find('\0'));
  check_record(first);
  check_selection(input);
  check_cidr(first);
  return 0;
}
