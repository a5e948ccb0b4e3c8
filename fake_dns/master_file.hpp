// fake_dns/master_file.hpp - whole RFC 1035 master (zone) files.
//
// Reads what a real DNS server exports: $ORIGIN, $TTL (RFC 2308 section 4),
// "@", relative names, a blank owner meaning the previous owner,
// parentheses across lines, ';' comments, quoted strings holding ';' or
// parentheses.  $INCLUDE is refused: this reader does no file I/O (the
// caller reads the file and passes its text).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "fake_dns/record.hpp"

namespace dns {

// Every record of `text` in file order.  `file_name` is only used in
// errors, which read "zones/example.org.zone:12: what is wrong".  `origin`
// is the starting $ORIGIN ("" = names without a trailing dot are taken as
// absolute until a $ORIGIN line).  Throws parse_error.
std::vector<record> parse_master_file(std::string_view text, std::string_view file_name,
                                      std::string_view origin = "", std::uint32_t default_ttl = 3600);

}  // namespace dns
