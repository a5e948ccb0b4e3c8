// sim/mta/queue_recovery.hpp - read the queue back from the spool after a (re)start.
//
// Every "queue/..." entry of the store is parsed.  An entry that is not an
// intact queue file (cut short by a crash, damaged, or named differently
// from the id it holds) is not deleted: as Postfix moves such a file to its
// corrupt/ queue, it is moved to "corrupt/<its name>" (bytes unchanged, for
// a person to look at) and reported, so an acknowledged message is never
// dropped without a word.
#pragma once

#include <string>
#include <vector>

#include "sim/mta/queue_file.hpp"
#include "sim/storage/store.hpp"

namespace sim::mta {

// The store area for damaged files.
inline constexpr std::string_view corrupt_prefix = "corrupt/";

struct corrupt_entry {
  std::string name;      // where it was ("queue/4F2A1C0B9D")
  std::string moved_to;  // where it is now ("corrupt/queue/4F2A1C0B9D")
  std::string reason;    // what is wrong with it
};

struct recovered_queue {
  std::vector<queue_file> messages;   // in queue id order
  std::vector<corrupt_entry> corrupt;  // the damaged entries, moved aside
};

asio::awaitable<recovered_queue> recover_queue(storage::store& spool);

}  // namespace sim::mta
