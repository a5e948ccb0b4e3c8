// sim/storage/group_commit.hpp - the storage thread: file writes made durable in batches.
//
// Every put and remove of the file_stores that share one group_commit goes
// to one committer thread.  Each round, it takes every operation waiting at
// that moment as one batch (group commit) and:
//   1. appends one record per operation to the write-ahead journal (a
//      preallocated file, journal.hpp), in submission order;
//   2. makes the batch durable with one fdatasync of the journal: blocks
//      already allocated, so no file-system journal commit to wait for;
//   3. records the batch in the pending index: for each name the live
//      journal holds, its latest value (or its removal), which get() and
//      list() see before the files;
//   4. resumes the waiters, each on its own executor: the 250s go out now.
// The files are written lazily, at the journal's checkpoint: only a name's
// last value, and a name put and then removed within one journal (the
// queue file of a message delivered at once) never reaches the files.
//
// Two committer threads take turns: while one waits for its batch's
// fdatasync, the other can append the next batch and start its own sync
// (the appends are serialized, in submission order).  Batches complete in
// that order: a batch's waiters resume only after every earlier batch's
// did, and a failed sync fails every batch not yet completed.
//
// There are two journal files.  When the live one is full, the committer
// moves on to the other and hands the first one, with its pending index,
// to a checkpoint thread, which writes the index to the files, makes them
// durable (syncfs: one call for all of them) and then marks the journal
// empty.  The pending values are bounded by the journal's size.
// Opening replays the live journals, oldest generation first, into the
// files, makes that durable and empties the journals: recovery then
// reads plain files, as an older mailsim left them.  A clean shutdown
// checkpoints too, so a stopped server leaves plain files.
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
#include <unordered_map>
#include <vector>

#include "sim/storage/journal.hpp"
#include "sim/storage/store.hpp"

namespace sim::storage {

// One step of the storage threads, as the test-only hook sees it.
struct commit_step {
  enum class kind {
    journal_written,  // path: the journal; a batch's records are written (up to `end`), not yet synced
    journal_synced,   // path: the journal; the batch is durable, with every byte of the journal before `end`
    completing,       // the batch is in the pending index; its waiters are about to resume
    applied,          // path: a name now holding a put's value (a checkpoint or the replay; not synced)
    unlinked,         // path: a name removed (a checkpoint or the replay; not synced)
    syncing_files,    // path: the spool; a checkpoint's syncfs starts (it covers the files applied so far)
    files_synced,     // path: the spool; those files are durable
    journal_reset,    // path: the journal now marked empty (durably)
  };
  kind what;
  std::filesystem::path path;
  std::size_t end = 0;  // journal_written, journal_synced: where the batch ends in the journal (a later batch may follow)
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
    std::uint64_t journal_syncs = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t replayed = 0;  // records applied when opening
    std::uint64_t files_written = 0;  // puts that reached the files (the rest: replaced or removed first)
    std::uint64_t files_removed = 0;  // files a checkpoint removed (unlinked, or kept as spares)
    std::uint64_t files_reused = 0;   // new names given a spare's inode (group_commit_spares.cpp)
  };

  // What the live journals hold for a name and the files may not show yet.
  struct pending_value {
    bool present = false;  // false: removed
    std::string bytes;
  };

  // Bytes a journal file may hold before the committer moves to the other
  // one (a single larger batch still goes in whole).
  static constexpr std::size_t default_journal_bytes = 32u << 20;
  static constexpr std::size_t default_first_bytes = 1u << 20;

  // The journals live in `dir` (".journal-0", ".journal-1"), which is
  // created if needed; every store using this group_commit has its root
  // in or under `dir`.  Opening replays what a crash left in them.
  // `on_step` (tests only) is called on the storage threads at every step.
  // Throws store_error.
  // `first_bytes`: how much of a new journal file is zeroed before its
  // first use (the rest in the background); the live journal moves to the
  // other one once past them, if that one is ready (an early rotation).
  explicit group_commit(std::filesystem::path dir, hook on_step = {},
                        std::size_t journal_bytes = default_journal_bytes,
                        std::size_t first_bytes = default_first_bytes);
  // Finishes every operation already submitted, checkpoints, then stops
  // the threads.
  ~group_commit();
  group_commit(const group_commit&) = delete;
  group_commit& operator=(const group_commit&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  // Returns once `bytes` is durable as `dir`/`name`, replacing any old
  // value (a crash before that leaves the old or the new value, never a
  // mix).  Throws store_error with the system's errno when the journal or
  // the directory cannot be written.  `dir` is under dir().
  asio::awaitable<void> put(std::filesystem::path dir, std::string name, std::string bytes);
  // Returns once the removal is in the journal (a crash may bring the name
  // back: it is made durable with the next batch that syncs).  A batch of
  // removals alone completes without a sync of its own: the next batch
  // with a put syncs the journal, and that sync covers every record
  // appended before it.
  asio::awaitable<void> remove(std::filesystem::path dir, std::string name);

  // The value the live journals give `path` (relative to dir()) when the
  // files may not show it yet: nothing when the files are up to date.
  std::optional<pending_value> pending(const std::string& path) const;
  // The names under `prefix` (relative to dir()) that the live journals
  // give a value (true) or remove (false), where the files may lag.
  std::map<std::string, bool> pending_names(std::string_view prefix) const;
  // Reading a file while no checkpoint writes it (files are rewritten in
  // place: the journal, not a rename, covers a torn one).
  template <typename Read>
  auto read_files(Read&& read) const {
    std::lock_guard lock(files_mutex_);
    return read();
  }

  // Blocks until every operation submitted so far has completed (is in the
  // journal and the pending index), or the threads were halted.
  void wait_idle();
  // Blocks until no journal waits for (or is in) a checkpoint or its
  // zeroing, or the threads were halted (tests: so that rotations happen at
  // known points).
  void wait_checkpoints();
  counters stats() const;

 private:
  struct operation;
  using operation_ptr = std::unique_ptr<operation>;
  using batch = std::vector<operation_ptr>;
  using completion = asio::any_completion_handler<void(std::exception_ptr)>;

  // A batch between its append and its completion.
  struct written {
    std::uint64_t seq = 0;        // its turn: batches complete in this order
    journal_file* journal = nullptr;  // null: nothing appended (every operation failed)
    std::size_t end = 0;          // the journal's bytes once it is appended
    bool puts = false;            // it appended a put: it needs its own sync
    std::vector<std::string> paths;
  };

  void submit(operation_ptr op);
  void run_committer(std::size_t syncer);
  void run_checkpointer();
  bool stop_preparing();
  batch take_batch(std::uint64_t& seq);
  written append_batch(batch& ops, std::uint64_t seq);
  void validate(batch& ops, std::vector<std::string>& paths, std::size_t& size);
  void sync_batch(batch& ops, const written& w, std::size_t syncer);
  void break_with(batch& ops, std::exception_ptr e);
  void finish_batch(batch& ops, written& w);
  void write_batch();
  void rotate(std::size_t batch_bytes, std::uint64_t seq);
  void wait_turn(std::unique_lock<std::mutex>& lock, std::uint64_t seq);
  void complete(batch& ops);
  void index_batch(batch& ops, std::vector<std::string>& paths);
  void apply(const journal_record& r, const std::filesystem::path& path);
  // reuse: a checkpoint's put, which may take a spare's inode.
  void apply_put(const std::filesystem::path& path, std::string_view value, bool reuse = false);
  void apply_pending(const std::unordered_map<std::string, pending_value>& entries);
  void retire(const std::filesystem::path& path);
  int open_for_put(const std::filesystem::path& path);
  void clear_spares();
  void checkpoint(journal_file& j, std::unordered_map<std::string, pending_value>& entries);
  void replay();
  bool make_directory(const std::filesystem::path& dir);
  void park(batch& ops);
  void step(commit_step::kind what, const std::filesystem::path& path, std::size_t end = 0);

  std::filesystem::path dir_;
  hook on_step_;
  std::size_t journal_bytes_;
  std::size_t first_bytes_;
  std::unique_ptr<journal_file> journals_[2];
  std::size_t live_ = 0;  // the journal the committer appends to
  std::uint64_t generation_ = 0;
  std::set<std::string> directories_;  // made or found, by the committer appending
  std::string buffer_;                 // the batch's records
  std::mutex append_mutex_;            // held by the committer taking and appending a batch

  // The pending index (relative path -> latest value): `index_` for the
  // live journal, `applying_` for the one being checkpointed (its values
  // stay visible until they are durable in the files).  get() looks in
  // index_, then applying_, then the files.
  mutable std::mutex index_mutex_;
  std::unordered_map<std::string, pending_value> index_, applying_;
  mutable std::mutex files_mutex_;  // held while a checkpoint writes a file, and by readers

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  batch pending_;
  std::size_t busy_ = 0;        // batches taken, not yet completed
  std::uint64_t taken_ = 0;     // batches taken so far (the last one's turn)
  std::uint64_t completed_ = 0;  // batches completed, in turn
  std::condition_variable turn_;
  bool stopping_ = false;
  std::atomic<bool> halted_{false};
  std::exception_ptr broken_;  // a failed journal sync or file write: every later operation fails
  batch parked_;               // halted threads' operations: never completed
  journal_file* to_checkpoint_ = nullptr;  // handed to the checkpointer, not yet empty
  bool committer_done_ = false;            // the checkpointer may stop once it is idle
  std::condition_variable checkpoint_wake_;
  std::atomic<std::uint64_t> batches_{0}, puts_{0}, removes_{0}, journal_syncs_{0}, checkpoints_{0}, replayed_{0},
      files_written_{0}, files_removed_{0}, files_reused_{0};
  // Files a checkpoint removed, kept for its puts to reuse (group_commit_spares.cpp);
  // only the thread checkpointing touches them.
  static constexpr std::size_t max_spares = 4096;
  std::vector<std::string> spares_;
  std::uint64_t next_spare_ = 0;
  static constexpr std::size_t committers = 2;
  std::thread committers_[committers];
  std::thread checkpointer_;
};

}  // namespace sim::storage
