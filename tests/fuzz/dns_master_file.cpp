// dns_master_file: fake_dns's RFC 1035 master-file reader, fed any zone file text.
//
// Input: one byte choosing the starting origin and default TTL, then the
// file.
//
// Invariants: parse_master_file() gives records or throws parse_error
// naming the file (never another exception); every record has a canonical
// owner, a TTL of at most 2^31 - 1 and data its type allows; each record's
// presentation form parses back to the same record; the records go into a
// zone store (a CNAME beside other data may be refused, with zone_error).
#include <string>

#include "fake_dns/master_file.hpp"
#include "fake_dns/record.hpp"
#include "fake_dns/zone_store.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace dns;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::uint8_t opts = in.byte();
  std::string_view origin = (opts & 1) ? "example.org" : "";
  std::uint32_t ttl = (opts & 2) ? 300 : 3600;
  std::string_view text = in.rest();

  std::vector<record> records;
  try {
    records = parse_master_file(text, "fuzz.zone", origin, ttl);
  } catch (const parse_error& e) {
    fuzz::check(std::string_view(e.what()).starts_with("fuzz.zone"), "errors name the file", e.what());
    return 0;
  } catch (const std::exception& e) {
    fuzz::fail("only parse_error escapes", e.what());
  }
  zone_store zones;
  for (const auto& r : records) {
    fuzz::check(r.ttl <= 0x7fffffff, "TTL at most 2^31 - 1 (RFC 2181 8)", r.to_string());
    fuzz::check(canonical_name(presentation_name(r.name)) == r.name, "owner names are canonical", r.name);
    for (char c : r.name) fuzz::check(!(c >= 'A' && c <= 'Z'), "owner names in lower case", r.name);
    fuzz::check(r.type != rr_type::ANY, "no record of type ANY", r.to_string());
    std::string shown = r.to_string();
    record back;
    try {
      back = parse_record(shown);
    } catch (const parse_error& e) {
      fuzz::fail("a record's presentation form parses", shown + " : " + e.what());
    }
    fuzz::check(back == r, "a record survives to_string and parse_record", shown);
    try {
      zones.add(r);
    } catch (const zone_error&) {
    }
  }
  for (const auto& r : zones.records()) (void)zones.lookup_canonical(r.name, rr_type::ANY);
  return 0;
}
