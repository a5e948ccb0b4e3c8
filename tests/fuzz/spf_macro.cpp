// spf_macro: sim/policy's SPF macro strings (RFC 7208 section 7).
//
// Input: a macro string (a domain-spec, a modifier value or an explanation
// text); the same text is parsed in each context.
//
// Invariants: what parses as a domain-spec also parses as a macro string in
// every context, and what parses as a modifier value parses as explanation
// text; uses() and ends_with_expand() agree with the tokens; expansion with
// the RFC 7208 7.4 example values never crashes; spf_query_name() of it
// only drops labels from the left (and one trailing dot), and is a valid DNS
// name when every label has 1..63 octets.
#include <string>

#include "sim/policy/spf_macro.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::policy;

namespace {

const spf_macro_values& values() {
  static const spf_macro_values v{"strong-bad@email.example.com",
                                  "strong-bad",
                                  "email.example.com",
                                  "email.example.com",
                                  "192.0.2.3",
                                  "mx.example.org",
                                  "in-addr",
                                  "mx.example.org",
                                  "192.0.2.3",
                                  "receiver.example.net",
                                  "1767603600"};
  return v;
}

void check_string(const spf_macro_string& m) {
  bool ends = !m.tokens.empty() && (!m.tokens.back().is_literal || m.tokens.back().letter == '%');
  fuzz::check(m.ends_with_expand() == ends, "ends_with_expand() agrees with the tokens");
  for (const auto& t : m.tokens) {
    if (t.is_literal) continue;
    fuzz::check(m.uses(t.letter), "uses() finds every macro letter");
    fuzz::check(t.keep_parts >= 0 && t.keep_parts <= 128, "a digit transformer within 0..128");
  }
  std::string expanded = expand_spf_macros(m, values());
  std::string name = spf_query_name(expanded);
  std::string_view base = expanded;
  if (base.ends_with('.')) base.remove_suffix(1);
  fuzz::check(base.ends_with(name), "a query name loses labels from the left only", name);
  bool labels_ok = !base.empty();
  for (std::string_view rest = base; labels_ok && !rest.empty();) {
    std::size_t dot = rest.find('.');
    std::size_t length = dot == std::string_view::npos ? rest.size() : dot;
    labels_ok = length >= 1 && length <= 63 && !(dot != std::string_view::npos && dot + 1 == rest.size());
    rest.remove_prefix(dot == std::string_view::npos ? rest.size() : dot + 1);
  }
  if (labels_ok) fuzz::check(is_valid_dns_name(name), "labels of 1..63 octets give a valid query name", name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto domain = parse_spf_domain_spec(text);
  auto in_domain = parse_spf_macro_string(text, spf_macro_context::domain_spec);
  auto in_modifier = parse_spf_macro_string(text, spf_macro_context::modifier);
  auto in_explanation = parse_spf_macro_string(text, spf_macro_context::explanation);
  if (domain) fuzz::check(in_domain.has_value(), "a domain-spec is a macro string", text);
  if (in_modifier) fuzz::check(in_explanation.has_value(), "a modifier value is also explanation text", text);
  for (const auto* m : {&domain, &in_domain, &in_modifier, &in_explanation})
    if (*m) check_string(**m);
  for (std::string_view label = text; !label.empty();) {
    std::size_t dot = label.find('.');
    (void)is_spf_toplabel(label.substr(0, dot));
    label.remove_prefix(dot == std::string_view::npos ? label.size() : dot + 1);
  }
  return 0;
}
