// sim/auth/dkim_key.hpp - DKIM key records (RFC 6376 §3.6.1, RFC 8463 §4).
//
// Sans-I/O.  `SELECTOR._domainkey.DOMAIN TXT "v=DKIM1; k=rsa; p=..."`:
// parse_dkim_key() reads the tags, key_problem() says why a record cannot
// verify a given signature (revoked, wrong type, hash not allowed, not for
// email, t=s against i=).  Whether p= holds a usable key is the crypto
// part's business (crypto.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/auth/dkim_signature.hpp"

namespace sim::auth {

struct dkim_key_record {
  std::string key_type = "rsa";              // k= (lower case)
  std::string public_key;                    // p=, decoded; empty = revoked (§3.6.1)
  std::vector<std::string> hash_algorithms;  // h=; empty = any
  std::vector<std::string> service_types;    // s=; empty = "*"
  bool testing = false;                      // t=y
  bool strict_identity = false;              // t=s: i= must be d= itself
  std::string notes;                         // n=
};

struct dkim_key_parse {
  std::optional<dkim_key_record> record;
  std::string error;  // key syntax error, for people
};

dkim_key_parse parse_dkim_key(std::string_view text);

// The name to query (§3.6.2.1): "s1._domainkey.example.org".
std::string key_query_name(std::string_view selector, std::string_view domain);

// Why `key` cannot verify `signature` (RFC 6376 §6.1.2), or "" when it can
// be tried.
std::string key_problem(const dkim_key_record& key, const dkim_signature& signature);

// The record a signer publishes: "v=DKIM1; k=rsa; p=BASE64".
std::string format_dkim_key(std::string_view key_type, std::string_view public_key_base64);

}  // namespace sim::auth
