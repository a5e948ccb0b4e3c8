// fake_dns/caching_resolver.hpp - one host's resolver cache (RFC 1035 7.4, RFC 2308).
//
// Sits in front of the shared resolver.  A NOERROR answer with records is
// kept for the smallest TTL among them; a negative answer (NXDOMAIN, or
// NODATA: no record of the asked type) for RFC 2308 section 5's negative
// TTL, the smaller of the SOA's TTL and its MINIMUM, when the answer came
// with the zone's SOA, else for default_negative_ttl.  SERVFAIL, timeouts
// and other failures are not kept (section 7 allows five minutes; mailsim
// keeps none).  A TTL of 0 is not kept.  An answer served from the cache
// asks no question: it is traced as `dns.cache` (name, type, rcode,
// records with their remaining TTL, expires_in in seconds) instead of
// dns.query / dns.answer.  Times come from the clock (virtual or real).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "fake_dns/resolver.hpp"
#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"

namespace dns {

// How long a negative answer without an SOA is kept: as if the zone's SOA
// said MINIMUM 300 (five minutes).
inline constexpr std::uint32_t default_negative_ttl = 300;

class caching_resolver final : public resolver {
 public:
  caching_resolver(resolver& upstream, sim::clock& clock, sim::trace& trace);

  asio::awaitable<answer> query(std::string asker, std::string name, rr_type type) override;

  std::size_t size() const { return cache_.size(); }
  void clear() { cache_.clear(); }

 private:
  struct entry {
    answer kept;
    sim::time_point expires;
  };
  using key = std::pair<std::string, rr_type>;

  void store(const key& k, const answer& a, rr_type type);
  void emit_hit(const std::string& asker, const key& k, const entry& e) const;

  resolver& upstream_;
  sim::clock& clock_;
  sim::trace& trace_;
  std::map<key, entry> cache_;
};

// The TTL an answer may be cached for (seconds), or nullopt when it is not kept.
std::optional<std::uint32_t> cache_ttl(const answer& a, rr_type type);

}  // namespace dns
