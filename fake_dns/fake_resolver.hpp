// fake_dns/fake_resolver.hpp - the simulated resolver: zones, latency, faults, trace.
//
// Answers every question from a zone_store after a small latency on the
// sim::clock (virtual in a scenario, real in live mode), unless a fault is
// set for the (name, type): SERVFAIL and NXDOMAIN come back after the same
// latency, a timeout only after the resolver's timeout.  Each question is
// traced as dns.query then dns.answer (trace-format.md).
#pragma once

#include <string>

#include "fake_dns/fault_table.hpp"
#include "fake_dns/resolver.hpp"
#include "fake_dns/zone_store.hpp"
#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"

namespace dns {

struct resolver_options {
  sim::duration latency{1};        // time from question to answer
  sim::duration timeout{5'000};    // how long a query waits before giving up
};

class fake_resolver final : public resolver {
 public:
  fake_resolver(sim::clock& clock, sim::trace& trace, zone_store& zones, resolver_options options = {});

  // Never throws for a DNS failure; a cancelled wait (the caller's own
  // timeout) ends it with operation_aborted and no dns.answer event.
  asio::awaitable<answer> query(std::string asker, std::string name, rr_type type) override;

  zone_store& zones() { return zones_; }
  // Faults may be set and cleared at any time; they apply to questions
  // asked afterwards.  Share it with the UDP server to fail alike there.
  fault_table& faults() { return faults_; }
  const resolver_options& options() const { return options_; }
  void set_options(resolver_options options) { options_ = options; }

 private:
  void emit_answer(const std::string& host, const std::string& name, rr_type type, const answer& a);

  sim::clock& clock_;
  sim::trace& trace_;
  zone_store& zones_;
  fault_table faults_;
  resolver_options options_;
};

// The A records, then the AAAA records, of a name (two questions).  NOERROR
// when either has addresses; otherwise the first failure, a temporary one
// (SERVFAIL, timeout) before NXDOMAIN, as the retry decision needs.
asio::awaitable<answer> lookup_addresses(resolver& r, std::string asker, std::string name);

}  // namespace dns
