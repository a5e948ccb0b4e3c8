// sim/policy/spf_record.cpp - SPF record selection and term parsing.
#include "sim/policy/spf_record.hpp"

#include <fmt/format.h>

#include "sim/core/ascii.hpp"

namespace sim::policy {
namespace {

// ip4-cidr-length / ip6-cidr-length: "0" or digits without a leading zero
// (section 5.6 forbids leading zeros in the address; the suite applies it here).
std::optional<int> parse_prefix_length(std::string_view digits, int max_length) {
  if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  int value = 0;
  for (char c : digits) {
    if (!ascii::is_digit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max_length) return std::nullopt;
  return value;
}

// Index of a trailing "/" 1*DIGIT, or npos.
std::size_t trailing_length(std::string_view text) {
  auto slash = text.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == text.size()) return std::string_view::npos;
  for (std::size_t i = slash + 1; i < text.size(); ++i)
    if (!ascii::is_digit(text[i])) return std::string_view::npos;
  return slash;
}

// Splits dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ] off
// the end of `text` (section 5.3); false on a bad length.
bool split_dual_cidr(std::string_view& text, spf_mechanism& mechanism) {
  auto slash = trailing_length(text);
  if (slash != std::string_view::npos && slash > 0 && text[slash - 1] == '/') {
    auto length = parse_prefix_length(text.substr(slash + 1), 128);
    if (!length) return false;
    mechanism.ip6_prefix_length = *length;
    text = text.substr(0, slash - 1);
    slash = trailing_length(text);
  }
  if (slash != std::string_view::npos) {
    auto length = parse_prefix_length(text.substr(slash + 1), 32);
    if (!length) return false;
    mechanism.ip4_prefix_length = *length;
    text = text.substr(0, slash);
  }
  return true;
}

std::optional<spf_mechanism_kind> mechanism_kind(std::string_view name) {
  static constexpr std::pair<std::string_view, spf_mechanism_kind> names[] = {
      {"all", spf_mechanism_kind::all},   {"include", spf_mechanism_kind::include}, {"a", spf_mechanism_kind::a},
      {"mx", spf_mechanism_kind::mx},     {"ptr", spf_mechanism_kind::ptr},         {"ip4", spf_mechanism_kind::ip4},
      {"ip6", spf_mechanism_kind::ip6},   {"exists", spf_mechanism_kind::exists}};
  for (const auto& [text, kind] : names)
    if (ascii::iequals(name, text)) return kind;
  return std::nullopt;
}

// ip4 / ip6: ":" network [ "/" length ] (section 5.6).
bool parse_ip_mechanism(std::string_view rest, spf_mechanism& mechanism) {
  if (rest.empty() || rest[0] != ':') return false;
  rest.remove_prefix(1);
  bool v6 = mechanism.kind == spf_mechanism_kind::ip6;
  auto slash = rest.find('/');
  auto network = v6 ? parse_ipv6(rest.substr(0, slash)) : parse_ipv4(rest.substr(0, slash));
  if (!network) return false;
  mechanism.network = *network;
  if (slash == std::string_view::npos) return true;
  auto length = parse_prefix_length(rest.substr(slash + 1), v6 ? 128 : 32);
  if (!length) return false;
  (v6 ? mechanism.ip6_prefix_length : mechanism.ip4_prefix_length) = *length;
  return true;
}

// The part after the mechanism name: [":" domain-spec] and, for a and mx,
// a dual-cidr-length.  `required` for include and exists.
bool parse_target(std::string_view rest, spf_mechanism& mechanism, bool required, bool cidr) {
  if (cidr && !split_dual_cidr(rest, mechanism)) return false;
  if (rest.empty()) return !required;
  if (rest[0] != ':') return false;
  mechanism.domain_spec = parse_spf_domain_spec(rest.substr(1));
  return mechanism.domain_spec.has_value();
}

std::optional<spf_mechanism> parse_mechanism(std::string_view term) {
  spf_mechanism mechanism;
  mechanism.text = std::string(term);
  switch (term.empty() ? '\0' : term[0]) {
    case '+': mechanism.qualifier = spf_result::pass, term.remove_prefix(1); break;
    case '-': mechanism.qualifier = spf_result::fail, term.remove_prefix(1); break;
    case '~': mechanism.qualifier = spf_result::softfail, term.remove_prefix(1); break;
    case '?': mechanism.qualifier = spf_result::neutral, term.remove_prefix(1); break;
    default: break;
  }
  auto name_end = term.find_first_of(":/");
  auto kind = mechanism_kind(term.substr(0, name_end));
  if (!kind) return std::nullopt;
  mechanism.kind = *kind;
  auto rest = name_end == std::string_view::npos ? std::string_view{} : term.substr(name_end);
  bool ok = false;
  switch (*kind) {
    case spf_mechanism_kind::all: ok = rest.empty(); break;
    case spf_mechanism_kind::include:
    case spf_mechanism_kind::exists: ok = parse_target(rest, mechanism, true, false); break;
    case spf_mechanism_kind::ptr: ok = parse_target(rest, mechanism, false, false); break;
    case spf_mechanism_kind::a:
    case spf_mechanism_kind::mx: ok = parse_target(rest, mechanism, false, true); break;
    case spf_mechanism_kind::ip4:
    case spf_mechanism_kind::ip6: ok = parse_ip_mechanism(rest, mechanism); break;
  }
  if (!ok) return std::nullopt;
  return mechanism;
}

// name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) followed by "=" (section 4.6.1);
// returns the length of the name, or 0 when the term is not a modifier.
std::size_t modifier_name_length(std::string_view term) {
  if (term.empty() || !ascii::is_alpha(term[0])) return 0;
  for (std::size_t i = 1; i < term.size(); ++i) {
    char c = term[i];
    if (c == '=') return i;
    if (!ascii::is_alpha(c) && !ascii::is_digit(c) && c != '-' && c != '_' && c != '.') return 0;
  }
  return 0;
}

// Section 6: redirect and exp take a domain-spec and appear at most once;
// other modifiers are ignored but must be valid macro-strings (appendix A).
std::string parse_modifier(std::string_view name, std::string_view value, spf_record& record) {
  bool is_redirect = ascii::iequals(name, "redirect");
  if (is_redirect || ascii::iequals(name, "exp")) {
    auto& slot = is_redirect ? record.redirect : record.exp;
    if (slot) return fmt::format("{} appears more than once", is_redirect ? "redirect" : "exp");
    slot = parse_spf_domain_spec(value);
    if (!slot) return fmt::format("invalid domain-spec in {}={}", name, value);
    (is_redirect ? record.redirect_text : record.exp_text) = std::string(value);
    return {};
  }
  if (!parse_spf_macro_string(value, spf_macro_context::modifier))
    return fmt::format("invalid macro-string in modifier {}={}", name, value);
  return {};
}

}  // namespace

bool spf_mechanism::queries_dns() const {
  return kind == spf_mechanism_kind::include || kind == spf_mechanism_kind::a || kind == spf_mechanism_kind::mx ||
         kind == spf_mechanism_kind::ptr || kind == spf_mechanism_kind::exists;
}

bool is_spf_record(std::string_view text) {
  return text.size() >= 6 && ascii::iequals(text.substr(0, 6), "v=spf1") && (text.size() == 6 || text[6] == ' ');
}

spf_selection select_spf_record(const std::vector<std::vector<std::string>>& txt_records) {
  spf_selection selection;
  for (const auto& strings : txt_records) {
    std::string joined;
    for (const auto& piece : strings) joined += piece;  // section 3.3: no separator
    if (!is_spf_record(joined)) continue;
    if (selection.found != spf_selection::outcome::none) {
      selection.found = spf_selection::outcome::many;
      selection.text.clear();
      return selection;
    }
    selection.found = spf_selection::outcome::one;
    selection.text = std::move(joined);
  }
  return selection;
}

spf_parse_result parse_spf_record(std::string_view text) {
  spf_parse_result parsed;
  if (!is_spf_record(text)) {
    parsed.error = "not an SPF record (no v=spf1)";
    return parsed;
  }
  spf_record record;
  std::size_t at = 6;
  while (at < text.size()) {
    if (text[at] == ' ') {  // terms are separated by SP only (section 4.6.1)
      ++at;
      continue;
    }
    auto end = text.find(' ', at);
    auto term = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    at = end == std::string_view::npos ? text.size() : end;
    if (auto name_length = modifier_name_length(term)) {
      parsed.error = parse_modifier(term.substr(0, name_length), term.substr(name_length + 1), record);
      if (!parsed.error.empty()) return parsed;
      continue;
    }
    auto mechanism = parse_mechanism(term);
    if (!mechanism) {
      parsed.error = fmt::format("invalid term '{}'", term);
      return parsed;
    }
    record.mechanisms.push_back(std::move(*mechanism));
  }
  parsed.record = std::move(record);
  return parsed;
}

}  // namespace sim::policy
