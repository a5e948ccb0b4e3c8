// sim/cli/world_connect.cpp - bind to the host's address, connect with a deadline, wrap in a tcp_stream.
#include "sim/cli/world_connect.hpp"

#include "sim/core/timeout.hpp"
#include "sim/cli/world_observed_stream.hpp"
#include "sim/mta/config.hpp"
#include "sim/net/tcp_stream.hpp"

namespace sim::cli {
namespace {

asio::awaitable<net::connect_result> connect_out(sim::clock& clk, sim::trace& tr, net::network& net,
                                                 std::string from_host, std::string to_host, std::string ip,
                                                 std::uint16_t port, duration timeout) {
  auto report = [&](std::string_view name) {
    tr.emit(from_host, "net", name, {{"peer", to_host}, {"ip", ip}, {"port", port}});
  };
  auto target = asio::ip::make_address(ip);
  asio::ip::tcp::socket socket(co_await asio::this_coro::executor);
  socket.open(target.is_v6() ? asio::ip::tcp::v6() : asio::ip::tcp::v4());
  error_code ec;
  // From the host's own address when the namespace has it (every scenario
  // host's is on lo); else the kernel picks one.
  if (auto own = net.ip_of(from_host)) {
    error_code address_error;
    auto source = asio::ip::make_address(*own, address_error);
    if (!address_error && source.is_v6() == target.is_v6()) socket.bind(asio::ip::tcp::endpoint(source, 0), ec);
  }
  sim::deadline d(clk, timeout);
  auto [connect_error] = co_await socket.async_connect(asio::ip::tcp::endpoint(target, port),
                                                       d.bind(asio::as_tuple(asio::use_awaitable)));
  if (d.expired() || connect_error == asio::error::timed_out || connect_error == asio::error::host_unreachable ||
      connect_error == asio::error::network_unreachable) {
    report("net.connect.timeout");
    co_return net::connect_result{nullptr, net::connect_error::timeout};
  }
  if (connect_error) {
    report("net.connect.refused");
    co_return net::connect_result{nullptr, net::connect_error::refused};
  }
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  std::string session = tr.next_session_id();
  auto local = socket.local_endpoint(ec);
  net::endpoint client{from_host, local.address().to_string(), local.port()};
  net::endpoint server{to_host, ip, port};
  tr.emit(from_host, "net", "net.connect", {{"session", session}, {"peer", to_host}, {"ip", ip}, {"port", port}});
  std::shared_ptr<net::stream> stream = std::make_shared<net::tcp_stream>(std::move(socket), session, client, server, &tr);
  if (port == mta::smtp_port || port == mta::submission_port)
    stream = std::make_shared<observed_smtp_stream>(std::move(stream), tr);
  co_return net::connect_result{stream, net::connect_error::none};
}

}  // namespace

net::outside_connector real_tcp_connector(sim::clock& clk, sim::trace& tr, net::network& net) {
  return [&clk, &tr, &net](std::string from_host, std::string to_host, std::string ip, std::uint16_t port,
                           duration timeout) {
    return connect_out(clk, tr, net, std::move(from_host), std::move(to_host), std::move(ip), port, timeout);
  };
}

}  // namespace sim::cli
