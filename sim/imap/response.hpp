// sim/imap/response.hpp - server responses as a client reads them (RFC 9051 §7).
//
// A response is a continuation request ("+ text"), untagged data or status
// ("* ..."), or a command's tagged completion ("tag OK/NO/BAD ...").  The
// client reads whole responses with command_reader (lines and the literals
// they announce) and looks inside them with these helpers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::imap {

struct response {
  enum class kind { continuation, untagged, tagged };
  kind what = kind::untagged;
  std::string tag;      // tagged only
  std::string keyword;  // OK, NO, BAD, BYE, PREAUTH, CAPABILITY, SEARCH, FETCH ... (upper case)
  std::uint32_t number = 0;  // "* 3 FETCH": the message number
  std::string code;     // inside [...] of a status response, "" when none
  std::string rest;     // the text after the keyword (and the code)
};

// The first line of each response in server output (a literal's octets,
// and the rest of the response after them, are not lines of their own):
// what the trace shows.
std::vector<std::string> response_lines(std::string_view bytes);

// nullopt when the text is not a response at all.
std::optional<response> parse_response(std::string_view text);

// "IMAP4rev1 LITERAL+ AUTH=PLAIN" -> upper-case names.
std::vector<std::string> capability_list(std::string_view text);

// "* SEARCH 2 84 882": the numbers; nullopt when one is not a number.
std::optional<std::vector<std::uint32_t>> search_numbers(std::string_view rest);

// The UID and BODY[] of "* n FETCH (...)" data (rest starts at "(").
struct fetch_data {
  std::optional<std::uint32_t> uid;
  std::optional<std::string> body;  // BODY[] octets
};
std::optional<fetch_data> parse_fetch_data(std::string_view rest);

}  // namespace sim::imap
