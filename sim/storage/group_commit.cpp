// sim/storage/group_commit.cpp - the committer threads: submission, batches, completion.
// (What a batch does on the disk is in group_commit_batch.cpp.)
#include <unistd.h>

#include "sim/storage/group_commit_operation.hpp"

namespace sim::storage {

namespace fs = std::filesystem;

group_commit::group_commit(hook on_step, std::size_t committers)
    : on_step_(std::move(on_step)), workers_(sync_worker_threads) {
  for (std::size_t i = 0; i < std::max<std::size_t>(committers, 1); ++i)
    committers_.emplace_back([this] { run_committer(); });
}

group_commit::~group_commit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : committers_) t.join();
  for (auto& [path, entry] : directories_) ::close(entry.fd);
}

// The waiter's handler is moved into the operation by construction only:
// Asio 1.26's any_completion_handler assignment recurses without end (and
// operations are held by pointer, never moved, for the same reason).
template <typename Handler>
group_commit::operation::operation(Handler&& handler, bool put, fs::path r, fs::path d, std::string n,
                                   std::string b)
    : is_put(put),
      root(std::move(r)),
      dir(std::move(d)),
      name(std::move(n)),
      key(dir.native() + "/" + name),
      bytes(std::move(b)),
      work(asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked)),
      done(std::forward<Handler>(handler)) {}

asio::awaitable<void> group_commit::put(fs::path root, fs::path dir, std::string name, std::string bytes) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [this](auto handler, fs::path r, fs::path d, std::string n, std::string b) {
        submit(std::make_unique<operation>(std::move(handler), true, std::move(r), std::move(d), std::move(n),
                                           std::move(b)));
      },
      asio::use_awaitable, std::move(root), std::move(dir), std::move(name), std::move(bytes));
}

asio::awaitable<void> group_commit::remove(fs::path root, fs::path dir, std::string name) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [this](auto handler, fs::path r, fs::path d, std::string n) {
        submit(std::make_unique<operation>(std::move(handler), false, std::move(r), std::move(d), std::move(n),
                                           std::string()));
      },
      asio::use_awaitable, std::move(root), std::move(dir), std::move(name));
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

group_commit::counters group_commit::stats() const {
  return {batches_.load(), puts_.load(), removes_.load(), file_syncs_.load(), directory_syncs_.load()};
}

// Whatever is waiting when a committer comes back is its next batch: while
// one batch is on its way to the disk, the next one gathers, and a free
// committer takes it at once.
void group_commit::run_committer() {
  for (;;) {
    batch ops = take_batch();
    if (ops.empty()) return;
    try {
      commit(ops);
    } catch (const halt&) {
      park(ops);
      return;
    }
    release_names(ops);
  }
}

// Every waiting operation whose name no batch in progress names (those
// wait, with every later operation on the same name, so that operations on
// one name happen in the order they were submitted).  Empty: time to stop.
group_commit::batch group_commit::take_batch() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (halted_) return {};
    batch ops;
    std::set<std::string> held;
    batch keep;
    for (auto& op : pending_) {
      if (held.count(op->key) || in_flight_.count(op->key)) {
        held.insert(op->key);
        keep.push_back(std::move(op));
      } else {
        ops.push_back(std::move(op));
      }
    }
    pending_ = std::move(keep);
    if (!ops.empty()) {
      for (auto& op : ops) in_flight_.insert(op->key);
      ++busy_;
      return ops;
    }
    if (stopping_ && pending_.empty()) return {};
    wake_.wait(lock);
  }
}

void group_commit::release_names(const batch& done) {
  {
    std::lock_guard lock(mutex_);
    for (const auto& op : done) in_flight_.erase(in_flight_.find(op->key));
    --busy_;
  }
  wake_.notify_all();  // operations held back by these names may go now
  idle_.notify_all();
}

// The ready waiters not yet resumed resume, each on its own executor.
// Waiters that share an executor (the usual case: one io_context) are
// resumed by one posted function: one wake-up of the event loop.
void group_commit::complete(batch& ops, const std::function<bool(const operation&)>& ready) {
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (ops[i]->completed || !ready(*ops[i])) continue;
    std::vector<std::pair<completion, std::exception_ptr>> resume;
    for (std::size_t k = i; k < ops.size(); ++k) {
      auto& op = *ops[k];
      if (op.completed || !ready(op) || op.work != ops[i]->work) continue;
      op.completed = true;
      resume.emplace_back(std::move(op.done), op.error);
    }
    asio::post(ops[i]->work, [resume = std::move(resume)]() mutable {
      for (auto& [done, error] : resume) std::move(done)(error);
    });
  }
}

// A halted committer (a test's simulated kill) keeps its operations
// without ever completing them; so do the others, at their next step, and
// everything submitted afterwards is parked too.
void group_commit::park(batch& ops) {
  {
    std::lock_guard lock(mutex_);
    halted_ = true;
    for (auto& op : pending_) ops.push_back(std::move(op));
    pending_.clear();
    for (auto& op : ops) {
      if (op->fd >= 0) ::close(op->fd);
      op->fd = -1;
      if (op->completed) continue;
      op->work = {};  // nothing will ever complete: let the io_context's run() return
      parked_.push_back(std::move(op));
    }
    --busy_;
  }
  wake_.notify_all();
  idle_.notify_all();
}

void group_commit::step(commit_step::kind what, const fs::path& path, const fs::path& from) {
  if (halted_) throw halt{};
  if (on_step_) on_step_(commit_step{what, path, from});
}

}  // namespace sim::storage
