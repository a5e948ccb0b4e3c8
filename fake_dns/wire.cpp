// fake_dns/wire.cpp - RFC 1035 section 4 message encoding and decoding.
#include "fake_dns/wire.hpp"

#include <map>

#include <fmt/format.h>

#include "fake_dns/address.hpp"

namespace dns::wire {
namespace {

// ---- encoding ----

class writer {
 public:
  void u8(unsigned v) { out_ += static_cast<char>(v & 0xff); }
  void u16(unsigned v) { u8(v >> 8), u8(v); }
  void u32(std::uint32_t v) { u16(v >> 16), u16(v & 0xffff); }
  void bytes(std::string_view b) { out_.append(b); }
  void patch_u16(std::size_t at, unsigned v) {
    out_[at] = static_cast<char>((v >> 8) & 0xff);
    out_[at + 1] = static_cast<char>(v & 0xff);
  }
  std::size_t size() const { return out_.size(); }
  std::string& buffer() { return out_; }

  // RFC 1035 4.1.4: a suffix already written is replaced by a pointer to it.
  void name(const std::string& dotted) {
    std::size_t start = 0;
    while (start < dotted.size()) {
      auto suffix = dotted.substr(start);  // exact bytes: answers keep their own case
      if (auto it = offsets_.find(suffix); it != offsets_.end()) return u16(0xc000 | it->second);
      if (out_.size() < 0x4000) offsets_.emplace(suffix, out_.size());
      auto dot = dotted.find('.', start);
      auto label = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (label.empty() || label.size() > 63) throw wire_error(fmt::format("name \"{}\" has an invalid label", dotted));
      u8(static_cast<unsigned>(label.size()));
      bytes(label);
      start = dot == std::string::npos ? dotted.size() : dot + 1;
    }
    u8(0);
  }

 private:
  std::string out_;
  std::map<std::string, unsigned> offsets_;
};

void write_address(writer& w, const record& r) {
  auto address = r.type == rr_type::A ? parse_ipv4(r.data) : parse_ipv6(r.data);
  if (!address) throw wire_error(fmt::format("{}: not a valid address", r.to_string()));
  w.bytes(std::string_view(reinterpret_cast<const char*>(address->bytes.data()), address->size()));
}

void write_rdata(writer& w, const record& r) {
  switch (r.type) {
    case rr_type::A:
    case rr_type::AAAA: return write_address(w, r);
    case rr_type::MX: w.u16(r.preference); return w.name(r.data);
    case rr_type::CNAME:
    case rr_type::PTR:
    case rr_type::NS: return w.name(r.data);
    case rr_type::TXT:
    case rr_type::SPF:
      for (const auto& s : r.strings) {
        if (s.size() > 255) throw wire_error(fmt::format("{}: a string over 255 octets", r.to_string()));
        w.u8(static_cast<unsigned>(s.size()));
        w.bytes(s);
      }
      return;
    case rr_type::SOA:
      w.name(r.data), w.name(r.soa.rname);
      w.u32(r.soa.serial), w.u32(r.soa.refresh), w.u32(r.soa.retry), w.u32(r.soa.expire), w.u32(r.soa.minimum);
      return;
    case rr_type::ANY: break;
  }
  throw wire_error(fmt::format("type {} cannot be encoded", type_text(r.type)));
}

void write_record(writer& w, const record& r) {
  w.name(r.name);
  w.u16(static_cast<unsigned>(r.type));
  w.u16(class_in);
  w.u32(r.ttl);
  auto length_at = w.size();
  w.u16(0);
  write_rdata(w, r);
  w.patch_u16(length_at, static_cast<unsigned>(w.size() - length_at - 2));
}

void write_header(writer& w, const header& h) {
  w.u16(h.id);
  w.u8((h.qr ? 0x80u : 0u) | (h.opcode & 0x0fu) << 3 | (h.aa ? 0x04u : 0u) | (h.tc ? 0x02u : 0u) | (h.rd ? 0x01u : 0u));
  w.u8((h.ra ? 0x80u : 0u) | (h.rcode & 0x0fu));
}

constexpr std::size_t opt_size = 11;  // root name, type, class, ttl, rdlength

}  // namespace

std::string encode(const message& m, std::size_t max_size) {
  writer w;
  write_header(w, m.head);
  w.u16(static_cast<unsigned>(m.questions.size()));
  w.u16(0), w.u16(0), w.u16(m.edns_udp_size ? 1 : 0);  // ANCOUNT patched below
  for (const auto& q : m.questions) {
    w.name(q.name);
    w.u16(static_cast<unsigned>(q.type));
    w.u16(q.qclass);
  }
  std::size_t reserve = m.edns_udp_size ? opt_size : 0;
  std::size_t fitted = 0, fitted_size = w.size();
  for (const auto& r : m.answers) {
    write_record(w, r);
    if (w.size() + reserve > max_size) break;
    ++fitted, fitted_size = w.size();
  }
  // Pointers only point backward, so cutting after a whole record is safe.
  w.buffer().resize(fitted_size);
  w.patch_u16(6, static_cast<unsigned>(fitted));
  if (fitted < m.answers.size()) w.buffer()[2] = static_cast<char>(w.buffer()[2] | 0x02);  // TC
  if (m.edns_udp_size) {
    w.u8(0);
    w.u16(type_opt), w.u16(*m.edns_udp_size), w.u32(0), w.u16(0);
  }
  return std::move(w.buffer());
}

}  // namespace dns::wire
