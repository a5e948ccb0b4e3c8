// sim/storage/sync_workers.hpp - a few threads that run blocking calls side by side.
//
// A committer hands them a batch's syncs at once.  Syncs issued together
// let the file system carry them in one journal commit; issued one after
// another, each waits for a commit of its own, which on a busy disk costs
// milliseconds apiece (Postfix gets the same overlap from its many
// processes).  Several committers may use the workers at the same time.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sim::storage {

class sync_workers {
 public:
  explicit sync_workers(std::size_t threads);
  ~sync_workers();
  sync_workers(const sync_workers&) = delete;
  sync_workers& operator=(const sync_workers&) = delete;

  // Calls every job once, on the workers and on the calling thread; returns
  // when all are done.  Jobs must not throw.  Up to `inline_jobs` run on the
  // calling thread alone.
  void run_all(std::vector<std::function<void()>>& jobs);
  static constexpr std::size_t inline_jobs = 2;

 private:
  struct group {
    std::size_t unfinished = 0;
    std::condition_variable done;
  };
  struct task {
    std::function<void()>* job;
    group* owner;
  };
  void run(task t, std::unique_lock<std::mutex>& lock);
  void work();

  std::mutex mutex_;
  std::condition_variable work_;
  std::deque<task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sim::storage
