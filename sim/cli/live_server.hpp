// sim/cli/live_server.hpp - a scenario's world on real loopback sockets (`mailsim serve`).
//
// Every MTA host's services get real TCP listeners: host i (in name
// order) has smtp on base + 3i, submission on base + 3i + 1 and pop3 on
// base + 3i + 2, imap on base + 100 + 4i (each only where the host offers
// it); the fake DNS answers UDP on base + 99.  A connection from outside is seen by the host as
// coming from the world's anonymous client machine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fake_dns/udp_server.hpp"
#include "sim/core/clock.hpp"
#include "sim/net/tcp_stream.hpp"
#include "sim/scenario/world.hpp"

namespace sim::cli {

struct listener_line {
  std::string host;  // "-" for the DNS
  std::string service;
  std::string address;  // "127.0.0.1:2500"
};

class live_server {
 public:
  // `clk`: the world's real clock (pauses after a failed accept).
  live_server(asio::io_context& ctx, sim::clock& clk, scenario::world& w, sim::trace& tr,
              const asio::ip::address& listen, std::uint16_t port_base);
  // `mailsim world`: each service on its host's own address and real port
  // (25, 587, 110); a connection from an external host's address is that
  // host's; no DNS (the world command serves it on port 53 itself).
  struct own_addresses {};
  live_server(asio::io_context& ctx, sim::clock& clk, scenario::world& w, sim::trace& tr, own_addresses);
  // Binds everything and starts accepting.  Throws system_error when a port
  // is taken, usage_error when the port base leaves no room for every host.
  std::vector<listener_line> start();
  // Stops accepting; open sessions get a polite goodbye (421 / -ERR / * BYE) and are closed.
  void stop();

 private:
  struct listener;
  unsigned port_of(const std::string& service, unsigned index) const;
  asio::awaitable<void> accept_loop(std::shared_ptr<listener> l);
  void admit(const listener& l, asio::ip::tcp::socket socket);
  void say_goodbye(std::shared_ptr<net::tcp_stream> s);

  asio::io_context& ctx_;
  sim::clock& clock_;
  scenario::world& world_;
  sim::trace& trace_;
  asio::ip::address listen_;
  std::uint16_t base_;
  bool own_addresses_ = false;
  std::vector<std::shared_ptr<listener>> listeners_;
  std::unique_ptr<dns::udp_server> dns_;
  std::vector<std::weak_ptr<net::tcp_stream>> open_;
};

}  // namespace sim::cli
