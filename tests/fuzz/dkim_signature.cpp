// dkim_signature: sim/auth's DKIM-Signature fields (RFC 6376 §3.5), tag lists (§3.2)
// and canonicalization (§3.4), as a signer anywhere may write them.
//
// Input: a DKIM-Signature value; the same bytes are also a header field
// value and a body to canonicalize.
//
// Invariants: parsing never throws and gives a signature with result none,
// or neutral/permerror with a reason; a signature's d= is lower case, its
// i= ends in d= or a subdomain of it, h= names From, x= is not before t=;
// tag values lie where their positions say; c= written back reads back;
// relaxed and simple canonicalization are idempotent, and relaxed output
// has no white space runs or line-end white space.
#include <string>

#include "sim/auth/canonicalization.hpp"
#include "sim/auth/dkim_signature.hpp"
#include "sim/auth/tag_list.hpp"
#include "sim/message/text.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::auth;

namespace {

bool lower_case(std::string_view s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return false;
  return true;
}

void check_signature(std::string_view value) {
  auto p = parse_dkim_signature(value);
  if (!p.signature) {
    fuzz::check(p.result == dkim_result::neutral || p.result == dkim_result::permerror,
                "an unreadable signature is neutral or permerror", value);
    fuzz::check(!p.error.empty(), "with a reason", value);
    return;
  }
  const auto& s = *p.signature;
  fuzz::check(p.result == dkim_result::none && p.error.empty(), "a readable signature has no result yet", value);
  fuzz::check(!s.domain.empty() && lower_case(s.domain), "d= is lower case", s.domain);
  auto at = s.auid.rfind('@');
  fuzz::check(at != std::string::npos, "i= holds an @", s.auid);
  std::string auid_domain = sim::message::to_lower(std::string_view(s.auid).substr(at + 1));
  fuzz::check(auid_domain == s.domain || auid_domain.ends_with("." + s.domain), "i= is within d=", s.auid);
  bool from = false;
  for (const auto& h : s.signed_headers) from = from || sim::message::iequals(h, "from");
  fuzz::check(from, "h= names From", value);
  if (s.timestamp && s.expiration) fuzz::check(*s.expiration >= *s.timestamp, "x= is not before t=", value);
  fuzz::check(parse_canonicalization(canonicalization_text(s.canon)) == s.canon, "c= reads back", value);
}

void check_tags(std::string_view text) {
  for (bool lenient : {false, true}) {
    auto r = parse_tag_list(text, lenient);
    fuzz::check(r.list.has_value() == r.error.empty(), "a tag list or a reason", text);
    if (!r.list) continue;
    for (const auto& t : r.list->tags) {
      fuzz::check(t.value_begin <= t.value_end && t.value_end <= text.size(), "value positions within the text");
      fuzz::check(text.substr(t.value_begin, t.value_end - t.value_begin).find(t.value) != std::string_view::npos,
                  "the value lies where its positions say", t.name);
      fuzz::check(r.list->find(t.name) == &t, "names are unique", t.name);
    }
  }
}

void check_canonicalization(std::string_view text) {
  for (auto c : {canonicalization::simple, canonicalization::relaxed}) {
    std::string body = canonicalize_body(c, text);
    fuzz::check(canonicalize_body(c, body) == body, "body canonicalization is idempotent", body);
  }
  std::string relaxed = canonicalize_body(canonicalization::relaxed, text);
  fuzz::check(relaxed.find("  ") == std::string::npos && relaxed.find(" \r\n") == std::string::npos,
              "relaxed bodies have no white space runs or line-end white space", relaxed);
  std::string header = canonicalize_header(canonicalization::relaxed, "DKIM-Signature", text);
  auto colon = header.find(':');
  fuzz::check(colon != std::string::npos && header.ends_with("\r\n"), "a header line ends with CRLF", header);
  std::string again = canonicalize_header(canonicalization::relaxed, std::string_view(header).substr(0, colon),
                                          std::string_view(header).substr(colon + 1, header.size() - colon - 3));
  fuzz::check(again == header, "relaxed header canonicalization is idempotent", header);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check_signature(text);
  check_tags(text);
  check_canonicalization(text);
  return 0;
}
