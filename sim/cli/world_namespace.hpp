// sim/cli/world_namespace.hpp - the private network and mount namespace of `mailsim world`.
//
// The calling process moves into new network and mount namespaces
// (unshare(2)): loopback comes up, every scenario address is added to it,
// and a generated resolv.conf is bind-mounted over /etc/resolv.conf.
// COMMAND is started as PID 1 of a PID namespace of its own (world_child):
// when it dies, the kernel kills every process left in it (an MTA daemon
// included), and the
// network with its addresses goes when the last process leaves.  Nothing
// of this is visible outside, and nothing outside is changed.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace sim::cli {

// Cannot have namespaces (not root, no CAP_SYS_ADMIN, a kernel without
// them): `mailsim world` says so and exits 2.
class namespace_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The fake DNS of the namespace listens here; resolv.conf points at it.
inline constexpr const char* world_dns_address = "127.0.0.53";

// Addresses a world accepts for its hosts: the documentation ranges
// (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; RFC 3849:
// 2001:db8::/32) and loopback, so that nothing looks like traffic to a
// real network even inside the namespace.
bool is_world_address(const std::string& ip);

// Unshares, brings loopback up, adds `addresses` (IPv4 as /32, IPv6 as
// /128) and mounts the resolv.conf.  Throws namespace_error.
void enter_private_world(const std::vector<std::string>& addresses);

}  // namespace sim::cli
