// sim/campaign/spec.hpp - a bulk mail campaign as a scenario describes it
// (timeline action `campaign`).
//
// One sender, one message (or one template), many recipients: listed, read
// from a file, or generated from the run's seed over the receiving domains.
// The scenario loader fills it and checks it; the world plays it through
// plan.hpp (pacing, batches) and generator.hpp (recipients).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/campaign/engagement.hpp"
#include "sim/core/time.hpp"

namespace sim::campaign {

// A listed recipient; `name` fills {{name}} ("" = made from the local part).
struct recipient {
  std::string address;
  std::string name;
};

// `generate`: count recipients split over domains by share; `unknown` and
// `full` are fractions of count (addresses with no mailbox / mailboxes at
// their quota), spread over the domains like the others.
struct generate_spec {
  std::uint64_t count = 0;
  std::vector<std::pair<std::string, double>> domains;  // domain -> share, in file order
  double unknown = 0;
  double full = 0;
  // Spam-trap addresses mixed in (`traps`: N of the world's declared traps,
  // in declaration order); counted in `count`.
  std::vector<std::string> traps;
};

// Submission pacing: at most `messages` messages every `per`.
struct rate {
  std::uint64_t messages = 0;
  sim::duration per{};
};

struct campaign_spec {
  // The most recipients a campaign may have: a generated list or a file
  // (each costs a mailbox and a few hundred octets of analytics state).
  static constexpr std::uint64_t max_recipients = 1'000'000;

  std::string id;
  std::string from;
  std::optional<std::string> via;  // submission host; default as for `send`
  std::string subject;
  std::string body;         // `body`: the same text for everyone
  bool is_template = false;  // `template`: body (and subject) with {{field}}s filled per recipient
  std::vector<recipient> recipients;  // `recipients` or `recipients_file`
  std::string recipients_file;        // the resolved path, when the list came from one
  std::optional<generate_spec> generate;
  std::optional<rate> pace;  // none = every message at once
  std::uint64_t batch = 1;   // recipients per message
  std::optional<engagement_spec> engagement;  // the readers (none: nobody reads)
};

}  // namespace sim::campaign
