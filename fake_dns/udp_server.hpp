// fake_dns/udp_server.hpp - the fake DNS on a real loopback UDP socket.
//
// For `mailsim serve`: real programs (dig, an MTA, Python) ask it over
// UDP; it answers from the same zone store and fault table as the
// simulation's resolver.  Only the socket lives here; wire::respond() is
// the server.
#pragma once

#include <cstdint>
#include <memory>

#include "fake_dns/fault_table.hpp"
#include "fake_dns/zone_store.hpp"
#include "sim/core/asio.hpp"

namespace dns {

class udp_server {
 public:
  // Binds at once (port 0 = any free port).  Throws std::invalid_argument
  // for an address that is not loopback, boost::system::system_error when
  // the bind fails.  `zones` and `faults` (may be null) must outlive the
  // server while it runs.
  udp_server(asio::any_io_executor executor, const zone_store& zones, const fault_table* faults,
             const asio::ip::udp::endpoint& where);
  ~udp_server();
  udp_server(const udp_server&) = delete;
  udp_server& operator=(const udp_server&) = delete;

  asio::ip::udp::endpoint local_endpoint() const { return bound_; }
  std::uint16_t port() const { return bound_.port(); }

  // Starts answering on the executor; stop() closes the socket, and the
  // receive loop ends without touching the zones again.
  void start();
  void stop();
  // Datagrams answered so far (FORMERR included; dropped ones not).
  std::uint64_t answered() const;

  struct state;

 private:
  std::shared_ptr<state> state_;
  asio::ip::udp::endpoint bound_;
};

}  // namespace dns
