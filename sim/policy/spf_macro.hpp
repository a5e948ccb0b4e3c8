// sim/policy/spf_macro.hpp - SPF macro strings (RFC 7208 section 7).
//
// Sans-I/O: parse a macro-string once (syntax errors are found when the
// record is parsed, section 4.6), expand it later with values the evaluator
// supplies.  The "p" value needs DNS, so the evaluator looks it up first
// when uses('p') says the string needs it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::policy {

struct spf_macro_token {
  bool is_literal = true;
  std::string literal;      // literal text ("%%", "%_", "%-" already decoded)
  char letter = 0;          // macro-letter, lower case
  bool url_escape = false;  // the letter was upper case (section 7.3)
  int keep_parts = 0;       // DIGIT transformer; 0 = all parts
  bool reverse = false;     // "r" transformer
  std::string delimiters;   // empty = "."
};

struct spf_macro_string {
  std::vector<spf_macro_token> tokens;
  bool uses(char letter) const;
  // True when the string ends in a macro-expand (section 7.1 domain-end).
  bool ends_with_expand() const;
};

// Where a macro-string appears: domain-spec / unknown modifier, or the
// explanation TXT (which alone may hold SP and the letters c, r, t).
enum class spf_macro_context { domain_spec, modifier, explanation };

// nullopt on a syntax error (section 7.1).
std::optional<spf_macro_string> parse_spf_macro_string(std::string_view text, spf_macro_context context);
// A macro-string that is also a valid domain-spec: non-empty and ending in
// a macro-expand or in "." toplabel ["."] (section 7.1).
std::optional<spf_macro_string> parse_spf_domain_spec(std::string_view text);
// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
bool is_spf_toplabel(std::string_view label);

// The values of the macro letters (section 7.3).
struct spf_macro_values {
  std::string sender;          // s: "local@domain"
  std::string local_part;      // l
  std::string sender_domain;   // o
  std::string domain;          // d: the current domain
  std::string ip;              // i: dotted quad or dotted nibbles
  std::string validated_name;  // p: "unknown" when none validates
  std::string ip_version;      // v: "in-addr" or "ip6"
  std::string helo;            // h
  std::string client_ip;       // c: readable address (explanation only)
  std::string receiver;        // r (explanation only)
  std::string timestamp;       // t: seconds since the epoch (explanation only)
};

std::string expand_spf_macros(const spf_macro_string& macros, const spf_macro_values& values);

// Section 7.3: a name over 253 characters loses labels from the left; a
// trailing dot is dropped (it names the same domain).
std::string spf_query_name(std::string name);
// RFC 1035 limits: labels of 1..63 octets, name of at most 253.  Any octet
// may appear in a label (SPF macros may produce '%', ' ' or ':').
bool is_valid_dns_name(std::string_view name);

}  // namespace sim::policy
