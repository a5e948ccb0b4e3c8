// sim/message/compose.hpp - the message an MUA builds for a scenario's `send`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"

namespace sim::message {

// RFC 5321 section 4.5.3.1.6: a line is at most 998 octets plus CRLF.
inline constexpr std::size_t max_line_octets = 998;

struct compose_request {
  std::string from;
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::vector<std::string> bcc;  // envelope only: never written into the header
  std::string subject;           // UTF-8; omitted when empty
  std::string body;              // UTF-8, any line ends
  // Extra fields, in order.  One named like a composed field (From, To,
  // Date, Content-Type..., in any case) replaces it in its place.
  std::vector<std::pair<std::string, std::string>> headers;
  // Total size wanted, in octets of the CRLF message as submitted (before any
  // Received field).  Filler lines are appended to the text; the result is
  // exactly this size, except: a size below the unpadded message adds nothing,
  // and a shortfall of exactly 1 octet (no room for a line end) adds nothing.
  std::optional<std::size_t> size;
  bool eicar = false;            // attach eicar.com holding the EICAR test string
  sim::wall_time date;
  std::string message_id;        // "<...>"; empty: "<MILLIS.mailsim@sender-domain>"
};

// "<SEQUENCE.SCENARIO@sender-domain>" (RFC 5322 section 3.6.4): unique per
// run when the caller numbers its messages.
std::string make_message_id(std::uint64_t sequence, std::string_view scenario, std::string_view sender);

// The raw message, CRLF line ends, header fields in this order: Date, From,
// To, Cc, Subject (RFC 2047 when not ASCII), Message-ID, the extra fields,
// MIME-Version, Content-Type, Content-Transfer-Encoding; an extra field
// with the name of a composed one stands in its place instead.  Body lines longer
// than max_line_octets are wrapped.  With eicar: multipart/mixed with the
// text and an application/octet-stream attachment, base64.
std::string compose(const compose_request& request);

// RFC 5321 forward paths for the request: to, cc, bcc in that order, each
// once (O(n log n) in the recipient count).
std::vector<std::string> envelope_recipients(const compose_request& request);

}  // namespace sim::message
