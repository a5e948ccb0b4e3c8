// sim/imap/mailbox_name.hpp - mailbox names: wire form, safety, LIST patterns.
//
// The store keeps names in UTF-8 with "/" as the hierarchy delimiter and
// "INBOX" spelled in capitals (RFC 9051 §5.1: INBOX is case-insensitive;
// every other name is case-sensitive).  On the wire names are modified
// UTF-7 (mutf7.hpp).  A name the store is given has passed safe_name(): no
// component is empty, "." or "..", and no character could mean something to
// a file system or a terminal, so a store may build file names from it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sim::imap {

inline constexpr char hierarchy_delimiter = '/';
inline constexpr std::string_view inbox = "INBOX";

// True when `name` is INBOX in any case.
bool is_inbox(std::string_view name);

// The name with a first component spelled "inbox" in any case written "INBOX".
std::string canonical_name(std::string_view utf8);

// Why `utf8` may not name a mailbox, or nullopt when it may: empty, too
// long or too deep (limits.hpp), not UTF-8, a control character (C0, DEL,
// C1), "\", "*" or "%", an empty component (leading, trailing or doubled
// "/"), or a component "." or "..".
std::optional<std::string_view> unsafe_name(std::string_view utf8);

// A mailbox name from the wire: decoded from modified UTF-7, canonical
// INBOX, and safe.  On failure `error` says why (for the NO/BAD text).
struct decoded_name {
  std::optional<std::string> name;
  std::string error;
};
decoded_name decode_mailbox(std::string_view wire);

// The wire form of a stored name.
std::string encode_mailbox(std::string_view utf8);

// RFC 9051 §6.3.9: LIST's reference and pattern, joined and decoded.
// "*" matches anything, "%" anything but the delimiter.  nullopt when the
// pattern is not modified UTF-7.
std::optional<std::string> list_pattern(std::string_view reference, std::string_view pattern);
// Whether `name` (UTF-8, canonical) matches a pattern from list_pattern().
bool pattern_matches(std::string_view pattern, std::string_view name);

// The parent of "a/b/c" is "a/b"; a top-level name has none.
std::optional<std::string> parent_name(std::string_view name);

}  // namespace sim::imap
