// fake_dns/wire_respond.cpp - the sans-I/O DNS server: one query in, one reply out.
#include <algorithm>

#include "fake_dns/wire.hpp"

namespace dns::wire {
namespace {

constexpr std::uint16_t type_ixfr = 251, type_axfr = 252;

// A reply carrying only a header (and the question when there was one).
// Several questions are not echoed: RFC 1035 4.1.2 expects one, and forty
// long names would not fit the 512 octets of a plain UDP reply.
std::string error_reply(const header& query, std::vector<question> questions, rcode code,
                        std::optional<std::uint16_t> edns) {
  if (questions.size() > 1) questions.clear();
  message reply;
  reply.head.id = query.id;
  reply.head.qr = true;
  reply.head.opcode = query.opcode;
  reply.head.rd = query.rd;
  reply.head.rcode = static_cast<std::uint8_t>(code);
  reply.questions = std::move(questions);
  if (edns) reply.edns_udp_size = edns_size_ours;
  return encode(reply, udp_size_plain);
}

std::string lower(std::string s) {
  for (auto& c : s) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  return s;
}

}  // namespace

std::optional<std::string> respond(const zone_store& zones, std::string_view query_packet, const fault_table* faults,
                                   bool over_tcp) {
  if (query_packet.size() < header_size) return std::nullopt;  // no id to answer to
  message query;
  try {
    query = decode(query_packet);
  } catch (const wire_error&) {
    header h;  // the header alone is readable: RFC 1035 4.1.1 FORMERR
    h.id = static_cast<std::uint16_t>(static_cast<unsigned char>(query_packet[0]) << 8 |
                                      static_cast<unsigned char>(query_packet[1]));
    auto flags = static_cast<unsigned char>(query_packet[2]);
    if (flags & 0x80) return std::nullopt;  // a response: never answer one
    h.opcode = static_cast<std::uint8_t>(flags >> 3 & 0x0f);
    h.rd = flags & 0x01;
    return error_reply(h, {}, rcode::formerr, std::nullopt);
  }
  const auto& h = query.head;
  if (h.qr) return std::nullopt;
  if (h.opcode != 0) return error_reply(h, query.questions, rcode::notimp, query.edns_udp_size);
  if (query.questions.size() != 1) return error_reply(h, query.questions, rcode::formerr, query.edns_udp_size);
  const auto& q = query.questions.front();
  if (q.qclass != class_in && q.qclass != class_any) return error_reply(h, query.questions, rcode::refused, query.edns_udp_size);
  auto qtype = static_cast<std::uint16_t>(q.type);
  if (qtype == type_axfr || qtype == type_ixfr || qtype == type_opt)
    return error_reply(h, query.questions, rcode::notimp, query.edns_udp_size);

  auto name = lower(q.name);
  answer result;
  auto fault = faults ? faults->find(name, q.type) : std::nullopt;
  if (fault == rcode::timeout) return std::nullopt;
  if (fault) result.code = *fault;
  else result = zones.lookup_canonical(name, q.type);

  message reply;
  reply.head = header{.id = h.id, .qr = true, .opcode = 0, .aa = true, .tc = false, .rd = h.rd, .ra = false,
                      .rcode = static_cast<std::uint8_t>(result.code)};
  reply.questions = query.questions;
  reply.answers = std::move(result.records);
  std::size_t limit = udp_size_plain;
  if (query.edns_udp_size) {
    // RFC 6891 6.2.3: below 512 counts as 512; we send at most our own size.
    limit = std::clamp<std::size_t>(*query.edns_udp_size, udp_size_plain, edns_size_ours);
    reply.edns_udp_size = edns_size_ours;
  }
  if (over_tcp) limit = 65535;
  return encode(reply, limit);
}

}  // namespace dns::wire
