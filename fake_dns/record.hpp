// fake_dns/record.hpp - DNS resource records and names (RFC 1035).
//
// Names are stored canonical: lower-case ASCII, no trailing dot ("" is the
// root).  Presentation format is RFC 1035 section 5.1.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dns {

// SOA RDATA after MNAME (RFC 1035 section 3.3.13); MNAME is record::data.
struct soa_data {
  std::string rname;  // canonical
  std::uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
  friend bool operator==(const soa_data&, const soa_data&) = default;
};

enum class rr_type : std::uint16_t {
  A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, MX = 15, TXT = 16, AAAA = 28, SPF = 99, ANY = 255,
};

// Response codes; `timeout` is not on the wire: the query got no answer.
enum class rcode { noerror = 0, formerr = 1, servfail = 2, nxdomain = 3, notimp = 4, refused = 5, timeout = 1000 };

struct record {
  std::string name;  // canonical owner name
  std::uint32_t ttl = 3600;
  rr_type type = rr_type::A;
  // A / AAAA: the address in text form; MX: the exchange; CNAME / PTR / NS:
  // the target (canonical names; "" for the root, as in a null MX).
  std::string data;
  std::uint16_t preference = 0;      // MX only
  std::vector<std::string> strings;  // TXT / SPF: the character-strings, unjoined
  soa_data soa{};                    // SOA only

  // Presentation format: "example.org. 3600 IN MX 10 mx1.example.org."
  std::string to_string() const;
  friend bool operator==(const record&, const record&) = default;
};

class parse_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "A", "MX", ... (case-insensitive); throws parse_error for an unknown type.
rr_type parse_type(std::string_view text);
std::string_view type_name(rr_type t);
std::string_view rcode_name(rcode c);  // "NOERROR", "NXDOMAIN", "SERVFAIL", "timeout", ...

// Canonical form of a domain name; throws parse_error for a label over 63
// octets, a name over 255, or an empty label.
std::string canonical_name(std::string_view name);

// ASCII case-insensitive equality: DNS names, types and classes (RFC 4343 §3).
bool iequals(std::string_view a, std::string_view b);

// One record in presentation format, `NAME [TTL] [IN] TYPE RDATA`, with RFC
// 1035 section 5.1 quoting and escapes.  Relative names are taken relative
// to `origin` ("" = already absolute).  Throws parse_error naming the record
// and what is wrong.
record parse_record(std::string_view text, std::string_view origin = "");

// --- additions (fake_dns/record.cpp) ---

// type_name() for known types, RFC 3597 "TYPE65" for any other number.
std::string type_text(rr_type t);
// A canonical name in presentation form: trailing dot, "." for the root,
// special and non-printable octets escaped (RFC 1035 section 5.1).
std::string presentation_name(std::string_view canonical);
// The RDATA part of to_string(): "10 mx1.example.org.", "\"v=spf1 -all\"".
std::string rdata_text(const record& r);
// TXT / SPF character-strings joined with no space (RFC 7208 section 3.3).
std::string txt_joined(const record& r);
// Same owner, type and data; the TTL is ignored (as RFC 2136 2.5.4 deletes).
bool same_rr(const record& a, const record& b);
// "3600", or BIND-style units "1h30m", "2d", "1w"; at most 2^31 - 1 (RFC
// 2181 section 8).  nullopt when not a TTL.
std::optional<std::uint32_t> parse_ttl(std::string_view text);

}  // namespace dns
