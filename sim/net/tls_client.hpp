// sim/net/tls_client.hpp - the hook a protocol client calls to run its side
// of a TLS handshake (SMTP STARTTLS, POP3 STLS, IMAP STARTTLS).
//
// The simulation answers with simulated_client_tls() (sim/net/tls.hpp); the
// stream is passed by reference so that a real handshake could replace it.
#pragma once

#include <functional>
#include <memory>

#include "sim/core/asio.hpp"
#include "sim/net/stream.hpp"
#include "sim/net/tls.hpp"

namespace sim::net {

using client_tls_handshake = std::function<asio::awaitable<tls_outcome>(std::shared_ptr<stream>&)>;

}  // namespace sim::net
