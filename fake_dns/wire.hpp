// fake_dns/wire.hpp - RFC 1035 section 4 messages: encode, decode, respond.
//
// Sans-I/O: respond() is the whole DNS server minus the socket, so it is
// tested byte by byte and fuzzed; udp_server.cpp only moves datagrams.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fake_dns/fault_table.hpp"
#include "fake_dns/record.hpp"
#include "fake_dns/zone_store.hpp"

namespace dns::wire {

constexpr std::size_t header_size = 12;
constexpr std::size_t udp_size_plain = 512;       // RFC 1035 4.2.1, without EDNS
constexpr std::uint16_t edns_size_ours = 1232;    // what we advertise and accept at most (RFC 6891 6.2.5)
constexpr std::uint16_t type_opt = 41;            // RFC 6891 6.1.1
constexpr std::uint16_t class_in = 1, class_any = 255;

struct header {
  std::uint16_t id = 0;
  bool qr = false;  // a response
  std::uint8_t opcode = 0;
  bool aa = false, tc = false, rd = false, ra = false;
  std::uint8_t rcode = 0;
  friend bool operator==(const header&, const header&) = default;
};

struct question {
  std::string name;  // as sent (case kept), dotted, no trailing dot
  rr_type type = rr_type::A;
  std::uint16_t qclass = class_in;
  friend bool operator==(const question&, const question&) = default;
};

struct message {
  header head;
  std::vector<question> questions;
  std::vector<record> answers;                // class IN, supported types
  std::optional<std::uint16_t> edns_udp_size; // an OPT record was present
  friend bool operator==(const message&, const message&) = default;
};

class wire_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The message in wire form, names compressed (RFC 1035 4.1.4).  When it
// would exceed `max_size`, trailing answers are dropped and TC is set
// (RFC 2181 9); an OPT record is written when edns_udp_size is set.
// Throws wire_error for a record that cannot be encoded.
std::string encode(const message& m, std::size_t max_size = 65535);

// Decodes a message.  Answer records of other types or classes are skipped,
// the authority section is skipped, OPT is recognized in the additional
// section.  Throws wire_error for anything malformed: truncated data,
// compression pointers that loop or point forward or out of bounds, label
// types other than 0, names over 255 octets, RDATA not matching RDLENGTH.
message decode(std::string_view packet);

// The server's answer to one query datagram, or nullopt to send nothing:
// too short for a header, not a query (QR set), or a timeout fault.  A
// readable header with a malformed body gets FORMERR; opcodes other than
// QUERY get NOTIMP; classes other than IN get REFUSED.  The reply fits 512
// octets, or the EDNS0 size the query offers (at most edns_size_ours);
// `over_tcp`: up to 65535 octets (RFC 1035 4.2.2, RFC 7766).
std::optional<std::string> respond(const zone_store& zones, std::string_view query_packet,
                                   const fault_table* faults = nullptr, bool over_tcp = false);

}  // namespace dns::wire
