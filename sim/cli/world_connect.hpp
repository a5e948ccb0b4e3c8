// sim/cli/world_connect.hpp - simulated hosts reaching an external host over real TCP (`mailsim world`).
#pragma once

#include "sim/core/clock.hpp"
#include "sim/net/network.hpp"

namespace sim::cli {

// The network's outside connector for a world: a TCP connection from the
// simulated host's own address (so the program under test sees who
// connects) to ip:port, bounded by the connect timeout on `clk`.  Reports
// net.connect / net.connect.refused / net.connect.timeout on the
// connecting host as the simulated network does; the stream reports
// net.close / net.reset.
net::outside_connector real_tcp_connector(sim::clock& clk, sim::trace& tr, net::network& net);

}  // namespace sim::cli
