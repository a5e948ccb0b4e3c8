// sim/message/text.hpp - small ASCII text helpers shared by the message code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sim::message {

// RFC 5322 header field names compare case-insensitively (section 1.2.2).
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view text);
// Strips spaces, tabs, CR and LF at both ends.
std::string_view trim(std::string_view text);
bool is_ascii(std::string_view text);
// Every line end (CRLF, lone LF or lone CR) becomes CRLF.
std::string to_crlf(std::string_view text);
// Every CRLF becomes LF (Maildir files on Unix).
std::string to_lf(std::string_view text);
// RFC 5322 §3.2.2: comments removed (they nest and may hold quoted-pairs);
// quoted strings are kept whole, "(" inside one included.
std::string strip_comments(std::string_view value);
// Lines without their line ends; a final line end does not start a new line.
std::vector<std::string_view> split_lines(std::string_view text);

}  // namespace sim::message
