// sim/net/tls_trace.hpp - the `tls.handshake` event, one form for every
// server that speaks TLS (SMTP STARTTLS, POP3 STLS, IMAP STARTTLS and the
// implicit-TLS ports): the client's view is its own (`tls.fail`).
#pragma once

#include <string_view>

#include "sim/core/trace.hpp"
#include "sim/net/tls.hpp"

namespace sim::net {

inline void trace_handshake(sim::trace& tr, std::string_view host, std::string_view agent, std::string_view session,
                            std::string_view peer, const tls_info& agreed) {
  tr.emit(host, agent, "tls.handshake",
          {{"session", session}, {"peer", peer}, {"protocol", agreed.protocol}, {"cipher", agreed.cipher},
           {"bits", agreed.bits}});
}

}  // namespace sim::net
