// fake_dns/record.cpp - type and rcode names, canonical names, record text.
#include "fake_dns/record.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "fake_dns/presentation.hpp"

namespace dns {
namespace {

constexpr std::array<std::pair<rr_type, std::string_view>, 10> type_names{{
    {rr_type::A, "A"}, {rr_type::NS, "NS"}, {rr_type::CNAME, "CNAME"}, {rr_type::SOA, "SOA"},
    {rr_type::PTR, "PTR"}, {rr_type::MX, "MX"}, {rr_type::TXT, "TXT"}, {rr_type::AAAA, "AAAA"},
    {rr_type::SPF, "SPF"}, {rr_type::ANY, "ANY"},
}};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// Octets written with a backslash in a name (RFC 1035 5.1 special characters).
bool is_special(char c) {
  return c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' || c == ';' || c == '@' || c == '$';
}

// Checks one finished label and appends it to `out`.
void end_label(std::string& label, std::string& out, std::size_t& wire_length, std::string_view name) {
  if (label.empty()) throw parse_error(fmt::format("name \"{}\" has an empty label", name));
  if (label.size() > 63)
    throw parse_error(fmt::format("name \"{}\": label of {} octets (at most 63, RFC 1035 2.3.4)", name, label.size()));
  wire_length += label.size() + 1;
  if (!out.empty()) out += '.';
  out += label;
  label.clear();
}

}  // namespace

rr_type parse_type(std::string_view text) {
  for (auto [type, name] : type_names)
    if (iequals(text, name)) return type;
  throw parse_error(fmt::format("unknown record type \"{}\"", text));
}

std::string_view type_name(rr_type t) {
  for (auto [type, name] : type_names)
    if (type == t) return name;
  return "UNKNOWN";
}

std::string type_text(rr_type t) {
  for (auto [type, name] : type_names)
    if (type == t) return std::string(name);
  return fmt::format("TYPE{}", static_cast<unsigned>(t));
}

std::string_view rcode_name(rcode c) {
  switch (c) {
    case rcode::noerror: return "NOERROR";
    case rcode::formerr: return "FORMERR";
    case rcode::servfail: return "SERVFAIL";
    case rcode::nxdomain: return "NXDOMAIN";
    case rcode::notimp: return "NOTIMP";
    case rcode::refused: return "REFUSED";
    case rcode::timeout: return "timeout";
  }
  return "UNKNOWN";
}

// Labels are split on unescaped dots, then \X and \DDD are decoded; a
// decoded '.' cannot be kept in the dotted canonical form, so it is refused.
std::string canonical_name(std::string_view name) {
  if (name.empty() || name == ".") return "";
  std::string out, label;
  std::size_t wire_length = 1;  // the root label
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '.') {
      end_label(label, out, wire_length, name);
      if (i + 1 == name.size()) break;  // the optional trailing dot
      continue;
    }
    if (c == '\\') {
      std::size_t length = i + 1 < name.size() && name[i + 1] >= '0' && name[i + 1] <= '9' ? 4 : 2;
      auto decoded = decode_escapes(name.substr(i, length));
      if (decoded == ".") throw parse_error(fmt::format("name \"{}\": an escaped '.' inside a label is not allowed", name));
      c = decoded[0];
      i += length - 1;
    }
    label += lower(c);
  }
  if (!label.empty()) end_label(label, out, wire_length, name);
  if (wire_length > 255)
    throw parse_error(fmt::format("name \"{}\" is {} octets long (at most 255, RFC 1035 2.3.4)", name, wire_length));
  return out;
}

std::string presentation_name(std::string_view canonical) {
  if (canonical.empty()) return ".";
  std::string out;
  for (char c : canonical) {
    auto octet = static_cast<unsigned char>(c);
    if (c == '.') out += '.';
    else if (octet < 0x21 || octet > 0x7e) out += fmt::format("\\{:03}", octet);
    else if (is_special(c)) out += {'\\', c};
    else out += c;
  }
  return out + '.';
}

std::string rdata_text(const record& r) {
  switch (r.type) {
    case rr_type::MX: return fmt::format("{} {}", r.preference, presentation_name(r.data));
    case rr_type::CNAME:
    case rr_type::PTR:
    case rr_type::NS: return presentation_name(r.data);
    case rr_type::TXT:
    case rr_type::SPF: {
      std::string out;
      for (const auto& s : r.strings) {
        if (!out.empty()) out += ' ';
        out += quote_string(s);
      }
      return out;
    }
    case rr_type::SOA:
      return fmt::format("{} {} {} {} {} {} {}", presentation_name(r.data), presentation_name(r.soa.rname),
                         r.soa.serial, r.soa.refresh, r.soa.retry, r.soa.expire, r.soa.minimum);
    default: return r.data;  // A, AAAA: the canonical address text
  }
}

std::string record::to_string() const {
  return fmt::format("{} {} IN {} {}", presentation_name(name), ttl, type_text(type), rdata_text(*this));
}

std::string txt_joined(const record& r) {
  std::string out;
  for (const auto& s : r.strings) out += s;
  return out;
}

bool same_rr(const record& a, const record& b) {
  return a.name == b.name && a.type == b.type && a.data == b.data && a.preference == b.preference &&
         a.strings == b.strings && a.soa == b.soa;
}

std::optional<std::uint32_t> parse_ttl(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t total = 0, number = 0;
  bool digits = false, units = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + static_cast<unsigned>(c - '0');
      if (number > 0x7fffffff) return std::nullopt;
      digits = true;
      continue;
    }
    std::uint64_t scale = 0;
    switch (lower(c)) {
      case 's': scale = 1; break;
      case 'm': scale = 60; break;
      case 'h': scale = 3600; break;
      case 'd': scale = 86400; break;
      case 'w': scale = 604800; break;
      default: return std::nullopt;
    }
    if (!digits) return std::nullopt;
    total += number * scale;
    number = 0, digits = false, units = true;
    if (total > 0x7fffffff) return std::nullopt;
  }
  if (units && digits) return std::nullopt;  // "1h30": a bare number after a unit
  total += number;
  if (total > 0x7fffffff) return std::nullopt;
  return static_cast<std::uint32_t>(total);
}

record parse_record(std::string_view text, std::string_view origin) {
  try {
    auto tokens = tokenize(text);
    if (tokens.empty()) throw parse_error("empty record");
    if (tokens[0].quoted) throw parse_error("the owner name cannot be a quoted string");
    auto owner = resolve_name(tokens[0].text, canonical_name(origin));
    return parse_rr_fields(std::move(owner), std::span<const token>(tokens).subspan(1), canonical_name(origin), 3600);
  } catch (const parse_error& e) {
    throw parse_error(fmt::format("record \"{}\": {}", text, e.what()));
  }
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace dns
