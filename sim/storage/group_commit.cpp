// sim/storage/group_commit.cpp - the storage thread: submission, batches, completion.
// (What a batch does on the disk is in group_commit_batch.cpp.)
#include <unistd.h>

#include "sim/storage/group_commit_operation.hpp"

namespace sim::storage {

namespace fs = std::filesystem;

group_commit::group_commit(hook on_step)
    : on_step_(std::move(on_step)), workers_(sync_worker_threads), thread_([this] { run(); }) {}

group_commit::~group_commit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  for (auto& [path, fd] : directories_) ::close(fd);
}

// The waiter's handler is moved into the operation by construction only:
// Asio 1.26's any_completion_handler assignment recurses without end.
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
        submit(operation(std::move(handler), true, std::move(d), std::move(n), std::move(b)));
      },
      asio::use_awaitable, std::move(dir), std::move(name), std::move(bytes));
}

asio::awaitable<void> group_commit::remove(fs::path dir, std::string name) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [this](auto handler, fs::path d, std::string n) {
        submit(operation(std::move(handler), false, std::move(d), std::move(n), {}));
      },
      asio::use_awaitable, std::move(dir), std::move(name));
}

void group_commit::submit(operation op) {
  {
    std::lock_guard lock(mutex_);
    if (halted_) {
      op.work = {};
      parked_.push_back(std::move(op));
      return;
    }
    pending_.push_back(std::move(op));
  }
  wake_.notify_one();
}

void group_commit::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return halted_ || (pending_.empty() && !busy_); });
}

group_commit::counters group_commit::stats() const {
  return {batches_.load(), puts_.load(), removes_.load(), file_syncs_.load(), directory_syncs_.load()};
}

// Whatever is waiting when the thread comes back is the next batch: while
// one batch is on its way to the disk, the next one gathers.
void group_commit::run() {
  std::vector<operation> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;
      batch.swap(pending_);
      busy_ = true;
    }
    try {
      commit(batch);
    } catch (const halt&) {
      park(batch);
      return;
    }
    batch.clear();
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    idle_.notify_all();
  }
}

// The ready waiters not yet resumed resume, each on its own executor.
// Waiters that share an executor (the usual case: one io_context) are
// resumed by one posted function: one wake-up of the event loop.
void group_commit::complete(std::vector<operation>& batch, const std::function<bool(const operation&)>& ready) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].completed || !ready(batch[i])) continue;
    std::vector<std::pair<completion, std::exception_ptr>> resume;
    for (std::size_t k = i; k < batch.size(); ++k) {
      auto& op = batch[k];
      if (op.completed || !ready(op) || op.work != batch[i].work) continue;
      op.completed = true;
      resume.emplace_back(std::move(op.done), op.error);
    }
    asio::post(batch[i].work, [resume = std::move(resume)]() mutable {
      for (auto& [done, error] : resume) std::move(done)(error);
    });
  }
}

// A halted thread (a test's simulated kill) keeps its operations without
// ever completing them, and parks everything submitted afterwards too.
void group_commit::park(std::vector<operation>& batch) {
  std::lock_guard lock(mutex_);
  halted_ = true;
  for (auto& op : pending_) batch.push_back(std::move(op));
  pending_.clear();
  for (auto& op : batch) {
    if (op.fd >= 0) ::close(op.fd);
    if (op.completed) continue;
    op.work = {};  // nothing will ever complete: let the io_context's run() return
    parked_.push_back(std::move(op));
  }
  busy_ = false;
  idle_.notify_all();
}

void group_commit::step(commit_step::kind what, const fs::path& path, const fs::path& from, bool new_name) {
  if (on_step_) on_step_(commit_step{what, path, from, new_name});
}

}  // namespace sim::storage
