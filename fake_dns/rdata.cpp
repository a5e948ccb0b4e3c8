// fake_dns/rdata.cpp - the fields after the owner: [TTL] [IN] TYPE RDATA.
#include <fmt/format.h>

#include "fake_dns/address.hpp"
#include "fake_dns/presentation.hpp"

namespace dns {
namespace {

bool is_class_name(std::string_view t) { return iequals(t, "CH") || iequals(t, "HS") || iequals(t, "CS"); }

std::uint32_t parse_number(const token& t, std::uint32_t max, std::string_view what) {
  std::uint64_t value = 0;
  bool ok = !t.quoted && !t.text.empty() && t.text.size() <= 10;
  for (char c : t.text) {
    if (c < '0' || c > '9') ok = false;
    else value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (!ok || value > max) throw parse_error(fmt::format("{} \"{}\" is not a number 0-{}", what, t.text, max));
  return static_cast<std::uint32_t>(value);
}

std::string parse_name(const token& t, std::string_view origin, std::string_view what) {
  if (t.quoted) throw parse_error(fmt::format("{} cannot be a quoted string", what));
  return resolve_name(t.text, origin);
}

std::uint32_t parse_timer(const token& t, std::string_view what) {
  auto value = t.quoted ? std::nullopt : parse_ttl(t.text);
  if (!value) throw parse_error(fmt::format("SOA {} \"{}\" is not a valid time", what, t.text));
  return *value;
}

void expect_count(std::span<const token> rdata, std::size_t count, rr_type type, std::string_view form) {
  if (rdata.size() < count)
    throw parse_error(fmt::format("{} needs {} (RDATA incomplete)", type_name(type), form));
  if (rdata.size() > count)
    throw parse_error(fmt::format("unexpected \"{}\" after the {} RDATA", rdata[count].text, type_name(type)));
}

void parse_address(record& r, std::span<const token> rdata) {
  bool v4 = r.type == rr_type::A;
  expect_count(rdata, 1, r.type, v4 ? "an IPv4 address" : "an IPv6 address");
  auto address = rdata[0].quoted ? std::nullopt : v4 ? parse_ipv4(rdata[0].text) : parse_ipv6(rdata[0].text);
  if (!address)
    throw parse_error(fmt::format("\"{}\" is not a valid {} address", rdata[0].text, v4 ? "IPv4" : "IPv6"));
  r.data = format_ip(*address);
}

// RFC 1035 3.3: a <character-string> is at most 255 octets.
void parse_strings(record& r, std::span<const token> rdata) {
  if (rdata.empty()) throw parse_error(fmt::format("{} needs at least one string", type_name(r.type)));
  for (const auto& t : rdata) {
    auto s = decode_escapes(t.text);
    if (s.size() > 255) throw parse_error(fmt::format("a {} string of {} octets (at most 255)", type_name(r.type), s.size()));
    r.strings.push_back(std::move(s));
  }
}

void parse_soa(record& r, std::span<const token> rdata, std::string_view origin) {
  expect_count(rdata, 7, r.type, "MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM");
  r.data = parse_name(rdata[0], origin, "SOA MNAME");
  r.soa.rname = parse_name(rdata[1], origin, "SOA RNAME");
  r.soa.serial = parse_number(rdata[2], 0xffffffff, "SOA SERIAL");
  r.soa.refresh = parse_timer(rdata[3], "REFRESH");
  r.soa.retry = parse_timer(rdata[4], "RETRY");
  r.soa.expire = parse_timer(rdata[5], "EXPIRE");
  r.soa.minimum = parse_timer(rdata[6], "MINIMUM");
}

void parse_rdata(record& r, std::span<const token> rdata, std::string_view origin) {
  switch (r.type) {
    case rr_type::A:
    case rr_type::AAAA: return parse_address(r, rdata);
    case rr_type::MX:
      expect_count(rdata, 2, r.type, "PREFERENCE EXCHANGE");
      r.preference = static_cast<std::uint16_t>(parse_number(rdata[0], 65535, "MX preference"));
      r.data = parse_name(rdata[1], origin, "MX exchange");
      return;
    case rr_type::CNAME:
    case rr_type::PTR:
    case rr_type::NS:
      expect_count(rdata, 1, r.type, "a domain name");
      r.data = parse_name(rdata[0], origin, fmt::format("{} target", type_name(r.type)));
      return;
    case rr_type::TXT:
    case rr_type::SPF: return parse_strings(r, rdata);
    case rr_type::SOA: return parse_soa(r, rdata, origin);
    case rr_type::ANY: break;
  }
  throw parse_error(fmt::format("{} is a query type, not a record type", type_text(r.type)));
}

}  // namespace

record parse_rr_fields(std::string owner, std::span<const token> fields, std::string_view origin,
                       std::uint32_t default_ttl, bool* ttl_given) {
  record r;
  r.name = std::move(owner);
  r.ttl = default_ttl;
  bool have_ttl = false, have_class = false;
  std::size_t i = 0;
  // RFC 1035 5.1: TTL and class may come in either order, both optional.
  for (; i < fields.size() && !fields[i].quoted; ++i) {
    const auto& text = fields[i].text;
    if (!have_ttl && text[0] >= '0' && text[0] <= '9') {
      auto ttl = parse_ttl(text);
      if (!ttl) throw parse_error(fmt::format("TTL \"{}\" is not valid (0 to 2147483647 seconds)", text));
      r.ttl = *ttl;
      have_ttl = true;
    } else if (!have_class && iequals(text, "IN")) {
      have_class = true;
    } else if (!have_class && is_class_name(text)) {
      throw parse_error(fmt::format("class {} is not supported (only IN)", text));
    } else {
      break;
    }
  }
  if (i >= fields.size()) throw parse_error("the record type is missing");
  r.type = parse_type(fields[i].text);
  parse_rdata(r, fields.subspan(i + 1), origin);
  if (ttl_given) *ttl_given = have_ttl;
  return r;
}

}  // namespace dns
