// sim/cli/serve_tls.cpp - live TLS for `mailsim serve --tls-dir`.
#include "sim/cli/serve_tls.hpp"

#include "sim/net/tls_stream.hpp"

namespace sim::cli {

std::unique_ptr<net::tls_certificates> certificates_for(const scenario::scenario& s, const std::string& dir) {
  std::vector<std::string> hosts;
  for (const auto& h : s.hosts)
    if (h.is_mta()) hosts.push_back(h.name);
  return std::make_unique<net::tls_certificates>(dir, hosts);
}

std::function<asio::awaitable<std::optional<net::tls_info>>(std::shared_ptr<net::stream>&, const std::string&)>
live_tls_accept(net::tls_certificates& certs, const scenario::scenario& s, sim::clock& clk, sim::trace& tr) {
  return [&certs, &s, &clk, &tr](std::shared_ptr<net::stream>& conn,
                             const std::string& host) -> asio::awaitable<std::optional<net::tls_info>> {
    auto tcp = std::dynamic_pointer_cast<net::tcp_stream>(conn);
    if (!tcp) co_return std::nullopt;  // already TLS: a second handshake is never offered
    auto tls = std::make_shared<net::tls_stream>(tcp, certs.context_for(host));
    std::string why;
    const scenario::host* h = s.find_host(host);
    duration limit = h ? h->limits.tls_handshake_timeout : scenario::host_limits{}.tls_handshake_timeout;
    auto agreed = co_await tls->accept(clk, limit, why);
    if (!agreed) {
      tr.emit(host, "net", "tls.fail", {{"session", conn->session()}, {"peer", conn->remote().host}, {"reason", why}});
      co_return std::nullopt;
    }
    conn = std::move(tls);
    co_return agreed;
  };
}

}  // namespace sim::cli
