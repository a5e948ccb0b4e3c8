// sim/scenario/world_agents.hpp - the agents of one MTA host in a world (internal).
#pragma once

#include <memory>

#include "sim/campaign/engagement.hpp"
#include "sim/campaign/generator.hpp"
#include "fake_dns/caching_resolver.hpp"
#include "sim/pop3/login_limiter.hpp"
#include "sim/scenario/world.hpp"

namespace sim::scenario {

struct world::host_agents {
  const host* spec = nullptr;
  std::unique_ptr<dns::caching_resolver> resolver;  // its own cache before the shared DNS (when dns_cache)
  std::unique_ptr<storage::store> spool;   // the MTA's queue
  std::unique_ptr<storage::store> mail;    // the mailboxes
  std::unique_ptr<lda::mailbox_store> boxes;
  std::unique_ptr<lda::lda> lda;
  std::unique_ptr<mta::mta> mta;
  std::unique_ptr<task_group> tasks;       // POP3 sessions and mailbox upkeep
  pop3::login_limiter logins;              // failed POP3 logins by client address
};

// A campaign of the timeline: its recipients and its pacing (world_campaign.cpp).
struct world::campaign_run {
  const campaign_action* spec = nullptr;
  std::vector<campaign::generated_recipient> recipients;
  std::uint64_t messages = 0;
  sim::time_point start{};
  std::optional<clock::timer_id> timer;  // the next paced submission
  // With `engagement`: each recipient's decision (in list order) and its index by address (lower case).
  std::vector<campaign::reader_decision> decisions;
  std::unordered_map<std::string, std::uint32_t> by_address;
};

// One recipient's reader (world_readers.cpp): the copies it will open, when.
struct world::reader {
  std::string host, mailbox, machine;
  campaign::reader_protocol protocol = campaign::reader_protocol::imap;
  struct due {
    sim::time_point at{};
    mua::reading what;
  };
  std::vector<due> pending;  // in filing order
  bool busy = false;         // a session is under way
  std::optional<clock::timer_id> timer;
  sim::time_point timer_at{};
};

// host.restart: `recovered`, and `corrupt` when damaged queue files were
// moved aside (an extension of trace format 1).
inline void emit_restart(sim::trace& tr, const std::string& host, const mta::recovery_counts& found) {
  if (found.corrupt > 0)
    tr.emit(host, "sim", "host.restart", {{"recovered", found.recovered}, {"corrupt", found.corrupt}});
  else
    tr.emit(host, "sim", "host.restart", {{"recovered", found.recovered}});
}

}  // namespace sim::scenario
