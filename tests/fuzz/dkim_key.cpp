// dkim_key: sim/auth's DKIM key records (RFC 6376 §3.6.1, RFC 8463 §4), as DNS may hold them.
//
// Input: the TXT record's text.
//
// Invariants: a record or a key syntax error, never both, never a throw; k=
// is lower case; the record a signer would publish for that key type and key
// (format_dkim_key) reads back as the same type and key; key_problem()
// answers for any signature without a crash.
#include <string>

#include "sim/auth/dkim_key.hpp"
#include "sim/message/mime.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::auth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto got = parse_dkim_key(text);
  fuzz::check(got.record.has_value() == got.error.empty(), "a key or an error, not both", text);
  if (!got.record) return 0;
  const auto& k = *got.record;
  for (char c : k.key_type) fuzz::check(!(c >= 'A' && c <= 'Z'), "k= is lower case", k.key_type);
  if (!k.key_type.empty()) {
    std::string published = format_dkim_key(k.key_type, sim::message::base64_encode(k.public_key, 0));
    auto back = parse_dkim_key(published);
    fuzz::check(back.record.has_value(), "a published record reads back", published);
    fuzz::check(back.record->key_type == k.key_type && back.record->public_key == k.public_key,
                "the same key type and key", published);
  }
  dkim_signature s;
  s.domain = "example.org";
  s.auid = "@mail.example.org";
  s.selector = "s1";
  for (auto a : {dkim_algorithm::rsa_sha256, dkim_algorithm::ed25519_sha256}) {
    s.algorithm = a;
    (void)key_problem(k, s);
  }
  (void)key_query_name("s1", "example.org");
  return 0;
}
