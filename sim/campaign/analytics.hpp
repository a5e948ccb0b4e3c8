// sim/campaign/analytics.hpp - delivery analytics of campaigns, computed
// from the trace as it streams by (a sink: nothing of the trace is kept).
//
// A campaign's messages are known by their `message` tag (the campaign id,
// on mua.compose), then by Message-ID (queue.enqueue, lda.deliver) and by
// host and queue id on each host that queued one.  Per recipient it keeps
// one small state: where it stands and when it was written.  Counts are of
// recipients, per campaign and per receiving domain:
//
//   sent        recipients the MUA composed messages for
//   delivered   filed by an LDA: `junk` when lda.deliver says folder "Junk"
//               (the content filter's placement; any case), else `inbox`
//   deferred    recipients that had at least one temporary failure
//               (`deferrals`: how many queue.defer events in all)
//   queued      neither delivered, bounced nor rejected when the run ended
//   bounced     queue.bounce: `hard` with a 5.x.x status, `soft` with a
//               4.x.x one (the queue lifetime ran out)
//   rejected    refused at submission (mua.reject)
//   retries     delivery attempts after a host's first one for a recipient
//   time to delivery: from composing to filing, p50/p90/p99/max (nearest rank),
//               and every 5% for a cumulative curve
//   bounce reasons: by RFC 3463 enhanced status, a count and a sample text
//   trap hits   recipients that were spam traps and took the mail (spamtrap.hit)
//   opens       recipients whose reader opened the copy (mua.open; engagement)
//   complaints  recipients whose reader reported it as spam (mua.complaint)
// and, for the whole run, the DNSBL listings (dnsbl.list to dnsbl.delist, or
// to the end of the run): when the sending IP was blacklisted; and the
// reputation periods (reputation.change): from when to when a receiving
// host filed a sender's mail in Junk, throttled it or blocked it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/trace.hpp"

namespace sim::campaign {

struct bounce_reason {
  std::string status;  // "5.1.1"
  std::uint64_t count = 0;
  std::string sample;  // the first reason text seen
};

struct latency {
  std::uint64_t count = 0;  // deliveries measured
  std::int64_t p50 = 0, p90 = 0, p99 = 0, max = 0;  // milliseconds
  // The cumulative curve, nearest rank at q = 0, 1/20, 2/20 ... 1 (21
  // values, empty without deliveries): what the report draws.
  std::vector<std::int64_t> quantiles;
};

struct delivery_row {
  std::string domain;  // "" = every domain of the campaign
  std::uint64_t sent = 0, inbox = 0, junk = 0, deferred = 0, deferrals = 0, queued = 0, bounced_hard = 0,
                bounced_soft = 0, rejected = 0, retries = 0, trap_hits = 0, opens = 0, complaints = 0;
  // Of `inbox` and `junk`: those deferred at least once before (the report's bar).
  std::uint64_t deferred_inbox = 0, deferred_junk = 0;
  latency time_to_delivery;
  std::vector<bounce_reason> bounce_reasons;  // most frequent first (ties by status)
  std::uint64_t delivered() const { return inbox + junk; }
  std::uint64_t bounced() const { return bounced_hard + bounced_soft; }
};

// One DNSBL listing of an IP during the run.
struct listing {
  std::string zone, ip;
  std::int64_t from = 0;             // ms
  std::optional<std::int64_t> to;    // none: still listed when the run ended
};

// A stretch of time in which a receiving host judged a sender (an IP or a
// domain) worse than accept: one period per state, in the order they began.
struct reputation_period {
  std::string host;     // the receiving host
  std::string subject;  // "ip" or "domain"
  std::string key;      // the IP or the domain
  std::string state;    // "junk", "throttle" or "block"
  std::int64_t from = 0;           // ms
  std::optional<std::int64_t> to;  // none: still so when the run ended
};

struct campaign_result {
  std::string id;
  delivery_row total;
  std::vector<delivery_row> domains;  // by domain name
  std::vector<listing> listings;      // every listing of the run, in order
  bool engagement = false;            // readers were told to read it (set_engagement)
  std::vector<reputation_period> reputation;  // every period of the run, in order
};

class analytics {
 public:
  explicit analytics(std::vector<std::string> campaign_ids);

  // The events it reads; a caller may skip the others.
  static bool wants(std::string_view event_name);
  // The campaign has readers (`engagement`): the table shows opens and complaints.
  void set_engagement(std::string_view campaign_id);
  void observe(const event_view& e);
  // The figures so far (the run is over: still pending = queued).
  std::vector<campaign_result> results() const;

 private:
  enum class state : std::uint8_t { pending, delivered, bounced, rejected };
  struct rcpt {
    std::uint32_t domain = 0;  // index into domains_
    state where = state::pending;
    bool junk = false;
    bool deferred = false;
    bool opened = false;
    bool complained = false;
    std::int64_t written = 0;  // t of mua.compose
  };
  struct domain_figures {
    std::uint64_t deferrals = 0, retries = 0, trap_hits = 0;
    std::vector<std::int64_t> latencies;
    std::map<std::string, bounce_reason> reasons;
  };
  struct tracked {
    std::string id;
    bool engagement = false;
    std::unordered_map<std::string, rcpt> rcpts;  // by address
    std::map<std::uint32_t, domain_figures> figures;
  };

  rcpt* find(std::size_t campaign, std::string_view address);
  std::uint32_t domain_index(std::string_view domain);
  void on_compose(const event_view& e, std::size_t campaign);
  void on_reject(const event_view& e);
  void on_queue(const event_view& e);
  void on_deliver(const event_view& e);
  void on_blocklist(const event_view& e);
  void on_reading(const event_view& e);
  void on_reputation(const event_view& e);
  static void count(const rcpt& r, delivery_row& out);
  delivery_row row(const tracked& c, std::optional<std::uint32_t> domain, delivery_row counted) const;

  std::vector<tracked> campaigns_;
  std::vector<std::string> domains_;
  std::unordered_map<std::string, std::uint32_t> domain_ids_;
  struct message {
    std::size_t campaign = 0;
    std::vector<std::string> rcpts;  // until it is queued (for a whole-message refusal)
  };
  std::unordered_map<std::string, message> messages_;     // Message-ID -> its campaign
  std::unordered_map<std::string, std::size_t> queued_;    // "host\nqueue_id" -> campaign
  std::vector<listing> listings_;
  std::vector<reputation_period> reputation_;
};

}  // namespace sim::campaign
