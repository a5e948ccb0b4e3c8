// sim/imap/date.hpp - IMAP dates and date-times, and the date of a Date: field.
//
// RFC 9051 §9: date = "1-Feb-1994" (SEARCH), date-time =
// "01-Feb-1994 21:43:09 +0100" (INTERNALDATE, APPEND).  Month names are
// case-insensitive.  Times are kept in UTC.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"

namespace sim::imap {

using date = std::chrono::sys_days;

// "1-Feb-1994" or "01-Feb-1994".
std::optional<date> parse_date(std::string_view text);
// "01-Feb-1994 21:43:09 +0100" (the day may be " 1"); the instant in UTC.
std::optional<wall_time> parse_date_time(std::string_view text);
// INTERNALDATE as sent: "05-Jan-2026 09:00:00 +0000".
std::string format_date_time(wall_time t);
// The day of an instant, in UTC (what SINCE, BEFORE and ON compare).
date day_of(wall_time t);
// RFC 5322 §3.3: the date part of a Date: field ("Mon, 5 Jan 2026 09:00:00
// +0000"), disregarding time and zone as SENTBEFORE/SENTON/SENTSINCE do.
std::optional<date> header_date(std::string_view value);

}  // namespace sim::imap
