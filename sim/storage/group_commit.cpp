// sim/storage/group_commit.cpp - the storage threads: submission, batches, completion.
// (The journal, applying records to files, checkpoints and replay are in
// group_commit_journal.cpp.)
#include <unistd.h>

#include <algorithm>

#include "sim/storage/group_commit_operation.hpp"

namespace sim::storage {

namespace fs = std::filesystem;

group_commit::group_commit(fs::path dir, hook on_step, std::size_t journal_bytes, std::size_t first_bytes)
    : dir_(absolute_directory(dir)),
      on_step_(std::move(on_step)),
      journal_bytes_(std::max(journal_bytes, 2 * journal_block)),
      first_bytes_(std::clamp(first_bytes / journal_block * journal_block, 2 * journal_block, journal_bytes_)) {
  replay();
  for (std::size_t k = 0; k < committers; ++k) committers_[k] = std::thread([this, k] { run_committer(k); });
  checkpointer_ = std::thread([this] { run_checkpointer(); });
}

group_commit::~group_commit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : committers_) t.join();
  {
    std::lock_guard lock(mutex_);
    committer_done_ = true;
  }
  checkpoint_wake_.notify_all();
  checkpointer_.join();
  // A clean stop leaves plain files and empty journals.
  if (halted_ || broken_) return;
  try {
    auto& live = *journals_[live_];
    if (live.used() > journal_block) checkpoint(live, index_);
    clear_spares();
  } catch (...) {
    // The journal keeps what the files may lack: the next start replays it.
  }
}

// The waiter's handler is moved into the operation by construction only:
// Asio 1.26's any_completion_handler assignment recurses without end (and
// operations are held by pointer, never moved, for the same reason).
template <typename Handler>
group_commit::operation::operation(Handler&& handler, bool put, fs::path d, std::string n, std::string b)
    : is_put(put),
      dir(std::move(d)),
      name(std::move(n)),
      bytes(std::move(b)),
      work(asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked)),
      done(std::forward<Handler>(handler)) {}

asio::awaitable<void> group_commit::put(fs::path dir, std::string name, std::string bytes) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [this](auto handler, fs::path d, std::string n, std::string b) {
        submit(std::make_unique<operation>(std::move(handler), true, std::move(d), std::move(n), std::move(b)));
      },
      asio::use_awaitable, std::move(dir), std::move(name), std::move(bytes));
}

asio::awaitable<void> group_commit::remove(fs::path dir, std::string name) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [this](auto handler, fs::path d, std::string n) {
        submit(std::make_unique<operation>(std::move(handler), false, std::move(d), std::move(n), std::string()));
      },
      asio::use_awaitable, std::move(dir), std::move(name));
}

void group_commit::submit(operation_ptr op) {
  {
    std::lock_guard lock(mutex_);
    if (halted_) {
      op->work = {};
      parked_.push_back(std::move(op));
      return;
    }
    pending_.push_back(std::move(op));
  }
  wake_.notify_one();
}

void group_commit::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return halted_ || (pending_.empty() && busy_ == 0); });
}

void group_commit::wait_checkpoints() {
  std::unique_lock lock(mutex_);
  checkpoint_wake_.wait(lock, [this] { return halted_ || broken_ || !to_checkpoint_; });
}

group_commit::counters group_commit::stats() const {
  return {batches_.load(),     puts_.load(),          removes_.load(),        journal_syncs_.load(),
          checkpoints_.load(), replayed_.load(),      files_written_.load(), files_removed_.load(),
          files_reused_.load()};
}

// The live journal's index first: it is the newer.
std::optional<group_commit::pending_value> group_commit::pending(const std::string& path) const {
  std::lock_guard lock(index_mutex_);
  for (const auto* index : {&index_, &applying_}) {
    auto it = index->find(path);
    if (it != index->end()) return it->second;
  }
  return std::nullopt;
}

std::map<std::string, bool> group_commit::pending_names(std::string_view prefix) const {
  std::map<std::string, bool> names;
  std::lock_guard lock(index_mutex_);
  for (const auto* index : {&index_, &applying_})
    for (const auto& [path, value] : *index)
      if (path.starts_with(prefix)) names.emplace(path, value.present);  // index_'s entry wins
  return names;
}

// Whatever is waiting when a committer comes back is its next batch:
// while one batch is on its way to the disk, the next one gathers, and the
// other committer appends it and starts its sync meanwhile.  Taking and
// appending are one step (append_mutex_), so batches reach the journal in
// the order they were taken, which is the order they complete in.
void group_commit::run_committer(std::size_t syncer) {
  for (;;) {
    std::unique_lock append(append_mutex_);
    std::uint64_t seq = 0;
    batch ops = take_batch(seq);
    if (ops.empty()) return;
    try {
      written w = append_batch(ops, seq);
      append.unlock();
      sync_batch(ops, w, syncer);
      finish_batch(ops, w);
    } catch (const halt&) {
      park(ops);
      return;
    }
    {
      std::lock_guard lock(mutex_);
      completed_ = seq;
      --busy_;
    }
    turn_.notify_all();
    idle_.notify_all();
  }
}

// Every waiting operation, in submission order, and its turn.  Empty: time
// to stop.
group_commit::batch group_commit::take_batch(std::uint64_t& seq) {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [this] { return halted_ || stopping_ || !pending_.empty(); });
  if (halted_) return {};
  batch ops = std::move(pending_);
  pending_.clear();
  if (!ops.empty()) {
    ++busy_;
    seq = ++taken_;
  }
  return ops;
}

// Until every batch taken before `seq` has completed.
void group_commit::wait_turn(std::unique_lock<std::mutex>& lock, std::uint64_t seq) {
  turn_.wait(lock, [&] { return halted_ || completed_ + 1 == seq; });
  if (halted_) throw halt{};
}

// The waiters not yet resumed resume, each on its own executor.  Waiters
// that share an executor (the usual case: one io_context) are resumed by
// one posted function: one wake-up of the event loop.
void group_commit::complete(batch& ops) {
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (ops[i]->completed) continue;
    std::vector<std::pair<completion, std::exception_ptr>> resume;
    for (std::size_t k = i; k < ops.size(); ++k) {
      auto& op = *ops[k];
      if (op.completed || op.work != ops[i]->work) continue;
      op.completed = true;
      resume.emplace_back(std::move(op.done), op.error);
    }
    asio::post(ops[i]->work, [resume = std::move(resume)]() mutable {
      for (auto& [done, error] : resume) std::move(done)(error);
    });
  }
}

// A halted thread (a test's simulated kill) keeps its operations without
// ever completing them; so does the other, at its next step, and
// everything submitted afterwards is parked too.
void group_commit::park(batch& ops) {
  {
    std::lock_guard lock(mutex_);
    halted_ = true;
    for (auto& op : pending_) ops.push_back(std::move(op));
    pending_.clear();
    for (auto& op : ops) {
      if (op->completed) continue;
      op->work = {};  // nothing will ever complete: let the io_context's run() return
      parked_.push_back(std::move(op));
    }
    busy_ = 0;
  }
  wake_.notify_all();
  idle_.notify_all();
  turn_.notify_all();
  checkpoint_wake_.notify_all();
}

void group_commit::step(commit_step::kind what, const fs::path& path, std::size_t end) {
  if (halted_) throw halt{};
  if (on_step_) on_step_(commit_step{what, path, end});
}

}  // namespace sim::storage
