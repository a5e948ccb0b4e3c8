// sim/scenario/world_agents.hpp - the agents of one MTA host in a world (internal).
#pragma once

#include <memory>

#include "sim/pop3/login_limiter.hpp"
#include "sim/scenario/world.hpp"

namespace sim::scenario {

struct world::host_agents {
  const host* spec = nullptr;
  std::unique_ptr<storage::store> spool;   // the MTA's queue
  std::unique_ptr<storage::store> mail;    // the mailboxes
  std::unique_ptr<lda::mailbox_store> boxes;
  std::unique_ptr<lda::lda> lda;
  std::unique_ptr<mta::mta> mta;
  std::unique_ptr<task_group> tasks;       // POP3 sessions and mailbox upkeep
  pop3::login_limiter logins;              // failed POP3 logins by client address
};

// The host.restart event's fields: `recovered`, and `corrupt` when damaged
// queue files were moved aside (an extension of trace format 1).
inline sim::event restart_fields(const mta::recovery_counts& found) {
  sim::event fields{{"recovered", found.recovered}};
  if (found.corrupt > 0) fields["corrupt"] = found.corrupt;
  return fields;
}

}  // namespace sim::scenario
