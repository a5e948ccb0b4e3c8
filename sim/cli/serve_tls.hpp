// sim/cli/serve_tls.hpp - `mailsim serve --tls-dir DIR`: certificates and the live handshake.
#pragma once

#include <memory>
#include <string>

#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/tls_certs.hpp"
#include "sim/scenario/model.hpp"
#include "sim/scenario/world.hpp"

namespace sim::cli {

// The CA and one certificate for every MTA host of `s`, made or reused in
// `dir`.  Throws net::tls_error.
std::unique_ptr<net::tls_certificates> certificates_for(const scenario::scenario& s, const std::string& dir);

// The world's handshake for live STARTTLS / implicit TLS: the accepted TCP
// stream becomes a tls_stream with the host's context (SNI may choose
// another host's certificate).  A failure, or a stall longer than the
// host's `limits.tls_handshake_timeout`, is traced (`tls.fail` with
// `reason`) and ends that session only.
std::function<asio::awaitable<std::optional<net::tls_info>>(std::shared_ptr<net::stream>&, const std::string&)>
live_tls_accept(net::tls_certificates& certs, const scenario::scenario& s, sim::clock& clk, sim::trace& tr);

}  // namespace sim::cli
