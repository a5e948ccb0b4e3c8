// fake_dns/udp_server.cpp - receive a datagram, respond(), send the reply.
#include "fake_dns/udp_server.hpp"

#include <array>
#include <stdexcept>

#include <fmt/format.h>

#include "fake_dns/wire.hpp"

namespace dns {

struct udp_server::state {
  state(asio::any_io_executor executor, const zone_store& z, const fault_table* f)
      : socket(executor), zones(z), faults(f) {}
  asio::ip::udp::socket socket;
  const zone_store& zones;
  const fault_table* faults;
  bool stopped = false;
  std::uint64_t answered = 0;
};

namespace {

// The loop holds the state alive; once stopped it only returns.
asio::awaitable<void> serve(std::shared_ptr<udp_server::state> s) {
  std::array<char, 65536> buffer;
  auto token = asio::as_tuple(asio::use_awaitable);
  while (!s->stopped) {
    asio::ip::udp::endpoint peer;
    auto [error, size] = co_await s->socket.async_receive_from(asio::buffer(buffer), peer, token);
    if (s->stopped) co_return;
    if (error) continue;  // e.g. an ICMP error for an earlier reply: keep serving
    auto reply = wire::respond(s->zones, std::string_view(buffer.data(), size), s->faults);
    if (!reply) continue;
    auto [send_error, sent] = co_await s->socket.async_send_to(asio::buffer(*reply), peer, token);
    if (!send_error) ++s->answered;
  }
}

}  // namespace

udp_server::udp_server(asio::any_io_executor executor, const zone_store& zones, const fault_table* faults,
                       const asio::ip::udp::endpoint& where)
    : state_(std::make_shared<state>(executor, zones, faults)) {
  if (!where.address().is_loopback())
    throw std::invalid_argument(fmt::format("the DNS server listens on loopback only, not {}", where.address().to_string()));
  state_->socket.open(where.protocol());
  state_->socket.bind(where);
  bound_ = state_->socket.local_endpoint();
}

udp_server::~udp_server() { stop(); }

void udp_server::start() { asio::co_spawn(state_->socket.get_executor(), serve(state_), asio::detached); }

void udp_server::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  sim::error_code ignored;
  state_->socket.close(ignored);
}

std::uint64_t udp_server::answered() const { return state_->answered; }

}  // namespace dns
