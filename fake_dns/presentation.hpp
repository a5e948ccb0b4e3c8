// fake_dns/presentation.hpp - RFC 1035 section 5.1 text: tokens, escapes, names.
//
// Shared by parse_record() (one record per string) and the master-file
// reader (whole zone files), which differ only in how a record's text is
// found (parentheses, comments, blank owners).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fake_dns/record.hpp"

namespace dns {

struct token {
  std::string text;  // escapes kept undecoded: "\." must stay inside a label
  bool quoted = false;
};

// Whitespace-separated words and "quoted strings" of one record; stops at
// an unquoted ';' (a comment).  Throws parse_error for an unterminated
// quote or a backslash at the end.
std::vector<token> tokenize(std::string_view text);

// Decodes \X and \DDD (DDD <= 255); throws parse_error otherwise.
std::string decode_escapes(std::string_view raw);
// Quotes one character-string: '"' and '\' escaped, octets outside
// printable ASCII as \DDD.
std::string quote_string(std::string_view bytes);

// A name token relative to `origin`: "@" is the origin, a name ending in an
// unescaped '.' is absolute, any other is followed by the origin.
std::string resolve_name(std::string_view raw, std::string_view origin);

// The fields after the owner: [TTL] [IN] TYPE RDATA (TTL and class in either
// order).  `ttl_given` is set when the TTL was written out.
record parse_rr_fields(std::string owner, std::span<const token> fields, std::string_view origin,
                       std::uint32_t default_ttl, bool* ttl_given = nullptr);

}  // namespace dns
