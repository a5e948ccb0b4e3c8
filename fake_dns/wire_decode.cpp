// fake_dns/wire_decode.cpp - RFC 1035 section 4 message decoding, defensively.
#include <fmt/format.h>

#include "fake_dns/address.hpp"
#include "fake_dns/wire.hpp"

namespace dns::wire {
namespace {

class reader {
 public:
  explicit reader(std::string_view p) : p_(p) {}

  std::size_t pos() const { return pos_; }
  void need(std::size_t n) const {
    if (n > p_.size() - pos_) throw wire_error(fmt::format("truncated at offset {}", pos_));
  }
  unsigned u8() { need(1); return static_cast<unsigned char>(p_[pos_++]); }
  unsigned u16() { auto hi = u8(); return hi << 8 | u8(); }
  std::uint32_t u32() { std::uint32_t hi = u16(); return hi << 16 | u16(); }
  std::string_view bytes(std::size_t n) { need(n); auto b = p_.substr(pos_, n); pos_ += n; return b; }
  void skip(std::size_t n) { need(n); pos_ += n; }

  // RFC 1035 4.1.4.  A pointer must point strictly before the label
  // sequence it ends, so every jump goes backward and a loop is impossible.
  std::string name(bool lower_case) {
    std::string out;
    std::size_t wire_length = 1, at = pos_, limit = pos_;
    bool jumped = false;
    for (;;) {
      if (at >= p_.size()) throw wire_error("a name runs past the end");
      auto length = static_cast<unsigned char>(p_[at]);
      if ((length & 0xc0) == 0xc0) {
        if (at + 1 >= p_.size()) throw wire_error("a compression pointer runs past the end");
        std::size_t target = (length & 0x3fu) << 8 | static_cast<unsigned char>(p_[at + 1]);
        if (target >= limit) throw wire_error(fmt::format("a compression pointer at {} points forward", at));
        if (!jumped) pos_ = at + 2, jumped = true;
        at = limit = target;
        continue;
      }
      if (length & 0xc0) throw wire_error(fmt::format("label type {:#x} at {}", length & 0xc0, at));
      if (length == 0) break;
      if (at + 1 + length > p_.size()) throw wire_error("a label runs past the end");
      wire_length += length + 1u;
      if (wire_length > 255) throw wire_error("a name over 255 octets");
      auto label = p_.substr(at + 1, length);
      if (label.find('.') != std::string_view::npos) throw wire_error("a label holding '.' is not supported");
      if (!out.empty()) out += '.';
      for (char c : label) out += lower_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      at += 1 + length;
    }
    if (!jumped) pos_ = at + 1;
    return out;
  }

 private:
  std::string_view p_;
  std::size_t pos_ = 0;
};

void read_address(reader& in, record& r, std::size_t rdlength) {
  ip_address address;
  address.kind = r.type == rr_type::A ? ip_address::family::v4 : ip_address::family::v6;
  if (rdlength != address.size()) throw wire_error(fmt::format("{} RDATA of {} octets", type_name(r.type), rdlength));
  auto b = in.bytes(rdlength);
  for (std::size_t i = 0; i < rdlength; ++i) address.bytes[i] = static_cast<std::uint8_t>(b[i]);
  r.data = format_ip(address);
}

// Reads the RDATA of a supported type; false for a type we skip.
bool read_rdata(reader& in, record& r, std::size_t rdlength) {
  auto end = in.pos() + rdlength;
  switch (r.type) {
    case rr_type::A:
    case rr_type::AAAA: read_address(in, r, rdlength); break;
    case rr_type::MX: r.preference = static_cast<std::uint16_t>(in.u16()), r.data = in.name(true); break;
    case rr_type::CNAME:
    case rr_type::PTR:
    case rr_type::NS: r.data = in.name(true); break;
    case rr_type::TXT:
    case rr_type::SPF:
      while (in.pos() < end) r.strings.emplace_back(in.bytes(in.u8()));
      break;
    case rr_type::SOA:
      r.data = in.name(true), r.soa.rname = in.name(true);
      r.soa.serial = in.u32(), r.soa.refresh = in.u32(), r.soa.retry = in.u32();
      r.soa.expire = in.u32(), r.soa.minimum = in.u32();
      break;
    default: in.skip(rdlength); return false;
  }
  if (in.pos() != end) throw wire_error(fmt::format("{} RDATA does not match RDLENGTH {}", type_text(r.type), rdlength));
  return true;
}

header read_header(reader& in) {
  header h;
  h.id = static_cast<std::uint16_t>(in.u16());
  auto flags = in.u16();
  h.qr = flags & 0x8000, h.opcode = static_cast<std::uint8_t>(flags >> 11 & 0x0f);
  h.aa = flags & 0x0400, h.tc = flags & 0x0200, h.rd = flags & 0x0100, h.ra = flags & 0x0080;
  h.rcode = static_cast<std::uint8_t>(flags & 0x0f);
  return h;
}

enum class section { answer, authority, additional };

void read_rr(reader& in, message& m, section where) {
  record r;
  r.name = in.name(true);
  auto type = in.u16(), rr_class = in.u16();
  auto ttl = in.u32();
  auto rdlength = in.u16();
  in.need(rdlength);
  if (where == section::additional && type == type_opt) {
    if (!r.name.empty()) throw wire_error("an OPT record not owned by the root");
    if (m.edns_udp_size) throw wire_error("two OPT records (RFC 6891 6.1.1)");
    m.edns_udp_size = static_cast<std::uint16_t>(rr_class);
    return in.skip(rdlength);
  }
  if (where != section::answer || rr_class != class_in) return in.skip(rdlength);
  r.type = static_cast<rr_type>(type);
  r.ttl = ttl > 0x7fffffff ? 0 : ttl;  // RFC 2181 8: a TTL with the top bit set reads as zero
  if (read_rdata(in, r, rdlength)) m.answers.push_back(std::move(r));
}

}  // namespace

message decode(std::string_view packet) {
  reader in(packet);
  message m;
  m.head = read_header(in);
  auto qdcount = in.u16(), ancount = in.u16(), nscount = in.u16(), arcount = in.u16();
  for (unsigned i = 0; i < qdcount; ++i) {
    question q;
    q.name = in.name(false);
    q.type = static_cast<rr_type>(in.u16());
    q.qclass = static_cast<std::uint16_t>(in.u16());
    m.questions.push_back(std::move(q));
  }
  for (unsigned i = 0; i < ancount; ++i) read_rr(in, m, section::answer);
  for (unsigned i = 0; i < nscount; ++i) read_rr(in, m, section::authority);
  for (unsigned i = 0; i < arcount; ++i) read_rr(in, m, section::additional);
  return m;
}

}  // namespace dns::wire
