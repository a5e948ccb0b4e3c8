// sim/cli/world_dns.cpp - datagrams and TCP queries to respond(), each traced.
#include "sim/cli/world_dns.hpp"

#include <array>

#include "fake_dns/wire.hpp"

namespace sim::cli {

struct world_dns::state {
  state(asio::io_context& ctx, scenario::world& w, sim::trace& tr, std::string a)
      : udp(ctx), tcp(ctx), world(w), trace(tr), asker(std::move(a)) {}
  asio::ip::udp::socket udp;
  asio::ip::tcp::acceptor tcp;
  scenario::world& world;
  sim::trace& trace;
  std::string asker;
  bool stopped = false;
  std::vector<std::weak_ptr<asio::ip::tcp::socket>> open;
};

namespace {

// The external host at this address, else the default asker.
std::string asker_for(const world_dns::state& s, const asio::ip::address& from) {
  auto& net = s.world.network();
  if (auto h = net.host_by_ip(from.to_string()); h && net.is_outside(*h)) return *h;
  return s.asker;
}

// One query answered, with dns.query and dns.answer events as the
// simulation's resolver reports them; a query that is not readable is
// answered (FORMERR) or dropped by respond() without events.
std::optional<std::string> answer(world_dns::state& s, const std::string& asker, std::string_view packet, bool tcp) {
  std::optional<dns::wire::message> query;
  try {
    query = dns::wire::decode(packet);
  } catch (const dns::wire::wire_error&) {
  }
  bool traced = query && !query->head.qr && query->questions.size() == 1;
  std::string name, type;
  if (traced) {
    const auto& q = query->questions.front();
    name = q.name.empty() ? "." : q.name;
    try {
      name = dns::canonical_name(name);
    } catch (const dns::parse_error&) {  // traced as asked
    }
    type = dns::type_text(q.type);
    s.trace.emit(asker, "dns", "dns.query", {{"name", name}, {"type", type}});
  }
  auto reply = dns::wire::respond(s.world.zones(), packet, &s.world.resolver().faults(), tcp);
  if (!traced) return reply;
  std::string code = "timeout";
  std::vector<std::string> records;
  if (reply) {
    auto m = dns::wire::decode(*reply);
    code = std::string(dns::rcode_name(static_cast<dns::rcode>(m.head.rcode)));
    for (const auto& r : m.answers) records.push_back(r.to_string());
  }
  s.trace.emit(asker, "dns", "dns.answer", {{"name", name}, {"type", type}, {"rcode", code}, {"records", records}});
  return reply;
}

asio::awaitable<void> serve_udp(std::shared_ptr<world_dns::state> s) {
  std::array<char, 65536> buffer;
  auto token = asio::as_tuple(asio::use_awaitable);
  while (!s->stopped) {
    asio::ip::udp::endpoint peer;
    auto [error, size] = co_await s->udp.async_receive_from(asio::buffer(buffer), peer, token);
    if (s->stopped) co_return;
    if (error) continue;
    auto reply = answer(*s, asker_for(*s, peer.address()), std::string_view(buffer.data(), size), false);
    if (reply) co_await s->udp.async_send_to(asio::buffer(*reply), peer, token);
  }
}

// RFC 1035 4.2.2: each message after a two-octet length; several queries
// may share a connection (RFC 7766 6.2.1).
asio::awaitable<void> serve_tcp_client(std::shared_ptr<world_dns::state> s, std::shared_ptr<asio::ip::tcp::socket> c) {
  auto token = asio::as_tuple(asio::use_awaitable);
  error_code ignored;
  auto asker = asker_for(*s, c->remote_endpoint(ignored).address());
  std::string message;
  while (!s->stopped) {
    std::array<unsigned char, 2> length;
    auto [e1, n1] = co_await asio::async_read(*c, asio::buffer(length), token);
    if (e1 || s->stopped) break;
    message.resize(static_cast<std::size_t>(length[0] << 8 | length[1]));
    auto [e2, n2] = co_await asio::async_read(*c, asio::buffer(message), token);
    if (e2 || s->stopped) break;
    auto reply = answer(*s, asker, message, true);
    if (!reply) continue;
    std::string framed{static_cast<char>(reply->size() >> 8), static_cast<char>(reply->size() & 0xff)};
    framed += *reply;
    auto [e3, n3] = co_await asio::async_write(*c, asio::buffer(framed), token);
    if (e3) break;
  }
  c->close(ignored);
}

asio::awaitable<void> serve_tcp(std::shared_ptr<world_dns::state> s) {
  while (!s->stopped) {
    auto [error, socket] = co_await s->tcp.async_accept(asio::as_tuple(asio::use_awaitable));
    if (s->stopped) co_return;
    if (error) continue;
    auto c = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
    std::erase_if(s->open, [](const auto& w) { return w.expired(); });
    s->open.push_back(c);
    asio::co_spawn(s->tcp.get_executor(), serve_tcp_client(s, c), asio::detached);
  }
}

}  // namespace

world_dns::world_dns(asio::io_context& ctx, scenario::world& w, sim::trace& tr, std::string asker)
    : state_(std::make_shared<state>(ctx, w, tr, std::move(asker))) {}

world_dns::~world_dns() { stop(); }

void world_dns::start(const asio::ip::address& address) {
  asio::ip::udp::endpoint u(address, 53);
  state_->udp.open(u.protocol());
  state_->udp.bind(u);
  asio::ip::tcp::endpoint t(address, 53);
  state_->tcp.open(t.protocol());
  state_->tcp.set_option(asio::socket_base::reuse_address(true));
  state_->tcp.bind(t);
  state_->tcp.listen();
  asio::co_spawn(state_->udp.get_executor(), serve_udp(state_), asio::detached);
  asio::co_spawn(state_->tcp.get_executor(), serve_tcp(state_), asio::detached);
}

void world_dns::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  error_code ignored;
  state_->udp.close(ignored);
  state_->tcp.close(ignored);
  for (auto& w : state_->open)
    if (auto c = w.lock()) c->close(ignored);
}

}  // namespace sim::cli
