// sim/mta/queue_recovery.hpp - read the queue back from the spool after a (re)start.
//
// Every "queue/..." entry of the store is parsed; an entry that is not an
// intact queue file (cut short by a crash, damaged, or named differently
// from the id it holds) is deleted and counted, so it is reported once and
// never again.
#pragma once

#include <string>
#include <vector>

#include "sim/mta/queue_file.hpp"
#include "sim/storage/store.hpp"

namespace sim::mta {

struct recovered_queue {
  std::vector<queue_file> messages;     // in queue id order
  std::vector<std::string> discarded;   // store names of the corrupt entries
};

asio::awaitable<recovered_queue> recover_queue(storage::store& spool);

}  // namespace sim::mta
