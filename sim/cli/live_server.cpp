// sim/cli/live_server.cpp - real listeners for the simulated hosts.
#include "sim/cli/live_server.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/cli/args.hpp"
#include "sim/mta/config.hpp"
#include "sim/smtp/session_trace.hpp"

namespace sim::cli {

namespace {

// "127.0.0.1:2500", "[::1]:2500".
std::string address_text(const asio::ip::address& a, std::uint16_t port) {
  if (a.is_v6()) return fmt::format("[{}]:{}", a.to_string(), port);
  return fmt::format("{}:{}", a.to_string(), port);
}

}  // namespace

// The first range (smtp, submission, pop3: base + 3i ...) stays as it was;
// services added later take a second range from base + 100, four ports a
// host: imap, smtps, imaps, pop3s (the last three with --tls-dir).
unsigned live_server::port_of(const std::string& service, unsigned index) const {
  if (service == "imap") return base_ + 100u + 4u * index;
  if (service == "smtps") return base_ + 100u + 4u * index + 1u;
  if (service == "imaps") return base_ + 100u + 4u * index + 2u;
  if (service == "pop3s") return base_ + 100u + 4u * index + 3u;
  unsigned offset = service == "smtp" ? 0 : service == "submission" ? 1 : 2;
  return base_ + 3u * index + offset;
}

struct live_server::listener {
  std::string host;
  std::string service;
  std::string sim_ip;
  std::uint16_t sim_port = 0;
  asio::ip::tcp::acceptor acceptor;
  listener(asio::io_context& ctx, std::string h, std::string s) : host(std::move(h)), service(std::move(s)), acceptor(ctx) {}
};

live_server::live_server(asio::io_context& ctx, sim::clock& clk, scenario::world& w, sim::trace& tr,
                         const asio::ip::address& listen, std::uint16_t port_base)
    : ctx_(ctx), clock_(clk), world_(w), trace_(tr), listen_(listen), base_(port_base) {}

live_server::live_server(asio::io_context& ctx, sim::clock& clk, scenario::world& w, sim::trace& tr, own_addresses)
    : ctx_(ctx), clock_(clk), world_(w), trace_(tr), base_(0), own_addresses_(true) {}

std::vector<listener_line> live_server::start() {
  std::vector<listener_line> lines;
  std::vector<std::string> hosts;
  for (const auto& s : world_.services())
    if (std::find(hosts.begin(), hosts.end(), s.host) == hosts.end()) hosts.push_back(s.host);
  std::sort(hosts.begin(), hosts.end());
  for (const auto& s : world_.services()) {
    auto index = static_cast<std::uint16_t>(std::find(hosts.begin(), hosts.end(), s.host) - hosts.begin());
    unsigned port = port_of(s.service, index);
    auto l = std::make_shared<listener>(ctx_, s.host, s.service);
    l->sim_ip = world_.network().ip_of(s.host).value_or("");
    l->sim_port = s.port;
    if (port > 65535) throw usage_error("--port-base " + std::to_string(base_) + " leaves no port for " + s.host);
    asio::ip::tcp::endpoint where(listen_, static_cast<std::uint16_t>(port));
    if (own_addresses_) where = asio::ip::tcp::endpoint(asio::ip::make_address(l->sim_ip), s.port);
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
    lines.push_back({l->host, l->service, address_text(ep.address(), ep.port())});
    asio::co_spawn(ctx_, accept_loop(l), asio::detached);
  }
  if (own_addresses_) return lines;
  dns_ = std::make_unique<dns::udp_server>(ctx_.get_executor(), world_.zones(), &world_.resolver().faults(),
                                           asio::ip::udp::endpoint(listen_, static_cast<std::uint16_t>(base_ + 99)));
  dns_->start();
  lines.push_back({"-", "dns", address_text(listen_, dns_->port())});
  return lines;
}

asio::awaitable<void> live_server::accept_loop(std::shared_ptr<listener> l) {
  while (l->acceptor.is_open()) {
    auto [ec, socket] = co_await l->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !l->acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors or a connection that died in the backlog: the
      // listener must outlive it, so wait a moment and accept again.
      co_await clock_.sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    admit(*l, std::move(socket));
  }
}

// The host sees the connection as coming from the world's anonymous client
// machine; the real peer address is kept in the event's `from` field.
void live_server::admit(const listener& l, asio::ip::tcp::socket socket) {
  error_code ignored;
  auto peer = socket.remote_endpoint(ignored);
  // Replies go out as soon as they are written (one write per batch of
  // replies): Nagle's delay would hold a reply back for the client's ACK.
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  std::string session = trace_.next_session_id();
  net::endpoint client{world_.anonymous_host(), world_.anonymous_ip(), peer.port()};
  if (auto h = world_.network().host_by_ip(peer.address().to_string()); own_addresses_ && h && world_.network().is_outside(*h))
    client = {*h, peer.address().to_string(), peer.port()};
  net::endpoint server{l.host, l.sim_ip, l.sim_port};
  // `mailsim world`: a refuse fault also holds against real programs.  The
  // connection is accepted by the kernel, so it is reset at once (RST)
  // before the greeting: the client tries its next MX as after a refusal.
  if (own_addresses_ && world_.network().refuses(l.host, l.sim_port)) {
    trace_.emit(client.host, "net", "net.connect.refused", {{"peer", l.host}, {"ip", l.sim_ip}, {"port", l.sim_port}});
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
    return;
  }
  trace_.emit(client.host, "net", "net.connect",
              {{"session", session}, {"peer", l.host}, {"ip", l.sim_ip}, {"port", l.sim_port},
               {"from", address_text(peer.address(), peer.port())}});
  auto stream = std::make_shared<net::tcp_stream>(std::move(socket), session, server, client, &trace_);
  std::erase_if(open_, [](const auto& w) { return w.expired(); });
  open_.push_back(stream);
  world_.accept_outside(l.host, l.service, stream, net::connection_info{session, client, server});
}

void live_server::stop() {
  for (auto& l : listeners_) {
    error_code ignored;
    l->acceptor.close(ignored);
  }
  if (dns_) dns_->stop();
  for (auto& w : open_)
    if (auto s = w.lock(); s && s->is_open()) say_goodbye(std::move(s));
  open_.clear();
}

// RFC 5321 section 3.8: a server that must shut down answers 421 and
// closes; a POP3 server (RFC 1939 has no such reply) says -ERR, an IMAP
// server * BYE.
void live_server::say_goodbye(std::shared_ptr<net::tcp_stream> s) {
  const auto& host = s->local().host;
  std::string text;
  if (s->local().port == mta::pop3_port) {
    text = "-ERR " + host + " is shutting down";
    trace_.emit(host, "pop3", "pop3.reply", {{"session", s->session()}, {"peer", s->remote().host}, {"line", text}});
  } else if (s->local().port == mta::imap_port) {
    // RFC 9051 §7.1.5: BYE, then the server closes.
    text = "* BYE " + host + " is shutting down";
    trace_.emit(host, "imap", "imap.response", {{"session", s->session()}, {"peer", s->remote().host}, {"line", text}});
  } else {
    smtp::reply goodbye(421, "4.3.2", host + " Service shutting down, closing transmission channel");
    smtp::trace_reply(trace_, {host, "mta", s->session(), s->remote().host}, goodbye);
    text = smtp::format_reply(goodbye);
  }
  if (!text.ends_with("\r\n")) text += "\r\n";
  asio::co_spawn(ctx_, [](std::shared_ptr<net::tcp_stream> conn, std::string bytes) -> asio::awaitable<void> {
    co_await conn->write_all(bytes);
    conn->close();
  }(std::move(s), std::move(text)), asio::detached);
}

}  // namespace sim::cli
