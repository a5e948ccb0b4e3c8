// sim/http/message_view.hpp - a stored message as the API shows it.
//
// The world hands over the message as filed; everything shown is read from
// those bytes here, so any world gives the same view: the header fields
// unfolded and with RFC 2047 words decoded, the addresses of To, and every
// leaf MIME part (RFC 2045, RFC 2046) with its text decoded to UTF-8.
// Nothing is trusted: a message may hold any bytes a client sent; invalid
// UTF-8 is replaced when the JSON is written, never interpreted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/http/world_api.hpp"

namespace sim::http {

// Parts listed for one message at most (a bound against hostile messages).
inline constexpr std::size_t max_listed_parts = 256;

// {"id", "host", "mailbox", "folder", "from", "to": [...], "subject",
//  "date", "size", "delivered", "delivered_t"}: the list entry.  Reads
// only the header.
json summary_json(const stored_message& m, sim::wall_time start);

// The summary, then "envelope": {"mail_from", "rcpt_to"}, "headers":
// [{"name", "value", "decoded"}], "parts": [{"part", "content_type",
// "charset", "disposition", "filename", "size", "text"?}], and "text" and
// "html": the first inline text/plain and text/html bodies (null when none).
json detail_json(const stored_message& m, sim::wall_time start);

// RFC 5322 section 3.4 address-list, split at commas outside quoted
// strings, comments and angle brackets; each entry trimmed.
std::vector<std::string> split_address_list(std::string_view value);

// A decoded body in `charset` as UTF-8: UTF-8 and US-ASCII as they are,
// ISO-8859-1 (and windows-1252, read as ISO-8859-1) converted; other
// charsets are left as bytes.
std::string to_utf8(std::string_view bytes, std::string_view charset);

}  // namespace sim::http
