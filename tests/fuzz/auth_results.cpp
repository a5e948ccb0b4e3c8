// auth_results: sim/auth's Authentication-Results fields (RFC 8601), as any receiver may write them.
//
// Input: the field value.
//
// Invariants: parsing never throws and gives a value or an error saying
// what is wrong; a parsed value formatted again parses to the same value
// (less the control and 8-bit octets a header cannot carry, which the
// formatter drops), and formatting that is stable; find() returns each
// property it holds.
#include <string>

#include "sim/auth/auth_results.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::auth;

namespace {

// What a header field can carry: format_authentication_results() drops
// control and 8-bit octets from values and comments.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c >= 0x20 && c <= 0x7e) out += c;
  return out;
}

authentication_results printable(authentication_results ar) {
  ar.authserv_id = printable(ar.authserv_id);
  for (auto& r : ar.results) {
    r.comment = printable(r.comment);
    r.reason = printable(r.reason);
    for (auto& p : r.properties) p.value = printable(p.value);
  }
  return ar;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto got = parse_authentication_results(text);
  fuzz::check(got.value.has_value() == got.error.empty(), "a value or an error, not both", text);
  if (!got.value) return 0;
  const auto& ar = *got.value;
  for (const auto& r : ar.results)
    for (const auto& p : r.properties)
      fuzz::check(r.find(p.ptype, p.property) != nullptr, "find() returns each property", p.property);
  std::string formatted = format_authentication_results(ar);
  auto back = parse_authentication_results(formatted);
  fuzz::check(back.value.has_value(), "a formatted value parses", formatted + " : " + back.error);
  fuzz::check(*back.value == printable(ar), "format then parse gives the same value, less what a header cannot hold",
              formatted);
  fuzz::check(format_authentication_results(*back.value) == format_authentication_results(printable(ar)),
              "formatting is stable", formatted);
  return 0;
}
