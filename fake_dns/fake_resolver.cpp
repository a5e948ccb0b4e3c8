// fake_dns/fake_resolver.cpp - answering in virtual time, with faults and trace.
#include "fake_dns/fake_resolver.hpp"

#include <optional>

namespace dns {
namespace {

// The name as traced: canonical when valid, else as asked.
std::string traced_name(const std::string& name) {
  try {
    return canonical_name(name);
  } catch (const parse_error&) {
    return name;
  }
}

bool is_temporary(rcode c) { return c == rcode::servfail || c == rcode::timeout; }

}  // namespace

fake_resolver::fake_resolver(sim::clock& clock, sim::trace& trace, zone_store& zones, resolver_options options)
    : clock_(clock), trace_(trace), zones_(zones), options_(options) {}

asio::awaitable<answer> fake_resolver::query(std::string asker, std::string name, rr_type type) {
  // trace-format.md: host "dns" for the resolver's own events when it has no host.
  std::string host = asker.empty() ? "dns" : asker;
  auto shown = traced_name(name);
  trace_.emit(host, "dns", "dns.query", {{"name", shown}, {"type", type_text(type)}});

  auto fault = faults_.find(shown, type);
  answer result;
  if (fault == rcode::timeout) {
    co_await clock_.sleep_for(options_.timeout);
    result.code = rcode::timeout;
  } else {
    co_await clock_.sleep_for(options_.latency);
    if (fault) result.code = *fault;
    else result = zones_.lookup(name, type);
  }
  emit_answer(host, shown, type, result);
  co_return result;
}

void fake_resolver::emit_answer(const std::string& host, const std::string& name, rr_type type, const answer& a) {
  std::vector<std::string> records;
  if (trace_.has_sinks())
    for (const auto& r : a.records) records.push_back(r.to_string());
  trace_.emit(host, "dns", "dns.answer",
              {{"name", name}, {"type", type_text(type)}, {"rcode", rcode_name(a.code)}, {"records", records}});
}

asio::awaitable<answer> lookup_addresses(resolver& r, std::string asker, std::string name) {
  auto v4 = co_await r.query(asker, name, rr_type::A);
  auto v6 = co_await r.query(asker, name, rr_type::AAAA);
  answer result;
  for (const auto& rr : v4.records)
    if (rr.type == rr_type::A) result.records.push_back(rr);
  for (const auto& rr : v6.records)
    if (rr.type == rr_type::AAAA) result.records.push_back(rr);
  if (!result.records.empty()) co_return result;
  if (is_temporary(v4.code)) result.code = v4.code;
  else if (is_temporary(v6.code)) result.code = v6.code;
  else if (v4.code != rcode::noerror) result.code = v4.code;
  else result.code = v6.code;
  co_return result;
}

}  // namespace dns
