// sim/scenario/dnsbl_operators.hpp - the DNSBLs that hosts of the world run.
//
// How a sending IP gets blacklisted: spam traps report the IP that
// delivered to them (`spamtrap.hit`) to every DNSBL of the world; a list
// whose `threshold` is reached lists the IP `delay` later, by adding
// `<reversed IP>.<zone> A 127.0.0.2` and a TXT reason to the fake DNS
// (RFC 5782 section 2.1), and delists it `delist_after` later.  Each change
// is a `dns.change` (narrated) and a `dnsbl.list` / `dnsbl.delist` event.
// Every receiver whose `policy.dnsbl` names the zone then refuses the IP
// through its ordinary DNSBL check.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fake_dns/zone_store.hpp"
#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"
#include "sim/scenario/model.hpp"

namespace sim::scenario {

class dnsbl_operators {
 public:
  dnsbl_operators(const scenario& s, sim::clock& clk, sim::trace& tr, dns::zone_store& zones);
  ~dnsbl_operators();
  dnsbl_operators(const dnsbl_operators&) = delete;
  dnsbl_operators& operator=(const dnsbl_operators&) = delete;

  // A trap accepted mail from `ip`.
  void report(const std::string& trap, const std::string& ip);

 private:
  struct ip_state {
    std::uint64_t hits = 0;   // since the last delisting
    bool pending = false;     // listing scheduled
    bool listed = false;
  };
  struct list {
    std::string host;
    dnsbl_operator spec;
    std::map<std::string, ip_state> ips;
  };
  void add_listing(list& l, const std::string& ip);
  void remove_listing(list& l, const std::string& ip);
  std::vector<dns_entry> records(const list& l, const std::string& ip) const;

  sim::clock& clock_;
  sim::trace& trace_;
  dns::zone_store& zones_;
  std::vector<list> lists_;
  std::vector<clock::timer_id> timers_;
};

}  // namespace sim::scenario
