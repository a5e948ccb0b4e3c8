// sim/scenario/world_agents.hpp - the agents of one MTA host in a world (internal).
#pragma once

#include <memory>

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
};

}  // namespace sim::scenario
