// sim/mta/profiles/profile_text.hpp - small text tools the profiles share.
#pragma once

#include <string>
#include <string_view>

#include "sim/core/time.hpp"
#include "sim/message/dsn.hpp"
#include "sim/smtp/limits.hpp"
#include "sim/smtp/reply.hpp"

namespace sim::mta::text {

// A client phase as delivery_problem::phase names it ("connect", "ehlo",
// "auth", "mail", "rcpt", "data", "body", "dot", "rset", "quit").
std::string_view phase_word(smtp::client_phase p);
// Every line of a reply as on the wire, joined with spaces: how Postfix
// logs a multi-line reply ("550-5.7.26 ... 550 5.7.26 ...").
std::string reply_line(const smtp::reply& r);
// Postfix's line_wrap(): lines of at most `width` broken at spaces, each
// continuation indented by `indent` spaces; a word longer than a line stays whole.
std::string wrap(std::string_view text, std::size_t width, std::size_t indent);
// "4 hours", "1 hour", "30 minutes", "5 days" (whole units, as bounce
// templates and OpenSMTPD's bounce_duration() print them).
std::string plural_duration(duration d);
// Whole hours / whole days, rounded down (Postfix's $delay_warning_time_hours).
long long whole_hours(duration d);
long long whole_days(duration d);
// Whether the original goes back whole: RET=FULL, or no RET for a failure
// report (never for a delay warning), and not over the size limit.
bool return_whole(message::dsn_ret ret, bool delayed, std::size_t size);
// A header field of the original ("" when absent), unfolded.
std::string original_field(std::string_view original, std::string_view name);
// The Message-ID of the original ("" when absent).
std::string original_message_id(std::string_view original);

}  // namespace sim::mta::text
