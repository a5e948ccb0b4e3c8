// sim/policy/dnsbl.cpp - DNSBL queries and decisions (RFC 5782).
#include "sim/policy/dnsbl.hpp"

#include <fmt/format.h>

namespace sim::policy {
namespace {

std::string zone_name(std::string_view zone) {
  std::string name(zone);
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

std::string txt_reason(const dns::answer& answer) {
  std::string reason;
  for (const auto& record : answer.records) {
    if (record.type != dns::rr_type::TXT) continue;
    std::string joined;
    for (const auto& piece : record.strings) joined += piece;
    if (!reason.empty()) reason += "; ";
    reason += joined;
  }
  return reason;
}

}  // namespace

std::string dnsbl_query_name(const ip_address& client, std::string_view zone) {
  return reversed_under(unmap_ipv4(client), zone_name(zone));
}

dnsbl_answer classify_dnsbl_address(const ip_address& address) {
  if (is_v6(address) || address.bytes[0] != 127) return dnsbl_answer::not_listed;  // RFC 5782 2.3: 127/8 only
  if (address.bytes[1] == 255 && address.bytes[2] == 255 && address.bytes[3] >= 252) return dnsbl_answer::error_code;
  return dnsbl_answer::listed;
}

std::string dnsbl_reply_text(const ip_address& client, std::string_view zone, std::string_view reason) {
  auto text = fmt::format("Service unavailable; client [{}] blocked using {}", format_ip(unmap_ipv4(client)),
                          zone_name(zone));
  if (!reason.empty()) text += fmt::format("; {}", reason);
  return text;
}

asio::awaitable<check_result> check_dnsbl(dns::resolver& resolver, std::string asker, ip_address client,
                                          std::vector<std::string> zones, dnsbl_listing* listed) {
  std::vector<std::string> notes;
  for (const auto& zone : zones) {
    auto name = dnsbl_query_name(client, zone);
    auto answer = co_await resolver.query(asker, name, dns::rr_type::A);
    if (answer.code != dns::rcode::noerror && answer.code != dns::rcode::nxdomain) {
      notes.push_back(fmt::format("{}: no answer ({}), not blocking", zone_name(zone),
                                  answer.code == dns::rcode::timeout ? "timeout" : "error"));
      continue;
    }
    std::string listed_as;
    bool error_code = false;
    for (const auto& record : answer.records) {
      auto address = record.type == dns::rr_type::A ? parse_ipv4(record.data) : std::nullopt;
      if (!address) continue;
      auto kind = classify_dnsbl_address(*address);
      if (kind == dnsbl_answer::listed && listed_as.empty()) listed_as = record.data;
      error_code = error_code || kind == dnsbl_answer::error_code;
    }
    if (listed_as.empty()) {
      notes.push_back(fmt::format("{}: {}", zone_name(zone), error_code ? "error answer, not blocking" : "not listed"));
      continue;
    }
    auto reason = txt_reason(co_await resolver.query(asker, name, dns::rr_type::TXT));
    auto detail = fmt::format("{} listed by {} ({})", format_ip(unmap_ipv4(client)), zone_name(zone), listed_as);
    if (!reason.empty()) detail += fmt::format(": {}", reason);
    if (listed) *listed = {zone_name(zone), listed_as};
    co_return check_result{"dnsbl", "listed", detail, reply{554, "5.7.1", dnsbl_reply_text(client, zone, reason)}};
  }
  if (notes.empty()) notes.push_back("no zones");
  std::string detail;
  for (const auto& note : notes) detail += (detail.empty() ? "" : "; ") + note;
  co_return check_result{"dnsbl", "pass", detail, std::nullopt};
}

}  // namespace sim::policy
