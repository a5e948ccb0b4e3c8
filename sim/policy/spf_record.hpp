// sim/policy/spf_record.hpp - SPF records: selection and parsing (RFC 7208 4.5, 4.6, 5, 6).
//
// Sans-I/O.  A record is parsed whole before it is evaluated, so a syntax
// error anywhere makes it a permerror (section 4.6).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/policy/ip_address.hpp"
#include "sim/policy/spf_macro.hpp"
#include "sim/policy/spf_result.hpp"

namespace sim::policy {

enum class spf_mechanism_kind { all, include, a, mx, ptr, ip4, ip6, exists };

struct spf_mechanism {
  spf_result qualifier = spf_result::pass;  // '+' pass, '-' fail, '~' softfail, '?' neutral
  spf_mechanism_kind kind = spf_mechanism_kind::all;
  std::optional<spf_macro_string> domain_spec;  // include, a, mx, ptr, exists
  ip_address network;                           // ip4, ip6
  int ip4_prefix_length = 32;                   // ip4, a, mx
  int ip6_prefix_length = 128;                  // ip6, a, mx
  std::string text;                             // the term as written

  // Section 4.6.4: terms that count against the limit of 10 DNS lookups.
  bool queries_dns() const;
};

struct spf_record {
  std::vector<spf_mechanism> mechanisms;
  std::optional<spf_macro_string> redirect;  // section 6.1
  std::optional<spf_macro_string> exp;       // section 6.2
  std::string redirect_text, exp_text;
};

struct spf_parse_result {
  std::optional<spf_record> record;
  std::string error;  // why the record is a permerror
};

// "v=spf1" alone or followed by SP, case-insensitively (section 4.5).
bool is_spf_record(std::string_view text);

// Section 4.5 record selection over a name's TXT records (each given as its
// character-strings, joined without separator, section 3.3).
struct spf_selection {
  enum class outcome { none, one, many } found = outcome::none;
  std::string text;  // the record when found == one
};
spf_selection select_spf_record(const std::vector<std::vector<std::string>>& txt_records);

spf_parse_result parse_spf_record(std::string_view text);

}  // namespace sim::policy
