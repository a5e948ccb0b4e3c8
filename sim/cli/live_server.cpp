// sim/cli/live_server.cpp - real listeners for the simulated hosts.
#include "sim/cli/live_server.hpp"

#include <algorithm>

namespace sim::cli {

struct live_server::listener {
  std::string host;
  std::string service;
  std::string sim_ip;
  std::uint16_t sim_port = 0;
  asio::ip::tcp::acceptor acceptor;
  listener(asio::io_context& ctx, std::string h, std::string s) : host(std::move(h)), service(std::move(s)), acceptor(ctx) {}
};

live_server::live_server(asio::io_context& ctx, scenario::world& w, sim::trace& tr, const asio::ip::address& listen,
                         std::uint16_t port_base)
    : ctx_(ctx), world_(w), trace_(tr), listen_(listen), base_(port_base) {}

std::vector<listener_line> live_server::start() {
  std::vector<listener_line> lines;
  std::vector<std::string> hosts;
  for (const auto& s : world_.services())
    if (std::find(hosts.begin(), hosts.end(), s.host) == hosts.end()) hosts.push_back(s.host);
  std::sort(hosts.begin(), hosts.end());
  for (const auto& s : world_.services()) {
    auto index = static_cast<std::uint16_t>(std::find(hosts.begin(), hosts.end(), s.host) - hosts.begin());
    std::uint16_t offset = s.service == "smtp" ? 0 : s.service == "submission" ? 1 : 2;
    auto l = std::make_shared<listener>(ctx_, s.host, s.service);
    l->sim_ip = world_.network().ip_of(s.host).value_or("");
    l->sim_port = s.port;
    asio::ip::tcp::endpoint where(listen_, static_cast<std::uint16_t>(base_ + 3 * index + offset));
    l->acceptor.open(where.protocol());
    l->acceptor.set_option(asio::socket_base::reuse_address(true));
    l->acceptor.bind(where);
    l->acceptor.listen(asio::socket_base::max_listen_connections);
    listeners_.push_back(l);
  }
  std::sort(listeners_.begin(), listeners_.end(), [](const auto& a, const auto& b) {
    return a->acceptor.local_endpoint().port() < b->acceptor.local_endpoint().port();
  });
  for (const auto& l : listeners_) {
    auto ep = l->acceptor.local_endpoint();
    lines.push_back({l->host, l->service, ep.address().to_string() + ":" + std::to_string(ep.port())});
    asio::co_spawn(ctx_, accept_loop(l), asio::detached);
  }
  dns_ = std::make_unique<dns::udp_server>(ctx_.get_executor(), world_.zones(), &world_.resolver().faults(),
                                           asio::ip::udp::endpoint(listen_, static_cast<std::uint16_t>(base_ + 99)));
  dns_->start();
  lines.push_back({"-", "dns", listen_.to_string() + ":" + std::to_string(dns_->port())});
  return lines;
}

asio::awaitable<void> live_server::accept_loop(std::shared_ptr<listener> l) {
  for (;;) {
    auto [ec, socket] = co_await l->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    error_code ignored;
    auto peer = socket.remote_endpoint(ignored);
    std::string session = trace_.next_session_id();
    net::endpoint client{world_.anonymous_host(), world_.anonymous_ip(), peer.port()};
    net::endpoint server{l->host, l->sim_ip, l->sim_port};
    trace_.emit(client.host, "net", "net.connect",
                {{"session", session}, {"peer", l->host}, {"ip", l->sim_ip}, {"port", l->sim_port},
                 {"from", peer.address().to_string() + ":" + std::to_string(peer.port())}});
    auto stream = std::make_shared<net::tcp_stream>(std::move(socket), session, server, client, &trace_);
    std::erase_if(open_, [](const auto& w) { return w.expired(); });
    open_.push_back(stream);
    world_.accept_outside(l->host, l->service, stream, net::connection_info{session, client, server});
  }
}

void live_server::stop() {
  for (auto& l : listeners_) {
    error_code ignored;
    l->acceptor.close(ignored);
  }
  if (dns_) dns_->stop();
  for (auto& w : open_) {
    auto s = w.lock();
    if (!s || !s->is_open()) continue;
    bool pop3 = s->local().port == 110;
    // RFC 5321 section 3.8: a server shutting down says 421 and closes.
    std::string goodbye = pop3 ? "-ERR mailsim is shutting down\r\n"
                               : "421 4.3.2 " + s->local().host + " Service shutting down, closing channel\r\n";
    asio::co_spawn(ctx_, [](std::shared_ptr<net::tcp_stream> conn, std::string text) -> asio::awaitable<void> {
      co_await conn->write_all(text);
      conn->close();
    }(s, std::move(goodbye)), asio::detached);
  }
}

}  // namespace sim::cli
