// dns_wire: fake_dns's RFC 1035 decoder, fed any datagram.
//
// Input: the datagram.
//
// Invariants: decode() either throws wire_error or gives a message that
// encode() writes and decode() reads back equal (names, types, TTLs, RDATA,
// EDNS size; TC as the header said), and
// encoding it again gives the same octets.
#include <algorithm>
#include <string>

#include "fake_dns/wire.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace dns;
using namespace dns::wire;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view packet(reinterpret_cast<const char*>(data), size);
  message m;
  try {
    m = decode(packet);
  } catch (const wire_error&) {
    return 0;
  }
  fuzz::check(m.questions.size() <= 65535 && m.answers.size() <= 65535, "counts fit in 16 bits");
  for (const auto& q : m.questions) fuzz::check(q.name.size() <= 254, "names within 255 octets", q.name);
  for (const auto& r : m.answers) {
    fuzz::check(std::none_of(r.name.begin(), r.name.end(), [](char c) { return c >= 'A' && c <= 'Z'; }),
                "answer owner names are lower case", r.name);
    fuzz::check(r.ttl <= 0x7fffffff, "TTLs within 2^31 - 1 (RFC 2181 8)");
  }
  std::string again;
  try {
    again = encode(m);
  } catch (const wire_error& e) {
    fuzz::fail("a decoded message encodes", e.what());
  }
  message back;
  try {
    back = decode(again);
  } catch (const wire_error& e) {
    fuzz::fail("an encoded message decodes", e.what());
  }
  fuzz::check(back == m, "decode, encode, decode gives the same message");
  fuzz::check(encode(back) == again, "encoding is deterministic");
  return 0;
}
