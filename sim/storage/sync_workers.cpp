// sim/storage/sync_workers.cpp - the workers of a batch's syncs.
#include "sim/storage/sync_workers.hpp"

namespace sim::storage {

sync_workers::sync_workers(std::size_t threads) {
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

sync_workers::~sync_workers() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_all();
  for (auto& t : threads_) t.join();
}

// The caller works through the queue too (its own jobs or others'), then
// waits for whatever of its own is still running on a worker.
void sync_workers::run_all(std::vector<std::function<void()>>& jobs) {
  if (jobs.empty()) return;
  if (jobs.size() <= inline_jobs) {
    // Waking a worker costs more than the overlap gains for so few.
    for (auto& job : jobs) job();
    return;
  }
  group g;
  std::unique_lock lock(mutex_);
  for (auto& job : jobs) queue_.push_back({&job, &g});
  g.unfinished = jobs.size();
  // One worker per job beyond the caller's own; waking them all for a
  // small batch would only make them fight for the processors.
  for (std::size_t i = 1; i < jobs.size(); ++i) work_.notify_one();
  while (g.unfinished > 0 && !queue_.empty()) {
    task t = queue_.front();
    queue_.pop_front();
    run(t, lock);
  }
  g.done.wait(lock, [&g] { return g.unfinished == 0; });
}

// Called and returns with the lock held; runs the job without it.
void sync_workers::run(task t, std::unique_lock<std::mutex>& lock) {
  lock.unlock();
  (*t.job)();
  lock.lock();
  if (--t.owner->unfinished == 0) t.owner->done.notify_all();
}

void sync_workers::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    task t = queue_.front();
    queue_.pop_front();
    run(t, lock);
  }
}

}  // namespace sim::storage
