// sim/auth/tag_list.hpp - the tag=value lists of DKIM and DMARC (RFC 6376 §3.2).
//
// Sans-I/O.  DKIM-Signature fields, DKIM key records and DMARC records are
// all `tag-spec *( ";" tag-spec ) [ ";" ]`.  The parser never throws: a
// syntax error comes back as a reason, and each tag keeps where its value
// sits in the input so that a verifier can blank the b= value exactly as
// written (§3.7).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::auth {

struct tag {
  std::string name;            // case-sensitive (§3.2)
  std::string value;           // without the FWS around it; inner white space kept
  std::size_t value_begin = 0;  // just after '=' in the input
  std::size_t value_end = 0;    // at the ';' that ends the spec, or the end of input
};

struct tag_list {
  std::vector<tag> tags;
  // The first tag of that name, or nullptr.
  const tag* find(std::string_view name) const;
};

struct tag_list_result {
  std::optional<tag_list> list;
  std::string error;  // set when list is empty: what is wrong, for people
};

// RFC 6376 §3.2: tag names are ALPHA *(ALPHA / DIGIT / "_"), values are
// VALCHARs (%x21-3A / %x3C-7E) separated by white space or FWS, a name given
// twice is an error, one empty spec may follow the last ";".  `lenient_empty`
// also accepts empty specs between separators (";;"), which DMARC records
// (RFC 7489 §6.4, dmarc-sep) are often written with.
tag_list_result parse_tag_list(std::string_view text, bool lenient_empty = false);

// Removes every space, tab, CR and LF (base64 values, §3.5 b= and bh=).
std::string strip_fws(std::string_view text);

}  // namespace sim::auth
