// fake_dns/resolver.hpp - the resolver interface agents use.
//
// Agents get a resolver& (never a global), so tests pass a fake one.  The
// simulated twin answers from a zone store in virtual time, with faults and
// trace events (dns.query / dns.answer); live mode uses the same one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fake_dns/answer.hpp"  // struct answer (moved there so sans-I/O code can use it)
#include "fake_dns/record.hpp"
#include "sim/core/asio.hpp"

namespace dns {

class resolver {
 public:
  virtual ~resolver() = default;
  // `asker` is the host that asks (the trace's `host`).  Never throws for a
  // DNS failure: rcode says what happened (servfail, nxdomain, timeout).
  virtual asio::awaitable<answer> query(std::string asker, std::string name, rr_type type) = 0;
};

}  // namespace dns
