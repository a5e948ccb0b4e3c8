// sim/imap/flags.hpp - message flags: the system flags and keywords.
//
// RFC 9051 §2.3.2.  A flag list is what the store keeps for a message: the
// system flags spelled as below, and keywords (atoms) as first written;
// flags compare case-insensitively, so "\SEEN" and "\Seen" are one flag.
// \Recent (RFC 3501) is not stored: it belongs to a session, not a message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::imap {

using flag_list = std::vector<std::string>;

namespace flag {
inline constexpr std::string_view seen = "\\Seen";
inline constexpr std::string_view answered = "\\Answered";
inline constexpr std::string_view flagged = "\\Flagged";
inline constexpr std::string_view deleted = "\\Deleted";
inline constexpr std::string_view draft = "\\Draft";
inline constexpr std::string_view recent = "\\Recent";
}  // namespace flag

// The five storable system flags, in the order FLAGS lists them.
inline constexpr std::string_view system_flags[] = {flag::answered, flag::flagged, flag::deleted, flag::seen,
                                                    flag::draft};

// A flag as the client wrote it, checked: a system flag comes back in its
// canonical spelling, a keyword as written.  nullopt for \Recent, an
// unknown "\" flag, or a keyword that is not an atom or is too long.
std::optional<std::string> storable_flag(std::string_view written);

bool has_flag(const flag_list& flags, std::string_view f);
// Adds the flags not already there (in order); true when something changed.
bool add_flags(flag_list& flags, const flag_list& more);
// Removes these flags; true when something changed.
bool remove_flags(flag_list& flags, const flag_list& less);
// Sets to exactly these (each once); true when something changed.
bool replace_flags(flag_list& flags, const flag_list& now);
// The same set, whatever the order and spelling.
bool same_flags(const flag_list& a, const flag_list& b);
// The keywords (flags not starting with "\").
flag_list keywords_of(const flag_list& flags);

// "(\Seen \Flagged $Label1)": a parenthesized list, in the given order.
std::string format_flags(const flag_list& flags);

}  // namespace sim::imap
