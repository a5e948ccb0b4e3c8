// sim/storage/sync_workers.cpp - the workers of a batch's fsyncs.
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

void sync_workers::run_all(std::vector<std::function<void()>>& jobs) {
  if (jobs.empty()) return;
  {
    std::lock_guard lock(mutex_);
    for (auto& job : jobs) queue_.push_back(&job);
    unfinished_ += jobs.size();
  }
  work_.notify_all();
  std::unique_lock lock(mutex_);
  while (auto* job = take(lock)) {
    lock.unlock();
    (*job)();
    finished_one();
    lock.lock();
  }
  done_.wait(lock, [this] { return unfinished_ == 0; });
}

std::function<void()>* sync_workers::take(std::unique_lock<std::mutex>&) {
  if (queue_.empty()) return nullptr;
  auto* job = queue_.front();
  queue_.pop_front();
  return job;
}

void sync_workers::finished_one() {
  std::lock_guard lock(mutex_);
  if (--unfinished_ == 0) done_.notify_all();
}

void sync_workers::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    auto* job = take(lock);
    lock.unlock();
    (*job)();
    finished_one();
    lock.lock();
  }
}

}  // namespace sim::storage
