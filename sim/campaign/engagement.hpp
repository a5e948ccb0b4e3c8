// sim/campaign/engagement.hpp - what the recipients of a campaign do with
// it: the campaign's `engagement` object and each recipient's decision.
//
// A recipient whose copy was filed in INBOX reads it (opens it) with the
// share `opens` of its domain, `after` its delivery; of those who open, the
// share `complaints` of its domain press "this is spam".  Shares are given
// once for every domain or per receiving domain with a "*" default (0 when
// there is none).  The decisions are drawn in list order from one seeded
// stream (the world's "engagement/<id>"), three draws per recipient whatever
// the shares, so that changing one domain's share never changes another
// recipient's decision or moment.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"

namespace sim::campaign {

// A share for every domain, or per domain with a fallback ("*").
struct domain_shares {
  double fallback = 0;
  std::vector<std::pair<std::string, double>> domains;  // lower-case domain -> share, in file order
  double of(std::string_view domain) const;
};

enum class reader_protocol { imap, pop3 };

struct engagement_spec {
  domain_shares opens;
  domain_shares complaints;  // of those who open
  reader_protocol protocol = reader_protocol::imap;
  // When a reader opens a copy: uniform in [after_low, after_high] after it was filed.
  sim::duration after_low = std::chrono::minutes(10);
  sim::duration after_high = std::chrono::hours(4);
};

// "10m..4h" (a range, low at most high) or "1h" (exactly); nullopt with
// `error` filled when it is neither.
struct delay_range {
  sim::duration low{}, high{};
};
std::optional<delay_range> parse_delay_range(std::string_view text, std::string& error);

struct reader_decision {
  bool opens = false;
  bool complains = false;  // only when it opens
  sim::duration after{};   // from filing to opening
};

// `below(n)`: a uniform draw in [0, n) from the seeded stream.
using engagement_draw = std::function<std::uint64_t(std::uint64_t)>;
reader_decision decide(const engagement_spec& e, std::string_view domain, const engagement_draw& below);

}  // namespace sim::campaign
