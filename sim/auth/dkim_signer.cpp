// sim/auth/dkim_signer.cpp - RFC 6376 §5 signing with a private key.
#include "sim/auth/dkim_signer.hpp"

#include "sim/auth/dkim_hash_input.hpp"
#include "sim/auth/dkim_signature.hpp"
#include "sim/message/mime.hpp"

namespace sim::auth {

dkim_signed sign_message(std::string_view raw, const sign_request& request, const private_key& key) {
  const auto m = dkim_view(raw);
  const auto body = body_hash_input(m.body(), request.canon.body, request.body_length);
  const auto body_hash = sha256(body.data);
  const auto prepared = prepare_signature(m, request, body_hash);
  const auto signature = key.sign_digest(sha256(prepared.signing_input));
  dkim_signed out;
  out.value = finish_signature(prepared, signature);
  out.signed_headers = prepared.signed_headers;
  out.body_hash = message::base64_encode(body_hash, 0);
  out.b_text = message::base64_encode(signature, 0);
  return out;
}

std::string add_signature(std::string_view raw, const dkim_signed& signature) {
  auto m = message::message::parse(raw);
  m.prepend(dkim_signature_field, signature.value);
  return m.serialize();
}

}  // namespace sim::auth
