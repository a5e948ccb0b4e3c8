// sim/scenario/dnsbl_operators.cpp - trap hits to listings to delistings.
#include "sim/scenario/dnsbl_operators.hpp"

#include <fmt/format.h>

#include "fake_dns/record.hpp"
#include "fake_dns/reverse.hpp"
#include "sim/policy/reply_template.hpp"

namespace sim::scenario {

dnsbl_operators::dnsbl_operators(const scenario& s, sim::clock& clk, sim::trace& tr, dns::zone_store& zones)
    : clock_(clk), trace_(tr), zones_(zones) {
  for (const auto& h : s.hosts)
    if (h.dnsbl_zone) lists_.push_back({h.name, *h.dnsbl_zone, {}});
}

dnsbl_operators::~dnsbl_operators() {
  for (auto id : timers_) clock_.cancel(id);
}

void dnsbl_operators::report(const std::string& trap, const std::string& ip) {
  for (std::size_t i = 0; i < lists_.size(); ++i) {
    list& l = lists_[i];
    ip_state& st = l.ips[ip];
    ++st.hits;
    if (st.pending || st.listed || st.hits < l.spec.threshold) continue;
    st.pending = true;
    time_point at = clock_.now() + l.spec.delay;
    trace_.emit(l.host, "sim", "dnsbl.report",
                {{"zone", l.spec.zone}, {"ip", ip}, {"hits", st.hits}, {"trap", trap}, {"list_at", millis(at)}});
    timers_.push_back(clock_.call_at(at, [this, i, ip] { add_listing(lists_[i], ip); }));
  }
}

std::vector<dns_entry> dnsbl_operators::records(const list& l, const std::string& ip) const {
  std::string name = dns::dnsbl_query_name(ip, l.spec.zone);
  std::string reason = policy::expand_text(l.spec.reason, {{"ip", ip}, {"zone", l.spec.zone}});
  std::vector<dns_entry> out;
  for (std::string text : {fmt::format("{} A 127.0.0.2", name), fmt::format("{} TXT \"{}\"", name, reason)})
    out.push_back({dns::parse_record(text), text});
  return out;
}

void dnsbl_operators::add_listing(list& l, const std::string& ip) {
  ip_state& st = l.ips[ip];
  st.pending = false;
  st.listed = true;
  std::vector<std::string_view> added;
  auto entries = records(l, ip);
  for (const auto& e : entries) {
    zones_.add(e.record);
    added.push_back(e.text);
  }
  trace_.emit("dns", "sim", "dns.change", {{"add", added}, {"remove", std::vector<std::string_view>{}}});
  time_point until = clock_.now() + l.spec.delist_after;
  trace_.emit(l.host, "sim", "dnsbl.list", {{"zone", l.spec.zone}, {"ip", ip}, {"hits", st.hits}, {"until", millis(until)}});
  std::size_t index = static_cast<std::size_t>(&l - lists_.data());
  timers_.push_back(clock_.call_at(until, [this, index, ip] { remove_listing(lists_[index], ip); }));
}

void dnsbl_operators::remove_listing(list& l, const std::string& ip) {
  std::vector<std::string_view> removed;
  auto entries = records(l, ip);
  for (const auto& e : entries) {
    zones_.remove(e.record);
    removed.push_back(e.text);
  }
  trace_.emit("dns", "sim", "dns.change", {{"add", std::vector<std::string_view>{}}, {"remove", removed}});
  trace_.emit(l.host, "sim", "dnsbl.delist", {{"zone", l.spec.zone}, {"ip", ip}});
  l.ips.erase(ip);
}

}  // namespace sim::scenario
