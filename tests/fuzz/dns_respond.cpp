// dns_respond: fake_dns's wire::respond(), the UDP server's whole logic, fed any datagram.
//
// Input: the query datagram.  The zones hold MX, A, AAAA, TXT (long and
// many), SPF, CNAME chains and a CNAME loop, SOA, NS, PTR, a null MX; faults
// make some names SERVFAIL, NXDOMAIN or time out.
//
// Invariants: silence only for a datagram shorter than a header, a
// response (QR set) or a timeout fault; otherwise a reply that decodes, is a
// response with the query's id and a known rcode, fits 512 octets (or the
// EDNS0 size offered, 1232 at most), and, when the query was a well-formed
// QUERY, answers what the zone store answers (whole answers dropped from the
// end only with TC set).
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "fake_dns/master_file.hpp"
#include "fake_dns/wire.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace dns;
using namespace dns::wire;

namespace {

const char* const zone_text = R"(
$ORIGIN example.org.
$TTL 3600
@        IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@        IN NS  ns1
@        IN MX  10 mx1
@        IN MX  20 mx2.example.org.
@        IN TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all"
@        IN AAAA 2001:db8::1
mx1      IN A   192.0.2.10
mx1      IN AAAA 2001:db8::10
mx2      IN A   192.0.2.20
www      IN CNAME @
a        IN CNAME b
b        IN CNAME c
c        IN A   192.0.2.30
loop1    IN CNAME loop2
loop2    IN CNAME loop1
s1._domainkey IN TXT "v=DKIM1; k=rsa; " "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
_dmarc   IN TXT "v=DMARC1; p=reject; rua=mailto:d@example.org"
spf      IN SPF "v=spf1 -all"
null     IN MX  0 .
$ORIGIN 2.0.192.in-addr.arpa.
10       IN PTR mx1.example.org.
)";

const zone_store& zones() {
  static const zone_store z = [] {
    zone_store out;
    out.add_all(parse_master_file(zone_text, "fuzz.zone"));
    for (int i = 0; i < 60; ++i)
      out.add(parse_record(fmt::format("big.example.org TXT \"record {} with some padding to fill\"", i)));
    return out;
  }();
  return z;
}

const fault_table& faults() {
  static const fault_table f = [] {
    fault_table out;
    out.set("servfail.example.org", std::nullopt, rcode::servfail);
    out.set("mx2.example.org", rr_type::A, rcode::nxdomain);
    out.set("slow.example.org", std::nullopt, rcode::timeout);
    return out;
  }();
  return f;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view packet(reinterpret_cast<const char*>(data), size);
  std::optional<std::string> reply;
  try {
    reply = respond(zones(), packet, &faults());
  } catch (const std::exception& e) {
    fuzz::fail("respond() never throws", e.what());
  }
  std::optional<message> query;
  try {
    query = decode(packet);
  } catch (const wire_error&) {
  }
  if (!reply) {
    bool timeout = query && query->questions.size() == 1 && query->head.opcode == 0 &&
                   faults().find(lower(query->questions[0].name), query->questions[0].type) == rcode::timeout;
    fuzz::check(size < header_size || (data[2] & 0x80) || timeout, "silence only for runts, responses and timeouts");
    return 0;
  }
  fuzz::check(size >= header_size && !(data[2] & 0x80), "no reply to a runt or a response");
  message got;
  try {
    got = decode(*reply);
  } catch (const wire_error& e) {
    fuzz::fail("the reply decodes", e.what());
  }
  fuzz::check(got.head.qr, "the reply is a response");
  fuzz::check(got.head.id == (data[0] << 8 | data[1]), "the reply carries the query's id");
  fuzz::check(got.head.rcode <= 5, "a known rcode");
  std::size_t limit = udp_size_plain;
  if (query && query->edns_udp_size)
    limit = std::clamp<std::size_t>(*query->edns_udp_size, udp_size_plain, edns_size_ours);
  fuzz::check(reply->size() <= limit, "the reply fits the size the client can take");
  if (!query || query->head.opcode != 0 || query->questions.size() != 1 || got.head.rcode != 0) return 0;
  const auto& q = query->questions[0];
  if (q.qclass != class_in && q.qclass != class_any) return 0;
  answer want = zones().lookup_canonical(lower(q.name), q.type);
  fuzz::check(got.answers.size() <= want.records.size(), "no answer the zones do not hold");
  fuzz::check(std::equal(got.answers.begin(), got.answers.end(), want.records.begin()), "the zones' answers, in order");
  fuzz::check(got.head.tc == (got.answers.size() < want.records.size()), "TC exactly when answers were dropped");
  return 0;
}
