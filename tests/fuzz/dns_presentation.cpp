// dns_presentation: fake_dns's presentation records, names, escapes, TTLs and addresses.
//
// Input: one line of text, as a scenario's "dns" entry or a zone file line
// gives it; the rest of the input after a LF is the origin.
//
// Invariants: parse_record() gives a record or throws parse_error (never
// another exception), and the record survives to_string() and parse again;
// a canonical name survives presentation_name(); escapes decode what
// quote_string() wrote; a TTL's text form reads back; an address's
// canonical text reads back as the same address.
#include <string>

#include "fake_dns/address.hpp"
#include "fake_dns/presentation.hpp"
#include "fake_dns/record.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace dns;

namespace {

void check_record(std::string_view line, std::string_view origin) {
  record r;
  try {
    r = parse_record(line, origin);
  } catch (const parse_error&) {
    return;
  } catch (const std::exception& e) {
    fuzz::fail("only parse_error escapes parse_record", e.what());
  }
  std::string shown = r.to_string();
  record back;
  try {
    back = parse_record(shown);
  } catch (const parse_error& e) {
    fuzz::fail("a record's presentation form parses", shown + " : " + e.what());
  }
  fuzz::check(back == r, "a record survives to_string and parse_record", shown);
  fuzz::check(same_rr(back, r), "same_rr holds for equal records");
  (void)rdata_text(r);
  (void)txt_joined(r);
}

void check_name(std::string_view text) {
  std::string name;
  try {
    name = canonical_name(text);
  } catch (const parse_error&) {
    return;
  }
  std::string shown = presentation_name(name);
  std::string again;
  try {
    again = canonical_name(shown);
  } catch (const parse_error& e) {
    fuzz::fail("a presentation name reads back", shown + " : " + e.what());
  }
  fuzz::check(again == name, "a canonical name survives presentation_name()", shown);
}

void check_escapes(std::string_view text) {
  std::string quoted = quote_string(text);
  std::vector<token> tokens;
  try {
    tokens = tokenize(quoted);
  } catch (const parse_error& e) {
    fuzz::fail("a quoted string tokenizes", quoted + " : " + e.what());
  }
  fuzz::check(tokens.size() == 1 && tokens[0].quoted, "a quoted string is one token", quoted);
  fuzz::check(decode_escapes(tokens[0].text) == text, "escapes decode what quote_string wrote", quoted);
  try {
    for (const auto& t : tokenize(text)) (void)decode_escapes(t.text);
  } catch (const parse_error&) {
  }
}

void check_ttl_and_address(std::string_view text) {
  if (auto ttl = parse_ttl(text)) {
    fuzz::check(*ttl <= 0x7fffffff, "a TTL is at most 2^31 - 1", text);
    fuzz::check(parse_ttl(std::to_string(*ttl)) == ttl, "a TTL's number reads back", text);
  }
  if (auto ip = parse_ip(text)) {
    std::string shown = format_ip(*ip);
    fuzz::check(parse_ip(shown) == ip, "an address's canonical text reads back", shown);
    fuzz::check(canonical_ip(text) == shown && canonical_ip(shown) == shown, "canonical text is a fixed point", shown);
  }
  try {
    (void)type_text(parse_type(text));
  } catch (const parse_error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::string_view line = in.until('\n');
  std::string_view origin_text = in.rest();
  std::string origin;
  try {
    origin = origin_text.empty() ? "" : canonical_name(origin_text);
  } catch (const parse_error&) {
    origin = "example.org";
  }
  check_record(line, origin);
  check_name(line);
  check_escapes(line);
  check_ttl_and_address(line);
  return 0;
}
