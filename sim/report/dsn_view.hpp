// sim/report/dsn_view.hpp - a delivery status notification shown for people: its text, its fields, its bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sim::report {

// What an RFC 3463 status code means: "5.1.1" -> "permanent failure: bad
// destination mailbox address".  Unknown details fall back to the class and
// subject ("permanent failure: addressing").
std::string status_meaning(std::string_view status);

// The DSN rendered: the human-readable part as written, the delivery-status
// fields as a table (one row per recipient), then the raw message in a
// <details> (at most `max_bytes` of it).  A message that is not a DSN gives
// its raw bytes only.
std::string dsn_html(std::string_view raw, std::size_t max_bytes);

// At most `max_bytes` of `text` (cut at a character boundary) escaped for a
// <pre>, with a line saying how much was left out.
std::string capped_pre(std::string_view text, std::size_t max_bytes, const char* css_class);

}  // namespace sim::report
