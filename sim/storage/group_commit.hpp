// sim/storage/group_commit.hpp - the storage threads: file writes made durable in batches.
//
// Every put and remove of the file_stores that share one group_commit goes
// to a few committer threads.  A free committer takes every operation
// waiting at that moment as one batch and makes the whole batch durable
// together, so that ten clients waiting for their 250 share one journal
// commit instead of paying ten (group commit):
//   1. each put is written to a temp file beside its name;
//   2. one wave of syncs issued at once from a few threads (sync_workers):
//      fdatasync of each temp file;
//   3. in the order they were submitted, temp files are renamed over their
//      names;
//   4. a second wave: fsync of each directory a rename changed;
//   5. the puts' waiters resume, each on its own executor (an io_context);
//   6. removed names are unlinked (no sync needed), and their waiters resume.
// While one committer waits for the disk, another takes what arrived
// meanwhile, so a batch never waits for the one before it (operations on a
// name that a batch in progress also names wait for that batch).
// group_commit_batch.cpp says at each step why it is needed, and why
// removals need no sync of their own.
//
// The event loop never waits for the disk: a coroutine that puts suspends,
// and the loop goes on serving other clients meanwhile.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sim/storage/store.hpp"
#include "sim/storage/sync_workers.hpp"

namespace sim::storage {

// One step of a batch, as the test-only hook sees it.
struct commit_step {
  enum class kind {
    made_directory,    // path: a directory just created (its parent not yet synced)
    wrote,             // path: the temp file now holding a put's bytes, not yet synced
    synced_file,       // path: a temp file whose data is now durable
    renamed,           // from: temp file, path: the name it now has (not yet synced)
    unlinked,          // path: a name removed (the removal is not synced)
    synced_directory,  // path: a directory whose entries are now durable
    completing,        // waiters are about to resume: the puts' (once durable), then the removes'
  };
  kind what;
  std::filesystem::path path;
  std::filesystem::path from;
};

class group_commit {
 public:
  // Thrown by a test hook to stop the storage threads dead at that step, as
  // if the process had been killed there: nothing after it happens, and the
  // waiters of the batch (and of every later operation) never resume.
  struct halt {};
  using hook = std::function<void(const commit_step&)>;

  struct counters {
    std::uint64_t batches = 0;
    std::uint64_t puts = 0;
    std::uint64_t removes = 0;
    std::uint64_t file_syncs = 0;
    std::uint64_t directory_syncs = 0;
  };

  // Batches that may be on their way to the disk at once.
  static constexpr std::size_t default_committers = 4;

  // `on_step` (tests only) is called on the committer threads at every step
  // (from several at once when `committers` > 1).
  explicit group_commit(hook on_step = {}, std::size_t committers = default_committers);
  // Finishes every operation already submitted, then stops the threads.
  ~group_commit();
  group_commit(const group_commit&) = delete;
  group_commit& operator=(const group_commit&) = delete;

  // Returns once `bytes` is durable as `dir`/`name`, replacing any old
  // value (a crash before that leaves the old or the new value, never a
  // mix).  Throws store_error with the system's errno when a file
  // operation fails.  `dir` is `root` or
  // under it, and is created as needed; `root` exists and is durable.
  asio::awaitable<void> put(std::filesystem::path root, std::filesystem::path dir, std::string name,
                            std::string bytes);
  // Returns once `dir`/`name` is gone (a crash may bring it back).
  asio::awaitable<void> remove(std::filesystem::path root, std::filesystem::path dir, std::string name);

  // Blocks until every operation submitted so far has completed (its
  // waiter posted to its executor), or the threads were halted.
  void wait_idle();
  counters stats() const;

 private:
  struct operation;
  using operation_ptr = std::unique_ptr<operation>;
  using batch = std::vector<operation_ptr>;
  using completion = asio::any_completion_handler<void(std::exception_ptr)>;
  struct directory_entry {
    int fd = -1;
    bool durable = false;  // its entry in its parent is known to be synced
  };

  void submit(operation_ptr op);
  void run_committer();
  batch take_batch();
  void release_names(const batch& done);
  void commit(batch& ops);
  void complete(batch& ops, const std::function<bool(const operation&)>& ready);
  void park(batch& ops);
  int directory(const operation& op, std::set<std::string>& to_sync, std::vector<std::string>& made);
  void write_temp(operation& op);
  void sync_wave(batch& ops, const std::set<std::string>& dirs_to_sync);
  void sync_file(operation& op);
  void install(operation& op, std::set<std::string>& renamed);
  void unlink_name(operation& op);
  void step(commit_step::kind what, const std::filesystem::path& path, const std::filesystem::path& from = {});

  // Threads that issue a wave's syncs, besides its committer: enough for
  // the usual batch (one per waiting client) to sync at once.
  static constexpr std::size_t sync_worker_threads = 7;

  hook on_step_;
  sync_workers workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  batch pending_;
  std::multiset<std::string> in_flight_;  // the names of the operations of batches in progress
  std::size_t busy_ = 0;                  // committers with a batch
  bool stopping_ = false;
  std::atomic<bool> halted_{false};
  batch parked_;  // halted threads' operations: never completed
  std::mutex directories_mutex_;
  std::map<std::string, directory_entry> directories_;  // open descriptors, by path
  std::atomic<std::uint64_t> temp_serial_{0};
  std::atomic<std::uint64_t> batches_{0}, puts_{0}, removes_{0}, file_syncs_{0}, directory_syncs_{0};
  std::vector<std::thread> committers_;
};

}  // namespace sim::storage
