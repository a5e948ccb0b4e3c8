// fake_dns/caching_resolver.cpp - answers kept for their TTL, negative ones per RFC 2308.
#include "fake_dns/caching_resolver.hpp"

#include <algorithm>
#include <vector>

namespace dns {
namespace {

// The name as a key: canonical when valid, else as asked (never cached then).
std::optional<std::string> canonical(const std::string& name) {
  try {
    return canonical_name(name);
  } catch (const parse_error&) {
    return std::nullopt;
  }
}

bool has_type(const answer& a, rr_type type) {
  return std::any_of(a.records.begin(), a.records.end(),
                     [&](const record& r) { return type == rr_type::ANY || r.type == type; });
}

// Past this many entries, expired ones are swept on the next store.
constexpr std::size_t sweep_above = 4096;

}  // namespace

std::optional<std::uint32_t> cache_ttl(const answer& a, rr_type type) {
  if (a.code != rcode::noerror && a.code != rcode::nxdomain) return std::nullopt;
  std::optional<std::uint32_t> ttl;
  auto lower = [&](std::uint32_t t) { ttl = ttl ? std::min(*ttl, t) : t; };
  for (const auto& r : a.records) lower(r.ttl);  // RFC 2181 5.2: an RRset's TTLs agree; a chain takes the least
  if (a.code == rcode::nxdomain || !has_type(a, type))
    lower(a.soa ? std::min(a.soa->ttl, a.soa->soa.minimum) : default_negative_ttl);  // RFC 2308 section 5
  if (!ttl || *ttl == 0) return std::nullopt;
  return ttl;
}

caching_resolver::caching_resolver(resolver& upstream, sim::clock& clock, sim::trace& trace)
    : upstream_(upstream), clock_(clock), trace_(trace) {}

asio::awaitable<answer> caching_resolver::query(std::string asker, std::string name, rr_type type) {
  auto canon = canonical(name);
  if (canon) {
    key k{*canon, type};
    if (auto it = cache_.find(k); it != cache_.end()) {
      if (it->second.expires > clock_.now()) {
        emit_hit(asker, k, it->second);
        co_return it->second.kept;
      }
      cache_.erase(it);
    }
  }
  answer a = co_await upstream_.query(asker, name, type);
  if (canon) store({*canon, type}, a, type);
  co_return a;
}

void caching_resolver::store(const key& k, const answer& a, rr_type type) {
  auto ttl = cache_ttl(a, type);
  if (!ttl) return;
  sim::time_point now = clock_.now();
  if (cache_.size() > sweep_above) std::erase_if(cache_, [&](const auto& item) { return item.second.expires <= now; });
  cache_.insert_or_assign(k, entry{a, now + std::chrono::seconds(*ttl)});
}

// RFC 1035 section 7.4: what a cache hands out carries the time it has left.
// Formatted only when a sink listens; numbered either way.
void caching_resolver::emit_hit(const std::string& asker, const key& k, const entry& e) const {
  if (!trace_.has_sinks()) {
    trace_.emit(asker.empty() ? "dns" : asker, "dns", "dns.cache");
    return;
  }
  auto left = std::chrono::duration_cast<std::chrono::seconds>(e.expires - clock_.now()).count();
  std::vector<std::string> records;
  records.reserve(e.kept.records.size());
  for (record r : e.kept.records) {
    r.ttl = static_cast<std::uint32_t>(std::min<std::int64_t>(r.ttl, left));
    records.push_back(r.to_string());
  }
  trace_.emit(asker.empty() ? "dns" : asker, "dns", "dns.cache",
              {{"name", k.first}, {"type", type_text(k.second)}, {"rcode", rcode_name(e.kept.code)},
               {"records", records}, {"expires_in", left}});
}

}  // namespace dns
