// group_commit: operations waiting together share one batch and its syncs;
// a kill at any step of a batch loses nothing that was acknowledged, even
// when the page cache is lost with it.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include "sim/storage/file_store.hpp"
#include "tests/sim/storage/outcome.hpp"

namespace fs = std::filesystem;
using sim::storage::commit_step;
using sim::storage::file_store;
using sim::storage::group_commit;
using sim::testing::run_now;
using sim::testing::start;
using step_kind = commit_step::kind;

namespace {

struct commit_dir {
  fs::path path;
  explicit commit_dir(std::string_view test)
      : path(fs::temp_directory_path() / ("mailsim-group-commit-" + std::string(test) + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~commit_dir() { fs::remove_all(path); }
};

// Holds the storage thread inside its first batch until opened, so that
// everything submitted meanwhile forms the next batch.
struct gate {
  std::mutex m;
  std::condition_variable cv;
  bool held = false, open = false;
  void hold_here() {
    std::unique_lock lock(m);
    held = true;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
  }
  void wait_held() {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return held; });
  }
  void release() {
    std::lock_guard lock(m);
    open = true;
    cv.notify_all();
  }
};

}  // namespace

TEST_CASE("group_commit: puts waiting together share one batch, one fdatasync each, one fsync per directory") {
  commit_dir dir("batch");
  gate g;
  bool first = true;
  auto commits = std::make_shared<group_commit>(
      [&](const commit_step& s) {
        if (s.what == step_kind::wrote && std::exchange(first, false)) g.hold_here();
      },
      1);
  file_store store(dir.path / "spool", commits);
  asio::io_context ctx;
  auto a = start(ctx, store.put("queue/A", "a"));
  ctx.poll();
  g.wait_held();  // batch 1 (A) is on the disk; B..F gather
  std::vector<std::shared_ptr<sim::testing::outcome<sim::testing::done_marker>>> rest;
  for (auto name : {"queue/B", "queue/C", "queue/D", "queue/E", "queue/F"}) rest.push_back(start(ctx, store.put(name, name)));
  ctx.poll();
  g.release();
  ctx.run();
  for (auto& r : rest) CHECK(r->done);
  CHECK(a->done);
  auto s = commits->stats();
  CHECK(s.batches == 2);
  CHECK(s.puts == 6);
  CHECK(s.file_syncs == 6);
  // Batch 1: "queue" is new in the root, "A" is new in "queue", and the root's
  // parent (the store was just opened); batch 2: only "queue".
  CHECK(s.directory_syncs == 3);

  // A replacement syncs its directory (the new value must be durable); a
  // removal syncs nothing.
  run_now(store.put("queue/A", "a2"));
  run_now(store.remove("queue/B"));
  s = commits->stats();
  CHECK(s.file_syncs == 7);
  CHECK(s.directory_syncs == 4);
  CHECK(s.removes == 1);
  CHECK(run_now(store.get("queue/A")) == std::optional<std::string>("a2"));
  CHECK(run_now(store.list("queue/")) == std::vector<std::string>{"queue/A", "queue/C", "queue/D", "queue/E", "queue/F"});
}

TEST_CASE("group_commit: two puts of one name in one batch end with the later one") {
  commit_dir dir("same-name");
  gate g;
  bool first = true;
  auto commits = std::make_shared<group_commit>(
      [&](const commit_step& s) {
        if (s.what == step_kind::wrote && std::exchange(first, false)) g.hold_here();
      },
      1);
  file_store store(dir.path, commits);
  asio::io_context ctx;
  start(ctx, store.put("queue/GATE", "g"));
  ctx.poll();
  g.wait_held();
  auto one = start(ctx, store.put("queue/X", "first"));
  auto two = start(ctx, store.put("queue/X", "second"));
  auto gone = start(ctx, store.remove("queue/GATE"));
  ctx.poll();
  g.release();
  ctx.run();
  CHECK((one->done && two->done && gone->done));
  CHECK(sim::testing::run_now(store.get("queue/X")) == std::optional<std::string>("second"));
  CHECK_FALSE(fs::exists(dir.path / "queue" / "GATE"));
  CHECK(commits->stats().batches == 2);
}

TEST_CASE("group_commit: a failed write fails its own put only") {
  commit_dir dir("failure");
  file_store store(dir.path);
  run_now(store.put("queue/A", "a"));
  // A directory where the name's directory should be: the put cannot create it.
  std::ofstream(dir.path / "blocked") << "not a directory";
  CHECK_THROWS_AS(run_now(store.put("blocked/X", "x")), sim::storage::store_error);
  run_now(store.put("queue/B", "b"));
  CHECK(run_now(store.list("queue/")) == std::vector<std::string>{"queue/A", "queue/B"});
}

TEST_CASE("group_commit: a batch does not wait for the one before it, unless they share a name") {
  commit_dir dir("concurrent");
  gate g;
  std::atomic<bool> first{false};
  auto commits = std::make_shared<group_commit>(
      [&](const commit_step& s) {
        bool slow = s.path.filename().native().find("SLOW") != std::string::npos;
        if (s.what == step_kind::wrote && slow && first.exchange(false)) g.hold_here();
      },
      2);
  file_store store(dir.path, commits);
  run_now(store.put("queue/SLOW", "first"));  // the directory exists before the test
  first = true;
  asio::io_context ctx;
  auto slow = start(ctx, store.put("queue/SLOW", "second"));  // held on the disk
  ctx.poll();
  g.wait_held();
  auto fast = start(ctx, store.put("queue/FAST", "f"));
  auto same = start(ctx, store.put("queue/SLOW", "third"));  // must wait for "second"
  while (!fast->done) ctx.run_one_for(std::chrono::milliseconds(10));
  CHECK_FALSE(slow->done);
  CHECK_FALSE(same->done);
  g.release();
  ctx.run();
  CHECK((slow->done && same->done));
  CHECK(run_now(store.get("queue/SLOW")) == std::optional<std::string>("third"));
}
