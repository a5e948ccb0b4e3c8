// sim/http/listen_address.cpp - "127.0.0.1:8025", "[::1]:8025".
#include "sim/http/listen_address.hpp"

#include "fake_dns/address.hpp"

namespace sim::http {

result<listen_address> parse_listen_address(std::string_view text) {
  const std::string usage = "--http takes a loopback ADDRESS:PORT (127.0.0.0/8 or [::1]), not '" + std::string(text) + "'";
  std::string_view host, port;
  if (text.starts_with("[")) {
    auto close = text.find("]:");
    if (close == std::string_view::npos) return bad_request(usage);
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad_request(usage);
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
    return bad_request(usage);
  unsigned long number = std::stoul(std::string(port));
  if (number > 65535) return bad_request(usage);
  auto ip = text.starts_with("[") ? dns::parse_ipv6(host) : dns::parse_ipv4(host);
  if (!ip) return bad_request(usage);
  bool loopback = ip->kind == dns::ip_address::family::v4 ? ip->bytes[0] == 127 : dns::format_ip(*ip) == "::1";
  if (!loopback) return bad_request(usage);
  return listen_address{dns::format_ip(*ip), static_cast<std::uint16_t>(number)};
}

}  // namespace sim::http
