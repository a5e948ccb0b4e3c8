// sim/auth/dkim_check.cpp - RFC 6376 §6.1.1: the signature checks that need no key.
#include "sim/auth/dkim_check.hpp"

#include <fmt/format.h>

#include "sim/auth/dkim_hash_input.hpp"
#include "sim/auth/dkim_key.hpp"
#include "sim/core/time.hpp"
#include "sim/message/text.hpp"

namespace sim::auth {

namespace {

std::string when(std::int64_t seconds) {
  return format_rfc3339(wall_time{std::chrono::seconds{seconds}});
}

const std::string& canonical_body(dkim_checks& out, const message::message& m, canonicalization c) {
  auto& body = out.bodies[c == canonicalization::simple ? 0 : 1];
  if (!out.filled[c == canonicalization::simple ? 0 : 1]) {
    body = body_hash_input(m.body(), c, std::nullopt).data;
    out.filled[c == canonicalization::simple ? 0 : 1] = true;
  }
  return body;
}

// The body part: l= against the canonical body (§3.5 l=, §8.2).
void check_body(dkim_checks& out, const message::message& m, const dkim_signature& sig, dkim_check& check) {
  const auto& body = canonical_body(out, m, sig.canon.body);
  check.body_length = body.size();
  check.body_input_length = body.size();
  if (!sig.body_length) return;
  if (*sig.body_length > body.size()) {
    settle(check, dkim_result::permerror,
           fmt::format("l={} is longer than the body ({} bytes after canonicalization)", *sig.body_length, body.size()));
    return;
  }
  check.body_input_length = static_cast<std::size_t>(*sig.body_length);
  check.verification.steps.push_back(
      fmt::format("l={}: the body hash covers {} of {} body bytes", *sig.body_length, *sig.body_length, body.size()));
}

void prepare_one(dkim_checks& out, const message::message& m, const message::field& field, std::int64_t now,
                 dkim_check& check) {
  auto parsed = parse_dkim_signature(field.value);
  auto& v = check.verification;
  v.domain = parsed.domain;
  v.selector = parsed.selector;
  v.b_text = parsed.b_text;
  v.algorithm = parsed.algorithm_text;
  v.steps.push_back(fmt::format("DKIM-Signature {}: d={} s={} a={}", check.field_index + 1,
                                v.domain.empty() ? "?" : v.domain, v.selector.empty() ? "?" : v.selector,
                                v.algorithm.empty() ? "?" : v.algorithm));
  if (!parsed.signature) return settle(check, parsed.result, parsed.error);
  const dkim_signature& sig = *parsed.signature;
  v.auid = sig.auid;
  v.key_name = key_query_name(sig.selector, sig.domain);
  // §3.5 x=: a signature past its expiration is not accepted.
  if (sig.expiration && now > *sig.expiration)
    return settle(check, dkim_result::permerror,
                  fmt::format("signature expired at {} (x={})", when(*sig.expiration), *sig.expiration));
  check_body(out, m, sig, check);
  if (check.settled()) return;
  const auto selected = select_headers(m.fields(), sig.signed_headers, &field);
  check.header_input = header_hash_input(selected, sig.canon.header, field.name, blank_b_value(field.value));
  v.steps.push_back(fmt::format("c={}; h= names {} fields, {} of them present", canonicalization_text(sig.canon),
                                sig.signed_headers.size(), selected.size()));
  check.signature = sig;
}

}  // namespace

std::string_view dkim_checks::body_input(const dkim_check& check) const {
  if (!check.signature) return {};
  const auto& body = bodies[check.signature->canon.body == canonicalization::simple ? 0 : 1];
  return std::string_view(body).substr(0, check.body_input_length);
}

void settle(dkim_check& check, dkim_result result, std::string reason) {
  check.signature.reset();
  check.verification.result = result;
  if (!reason.empty()) check.verification.steps.push_back(fmt::format("{}: {}", dkim_result_name(result), reason));
  check.verification.reason = std::move(reason);
}

dkim_checks check_signatures(std::string_view raw, std::int64_t now, const verify_options& options) {
  dkim_checks out;
  const auto m = dkim_view(raw);
  const auto& fields = m.fields();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!message::iequals(message::trim(fields[i].name), "DKIM-Signature")) continue;
    dkim_check check;
    check.field_index = i;
    if (out.items.size() >= options.max_signatures) {
      settle(check, dkim_result::neutral,
             fmt::format("not checked: only the first {} signatures are verified", options.max_signatures));
    } else {
      prepare_one(out, m, fields[i], now, check);
    }
    out.items.push_back(std::move(check));
  }
  return out;
}

}  // namespace sim::auth
