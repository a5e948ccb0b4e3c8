// sim/auth/auth.hpp - mail authentication: DKIM signing and verification, DMARC, Authentication-Results.
//
// What an MTA calls, one file per role (as OpenDKIM and OpenDMARC are
// milters beside the MTA):
//   dkim_signer.cpp    outbound: sign a message for a configured signer (signing milter)
//   keygen.cpp         the signer's key derived from the scenario seed, or read from PEM
//   dkim_verify.cpp    inbound: every DKIM-Signature, keys looked up over dns::resolver
//   dmarc_eval.cpp     inbound: the _dmarc record (with the organizational-domain
//                      fallback), alignment, p/sp/pct, the disposition
//   auth_results*.cpp  the Authentication-Results field the receiver adds, and reading one
// Below them, sans-I/O: tag-lists, DKIM-Signature and key records,
// canonicalization, the signer's and verifier's steps, DMARC records and
// decisions (mailsim_auth_core); SHA-256, RSA and Ed25519 behind crypto.hpp
// (mailsim_auth_crypto, the only code that sees OpenSSL).
//
// An MTA's use, in order:
//   sending:   auto key = signer_key(config, seed, error) (the PEM, or derived from the
//              seed); publish key.dns_record() at
//              key_query_name(selector, domain); then per message
//              add_signature(raw, sign_message(raw, make_sign_request(config, now), key)).
//   receiving: co_await verify_dkim(resolver, {host, raw, now}) -> one result per signature;
//              co_await evaluate_dmarc(resolver, {host, from_fields(raw), spf, dkim, pct_draw});
//              prepend format_authentication_results({host, "", {spf_ar_result(...),
//              dkim_ar_result(...)..., dmarc_ar_result(...)}}) as Authentication-Results.
#pragma once

#include "sim/auth/auth_results.hpp"
#include "sim/auth/dkim_signer.hpp"
#include "sim/auth/dkim_verify.hpp"
#include "sim/auth/dmarc_eval.hpp"
#include "sim/auth/keygen.hpp"
#include "sim/auth/signer_config.hpp"
