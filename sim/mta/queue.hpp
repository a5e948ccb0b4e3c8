// sim/mta/queue.hpp - the MTA's queue: messages it has taken responsibility for.
//
// enqueue() returns only once the queue file is durable in the spool: the
// SMTP server answers 250 after that and never before (RFC 5321 section
// 6.1).  The in-memory index is rebuilt from the spool by recover() after a
// restart; a crash simply forgets it.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"
#include "sim/mta/queue_file.hpp"
#include "sim/mta/queue_id.hpp"
#include "sim/storage/store.hpp"

namespace sim::mta {

// What a recovery found: intact messages, and damaged files moved to corrupt/.
struct recovery_counts {
  std::size_t recovered = 0;
  std::size_t corrupt = 0;
};

class queue {
 public:
  queue(std::string host, storage::store& spool, sim::trace& trace, queue_id_generator ids);

  // Gives the file an id when it has none, makes it durable, then reports
  // queue.enqueue.  Throws storage::store_error when the host dies first.
  asio::awaitable<std::string> enqueue(queue_file file, std::string message_id = {});
  // Writes the current state of a message (after an attempt).
  asio::awaitable<void> save(const std::string& queue_id);
  // The same, but the recipients named in `still_open` are written as
  // deferred and due at once: their failure is settled in memory but not
  // yet reported in a DSN, so a crash must leave them to be tried again.
  asio::awaitable<void> save(const std::string& queue_id, const std::vector<std::string>& still_open);
  // Nothing left to do: forget it and report queue.remove.
  asio::awaitable<void> remove(const std::string& queue_id);
  // After a restart: every intact queue file, in queue id order.  Each
  // damaged one is moved to corrupt/ and reported (queue.corrupt).
  asio::awaitable<recovery_counts> recover();
  void crash() {
    files_.clear();
    writers_.clear();
  }
  // An id for a message about to be enqueued (a DSN reports it first).
  std::string new_id() { return ids_.next(); }

  queue_file* find(const std::string& queue_id);
  const queue_file* find(const std::string& queue_id) const;
  std::vector<std::string> ids() const;
  std::size_t size() const { return files_.size(); }

 private:
  std::string host_;
  storage::store& spool_;
  sim::trace& trace_;
  queue_id_generator ids_;
  std::map<std::string, queue_file> files_;
  // Each file's recipients as last written (checkpoints rewrite the file).
  std::unordered_map<std::string, queue_file_writer> writers_;
};

}  // namespace sim::mta
