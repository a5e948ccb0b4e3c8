// sim/imap/limits.hpp - every IMAP limit in one place, with where it comes from.
//
// Sizes are in octets.  The server answers a command that goes past a
// per-command limit with BAD or NO and carries on; limits on the whole
// session (errors, commands) end it with an untagged BYE (RFC 9051 §7.1.5).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace sim::imap::limits {

// RFC 9051 §4 leaves line length open; RFC 2683 §3.2.1.5 asks servers to
// take command lines of at least 8000 octets (clients send long UID sets).
// One line of a command (between literals), with its CRLF.  A longer line
// is discarded as it arrives, never buffered, and answered BAD.
inline constexpr std::size_t command_line = 64 * 1024;

// The largest literal accepted (RFC 9051 §4.3, RFC 7888 §4): an APPENDed
// message.  A synchronizing literal over it gets NO [TOOBIG] instead of the
// continuation request, so its octets are never sent; a non-synchronizing
// one (RFC 7888) over it ends the session with BYE [TOOBIG].
inline constexpr std::uint64_t literal_size = 64ull * 1024 * 1024;

// A whole command, every line and literal together.
inline constexpr std::uint64_t command_size = literal_size + 1024 * 1024;

// Literals in one command (APPEND has one; LOGIN two).
inline constexpr std::size_t literals_per_command = 16;

// RFC 7888 §5 (LITERAL-): a non-synchronizing literal of at most this many
// octets is always acceptable.  We offer LITERAL+, so this only decides
// when our own client may skip the round trip without LITERAL+.
inline constexpr std::size_t small_literal = 4096;

// Commands answered BAD (and failed logins) before the server says BYE and
// closes: a confused or hostile client cannot keep a session busy forever.
inline constexpr std::size_t max_errors = 20;

// Commands in one session before BYE [LIMIT] (RFC 9051 §7.1, LIMIT).
inline constexpr std::size_t max_commands = 100000;

// Nesting of parenthesized lists (search keys, fetch items, body sections).
inline constexpr std::size_t max_nesting = 32;

// Search keys in one SEARCH, ranges in one sequence set, items in one FETCH.
inline constexpr std::size_t max_search_keys = 1000;
inline constexpr std::size_t max_set_ranges = 10000;
inline constexpr std::size_t max_fetch_items = 100;

// A mailbox name as UTF-8, and its hierarchy depth (our own bounds: the
// store keeps names as path-like keys).
inline constexpr std::size_t mailbox_name = 512;
inline constexpr std::size_t mailbox_depth = 16;

// Folders one user may have; keywords per message and a keyword's length.
inline constexpr std::size_t folders_per_user = 1000;
inline constexpr std::size_t keywords_per_message = 64;
inline constexpr std::size_t keyword_length = 128;

// RFC 2971 §3.3: at most 30 field-value pairs, fields of 30 octets and
// values of 1024 octets.
inline constexpr std::size_t id_fields = 30;
inline constexpr std::size_t id_field_length = 30;
inline constexpr std::size_t id_value_length = 1024;

// A tag; RFC 9051 sets no bound, clients use a few characters.
inline constexpr std::size_t tag_length = 64;

// RFC 9051 §5.4: an inactivity autologout timer must be at least 30
// minutes.  RFC 2177 §3: a server may log off a client that has been in
// IDLE that long, so the same timer runs during IDLE (clients re-issue IDLE
// every 29 minutes).
inline constexpr std::chrono::minutes idle_timeout{30};

// Our client's bound on one line of a response (a SEARCH result lists
// every UID on one line).
inline constexpr std::size_t response_line = 1024 * 1024;

// How long the MUA waits for each response before it gives up.
inline constexpr std::chrono::minutes reply_timeout{10};

}  // namespace sim::imap::limits
