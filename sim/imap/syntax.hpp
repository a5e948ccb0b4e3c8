// sim/imap/syntax.hpp - character classes and string forms of RFC 9051 §9.
//
// atom-specials are "(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]"; an atom is
// one or more other 7-bit characters.  An astring may also hold "]"; a tag
// is an astring without "+".  Strings go out quoted when they can (no CR,
// LF, NUL or 8-bit octet) and as literals otherwise.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sim::imap {

bool is_atom_char(char c);
bool is_astring_char(char c);  // ATOM-CHAR or "]"
bool is_list_char(char c);     // ASTRING-CHAR, "%" or "*"
bool is_atom(std::string_view s);
bool is_tag(std::string_view s);

// True when `s` can be sent as a quoted string (RFC 9051 §4.3).
bool quotable(std::string_view s);
// "\"...\"" with "\" and DQUOTE escaped; `s` must be quotable.
std::string quote(std::string_view s);
// A quoted string when quotable and short, else a literal "{n}\r\n" + s.
std::string format_string(std::string_view s);
// An atom when every character allows it (and it is not NIL), else as format_string.
std::string format_astring(std::string_view s);
// NIL or format_string.
std::string format_nstring(const std::optional<std::string>& s);

}  // namespace sim::imap
