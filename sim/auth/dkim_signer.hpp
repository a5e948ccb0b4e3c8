// sim/auth/dkim_signer.hpp - signing a message with a key (RFC 6376 §5, RFC 8463).
//
// The steps of dkim_sign.hpp with the crypto of crypto.hpp: hash the
// canonical body, prepare the field, sign its digest, fold b=.  What a
// signing MTA calls (as a signing milter does at the outgoing MTA).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/auth/crypto.hpp"
#include "sim/auth/dkim_sign.hpp"

namespace sim::auth {

struct dkim_signed {
  std::string value;                        // the DKIM-Signature value, folded with CRLF SP
  std::vector<std::string> signed_headers;  // h=
  std::string body_hash;                    // bh= in base64
  std::string b_text;                       // b= in base64
};

// Signs `raw` (the message as it will be sent; line ends are read as CRLF)
// for `request`; the key's algorithm must be request.algorithm.
dkim_signed sign_message(std::string_view raw, const sign_request& request, const private_key& key);

// `raw` with "DKIM-Signature:" + value on top, in the message's own line ends.
std::string add_signature(std::string_view raw, const dkim_signed& signature);

}  // namespace sim::auth
