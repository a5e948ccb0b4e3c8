// sim/net/network.cpp - hosts, listeners, connect and faults in virtual time.
#include "sim/net/network.hpp"

#include <algorithm>

#include "sim/net/memory_stream.hpp"

namespace sim::net {

network::network(clock& clk, trace& tr) : clock_(clk), trace_(tr) {}

network::~network() {
  for (auto* s : live_) s->detach_network();
}

void network::add_host(const std::string& name, const std::string& ip) {
  hosts_[name].ip = ip;
  by_ip_[ip] = name;
}

bool network::has_host(std::string_view name) const { return hosts_.find(name) != hosts_.end(); }

void network::mark_outside(const std::string& name) { hosts_[name].outside = true; }

bool network::is_outside(std::string_view name) const {
  auto it = hosts_.find(name);
  return it != hosts_.end() && it->second.outside;
}

std::optional<std::string> network::host_by_ip(std::string_view ip) const {
  auto it = by_ip_.find(ip);
  if (it == by_ip_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> network::ip_of(std::string_view host) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return std::nullopt;
  return it->second.ip;
}

void network::listen(const std::string& host, std::uint16_t port, accept_handler on_accept) {
  hosts_[host].listeners[port] = std::move(on_accept);
}

void network::unlisten(const std::string& host, std::uint16_t port) {
  auto it = hosts_.find(host);
  if (it != hosts_.end()) it->second.listeners.erase(port);
}

const fault* network::find_fault(const host_state& h, std::uint16_t port, fault::kind k) const {
  for (const auto& f : h.faults)
    if (f.what == k && (!f.port || *f.port == port)) return &f;
  return nullptr;
}

duration network::delay_for(const std::string& from_host, std::uint16_t server_port) const {
  duration d = latency_;
  if (fault_count_ == 0) return d;  // every write asks: no lookup while no host has a fault
  auto it = hosts_.find(from_host);
  if (it != hosts_.end())
    if (const fault* f = find_fault(it->second, server_port, fault::kind::slow)) d += f->delay;
  return d;
}

void network::forget(memory_stream* s) { std::erase(live_, s); }

void network::add_fault(const std::string& host, fault f) {
  hosts_[host].faults.push_back(f);
  ++fault_count_;
}

void network::clear_faults(const std::string& host) {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return;
  fault_count_ -= it->second.faults.size();
  it->second.faults.clear();
}

bool network::refuses(const std::string& host, std::uint16_t port) const {
  auto it = hosts_.find(host);
  return it != hosts_.end() && find_fault(it->second, port, fault::kind::refuse) != nullptr;
}

std::optional<tls_problem> network::tls_fault(const std::string& host, std::uint16_t port) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return std::nullopt;
  const fault* f = find_fault(it->second, port, fault::kind::tls);
  return f ? std::optional<tls_problem>(f->problem) : std::nullopt;
}

void network::crash(const std::string& host) {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return;
  it->second.down = true;
  it->second.listeners.clear();
  // Copy first: resetting a stream can destroy it (and forget() it).
  std::vector<memory_stream*> victims;
  for (auto* s : live_)
    if (s->local().host == host) victims.push_back(s);
  for (auto* s : victims)
    if (std::find(live_.begin(), live_.end(), s) != live_.end()) s->host_died();
}

void network::restart(const std::string& host) {
  auto it = hosts_.find(host);
  if (it != hosts_.end()) it->second.down = false;
}

bool network::is_down(std::string_view host) const {
  auto it = hosts_.find(host);
  return it != hosts_.end() && it->second.down;
}

std::shared_ptr<stream> network::open_pipe(const std::string& from_host, const std::string& to_host,
                                           const std::string& ip, std::uint16_t port, bool reset_at_once) {
  std::string session = trace_.next_session_id();
  static constexpr std::uint16_t first_ephemeral = 49152;
  auto from_it = hosts_.find(from_host);
  endpoint client{from_host, from_it != hosts_.end() ? from_it->second.ip : "", first_ephemeral};
  client.port = static_cast<std::uint16_t>(first_ephemeral + (std::stoul(session.substr(1)) % 16384));
  endpoint server{to_host, ip, port};
  auto [c, s] = memory_stream::make_pair(*this, session, client, server);
  live_.push_back(c.get());
  live_.push_back(s.get());
  trace_.emit(from_host, "net", "net.connect",
              {{"session", session}, {"peer", to_host}, {"ip", ip}, {"port", port}});
  if (reset_at_once) {
    // A reset fault: the connection is accepted, then dropped before any
    // program sees it.
    s->reset();
    return c;
  }
  auto& handler = hosts_[to_host].listeners[port];
  connection_info info{session, client, server};
  handler(s, info);
  return c;
}

asio::awaitable<connect_result> network::connect(std::string from_host, std::string ip, std::uint16_t port,
                                                 duration timeout) {
  auto report = [&](std::string_view name, const std::string& peer) {
    trace_.emit(from_host, "net", name, {{"peer", peer}, {"ip", ip}, {"port", port}});
  };
  auto target = host_by_ip(ip);
  host_state* h = target ? &hosts_[*target] : nullptr;
  std::string peer = target ? *target : ip;
  if (h && h->outside && outside_) co_return co_await outside_(from_host, peer, ip, port, timeout);
  // No such machine, a machine that is down, or a timeout fault: SYNs go
  // unanswered until the client gives up.
  if (!h || h->down || find_fault(*h, port, fault::kind::timeout)) {
    co_await clock_.sleep_for(timeout);
    report("net.connect.timeout", peer);
    co_return connect_result{nullptr, connect_error::timeout};
  }
  co_await clock_.sleep_for(latency_ * 2);  // SYN and SYN-ACK
  // Re-check: the host may have crashed or changed while we waited.
  h = &hosts_[*target];
  if (h->down) {
    co_await clock_.sleep_for(timeout - std::min(timeout, latency_ * 2));
    report("net.connect.timeout", peer);
    co_return connect_result{nullptr, connect_error::timeout};
  }
  if (find_fault(*h, port, fault::kind::refuse) || !h->listeners.count(port)) {
    report("net.connect.refused", peer);
    co_return connect_result{nullptr, connect_error::refused};
  }
  bool drop = find_fault(*h, port, fault::kind::reset) != nullptr;
  auto conn = open_pipe(from_host, *target, ip, port, drop);
  co_return connect_result{conn, connect_error::none};
}

}  // namespace sim::net
