// sim/auth/dmarc_record.hpp - DMARC policy records (RFC 7489 §6.3, §6.4).
//
// Sans-I/O.  `_dmarc.example.org TXT "v=DMARC1; p=reject; ..."`.  Every
// tag is parsed and kept; a tag with a bad value falls back to its default
// with a warning (§6.3: "syntax errors ... SHOULD be discarded in favor of
// default values"); a missing or bad p= makes the record p=none when rua=
// holds a valid URI, and unusable otherwise (§6.6.3 step 6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::auth {

enum class dmarc_policy { none, quarantine, reject };
std::string_view policy_name(dmarc_policy policy);  // "none", "quarantine", "reject"

enum class alignment_mode { relaxed, strict };  // "r", "s"

struct dmarc_record {
  dmarc_policy p = dmarc_policy::none;
  std::optional<dmarc_policy> sp;                 // subdomain policy; p when absent
  alignment_mode adkim = alignment_mode::relaxed;
  alignment_mode aspf = alignment_mode::relaxed;
  int pct = 100;                                  // 0..100
  std::vector<std::string> rua;                   // aggregate report URIs, as written ("mailto:a@b!10m")
  std::vector<std::string> ruf;                   // failure report URIs
  std::vector<std::string> fo = {"0"};            // failure reporting options: 0, 1, d, s
  std::vector<std::string> rf = {"afrf"};         // failure report formats
  std::uint32_t ri = 86400;                       // aggregate report interval, seconds
  bool p_assumed = false;                         // p= was missing or bad; p=none taken for rua=
  std::vector<std::string> warnings;              // tags ignored and why
};

struct dmarc_record_parse {
  std::optional<dmarc_record> record;
  std::string error;  // why the record cannot be used
};

// §6.6.3 step 2: the record starts with v=DMARC1.
bool is_dmarc_record(std::string_view text);
dmarc_record_parse parse_dmarc_record(std::string_view text);

}  // namespace sim::auth
