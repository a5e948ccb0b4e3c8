// sim/auth/dkim_verifier.cpp - key record, body hash and signature (RFC 6376 §6.1.2, §6.1.3).
#include "sim/auth/dkim_verifier.hpp"

#include <fmt/format.h>

#include "sim/auth/crypto.hpp"
#include "sim/auth/dkim_key.hpp"
#include "sim/message/mime.hpp"

namespace sim::auth {

namespace {

// The first record that parses as a key (§6.1.2: a verifier may choose).
bool pick_key(dkim_check& check, const key_lookup& lookup, dkim_key_record& key) {
  auto& v = check.verification;
  if (lookup.status == key_lookup::outcome::failed) {
    settle(check, dkim_result::temperror, fmt::format("key lookup failed: {} for {}", lookup.detail, v.key_name));
    return false;
  }
  if (lookup.status == key_lookup::outcome::absent || lookup.records.empty()) {
    settle(check, dkim_result::permerror,
           fmt::format("no key for signature: {} for {}", lookup.detail.empty() ? "no TXT record" : lookup.detail,
                       v.key_name));
    return false;
  }
  std::string first_error;
  for (const auto& text : lookup.records) {
    auto parsed = parse_dkim_key(text);
    if (parsed.record) {
      key = std::move(*parsed.record);
      v.steps.push_back(fmt::format("key at {}: {}", v.key_name, text));
      return true;
    }
    if (first_error.empty()) first_error = parsed.error;
  }
  settle(check, dkim_result::permerror, fmt::format("{} at {}", first_error, v.key_name));
  return false;
}

void check_crypto(const dkim_checks& checks, dkim_check& check, const dkim_key_record& key,
                  const verify_options& options) {
  const dkim_signature& sig = *check.signature;
  auto& v = check.verification;
  const auto computed = sha256(checks.body_input(check));
  if (computed != sig.body_hash) {
    v.steps.push_back(fmt::format("body hash: computed {}, bh= says {}", message::base64_encode(computed, 0),
                                  message::base64_encode(sig.body_hash, 0)));
    return settle(check, dkim_result::fail, "body hash did not verify");
  }
  v.steps.emplace_back("body hash verified");
  const auto crypto = verify_digest(sig.algorithm, key.public_key, sha256(check.header_input), sig.signature,
                                    options.min_rsa_bits);
  v.key_bits = crypto.key_bits;
  switch (crypto.outcome) {
    case signature_check::status::unusable_key: return settle(check, dkim_result::permerror, crypto.error);
    case signature_check::status::key_too_small: return settle(check, dkim_result::policy, crypto.error);
    case signature_check::status::bad_signature: return settle(check, dkim_result::fail, "signature did not verify");
    case signature_check::status::valid: break;
  }
  v.steps.push_back(fmt::format("signature verified with the {}-bit key", crypto.key_bits));
  // §8.2: bytes after l= are not covered; unless accepted, that is a policy failure.
  if (check.body_input_length < check.body_length && !options.accept_partial_body)
    return settle(check, dkim_result::policy,
                  fmt::format("l={} leaves {} of {} body bytes unsigned", check.body_input_length,
                              check.body_length - check.body_input_length, check.body_length));
  settle(check, dkim_result::pass, "");
}

}  // namespace

void finish_check(const dkim_checks& checks, dkim_check& check, const key_lookup& lookup,
                  const verify_options& options) {
  if (check.settled() || !check.signature) return;
  dkim_key_record key;
  if (!pick_key(check, lookup, key)) return;
  check.verification.key_testing = key.testing;
  if (auto problem = key_problem(key, *check.signature); !problem.empty())
    return settle(check, dkim_result::permerror, problem);
  check_crypto(checks, check, key, options);
}

std::vector<dkim_verification> verify_message(std::string_view raw, std::int64_t now,
                                              const std::function<key_lookup(const std::string&)>& lookup,
                                              const verify_options& options) {
  auto checks = check_signatures(raw, now, options);
  std::vector<dkim_verification> out;
  for (auto& check : checks.items) {
    if (!check.settled()) finish_check(checks, check, lookup(check.verification.key_name), options);
    out.push_back(std::move(check.verification));
  }
  return out;
}

}  // namespace sim::auth
