// sim/cli/world_dns.hpp - the fake DNS of `mailsim world` on UDP and TCP port 53, traced.
//
// Real programs in the namespace (the MTA under test) ask it through the
// resolv.conf the namespace mounts.  Each question and its answer become
// dns.query / dns.answer events as for a simulated host's resolver: on the
// external host whose address sent it, else on `asker` (the scenario's only
// external host; "dns" when it has several).  wire::respond() is the server.
#pragma once

#include <memory>
#include <string>

#include "sim/core/asio.hpp"
#include "sim/core/trace.hpp"
#include "sim/scenario/world.hpp"

namespace sim::cli {

class world_dns {
 public:
  world_dns(asio::io_context& ctx, scenario::world& w, sim::trace& tr, std::string asker);
  ~world_dns();
  world_dns(const world_dns&) = delete;
  world_dns& operator=(const world_dns&) = delete;

  // Binds UDP and TCP on address:53 and starts answering.  Throws
  // boost::system::system_error when a port is taken.
  void start(const asio::ip::address& address);
  void stop();

  struct state;

 private:
  std::shared_ptr<state> state_;
};

}  // namespace sim::cli
