// fake_dns/answer.hpp - the result of one DNS question.
//
// Split from resolver.hpp (which includes it) so that the sans-I/O zone
// store and wire codec can return it without seeing Asio.
#pragma once

#include <optional>
#include <vector>

#include "fake_dns/record.hpp"

namespace dns {

struct answer {
  rcode code = rcode::noerror;
  std::vector<record> records;  // the answer section (CNAMEs followed, in order)
  // A negative answer's authority section: the SOA of the zone the name
  // would be in, when the store has one (RFC 2308 section 3), for caching.
  std::optional<record> soa = std::nullopt;
};

}  // namespace dns
