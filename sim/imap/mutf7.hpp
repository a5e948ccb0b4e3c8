// sim/imap/mutf7.hpp - modified UTF-7 mailbox names (RFC 3501 §5.1.3).
//
// IMAP4rev1 clients send mailbox names in modified UTF-7: printable ASCII
// stands for itself ("&" is written "&-"); everything else is UTF-16 in a
// base64 variant ("," for "/", no padding) between "&" and "-".  The store
// keeps names in UTF-8.  Decoding is strict, so that no spelling other than
// the one encode_mutf7() writes is accepted: a name has exactly one wire
// form, and nothing can smuggle "/", "." or NUL past the name checks.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sim::imap {

// True for well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool valid_utf8(std::string_view text);

// UTF-8 to modified UTF-7; `utf8` must be valid UTF-8.
std::string encode_mutf7(std::string_view utf8);

// Modified UTF-7 to UTF-8.  nullopt when the name is not in the one
// canonical form: a raw byte outside 0x20-0x7E, an "&" shift that is not
// closed, is empty other than "&-", encodes printable ASCII, follows
// another shift directly, has non-zero padding bits, or holds broken UTF-16.
std::optional<std::string> decode_mutf7(std::string_view wire);

}  // namespace sim::imap
