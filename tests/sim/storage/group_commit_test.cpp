// group_commit: operations waiting together share one batch and one sync
// of the journal; the journals rotate and checkpoint; opening replays them.
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
#include "sim/storage/journal.hpp"
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

TEST_CASE("group_commit: puts waiting together share one batch and one journal sync") {
  commit_dir dir("batch");
  gate g;
  bool first = true;
  auto commits = std::make_shared<group_commit>(dir.path, [&](const commit_step& s) {
    if (s.what == step_kind::journal_written && std::exchange(first, false)) g.hold_here();
  });
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
  CHECK(s.journal_syncs == 2);

  run_now(store.put("queue/A", "a2"));
  run_now(store.remove("queue/B"));
  s = commits->stats();
  CHECK(s.journal_syncs == 3);  // a batch of removals alone rides the next batch's sync
  CHECK(s.removes == 1);
  CHECK(s.batches == 4);
  CHECK(run_now(store.get("queue/A")) == std::optional<std::string>("a2"));
  CHECK(run_now(store.list("queue/")) == std::vector<std::string>{"queue/A", "queue/C", "queue/D", "queue/E", "queue/F"});
  // Nothing reached the files yet: the journal holds it all.
  CHECK(commits->stats().files_written == 0);
  CHECK_FALSE(fs::exists(dir.path / "spool" / "queue" / "B"));
}

TEST_CASE("group_commit: a stop writes the files, each name's last value once") {
  commit_dir dir("stop");
  std::shared_ptr<group_commit> commits;
  std::multiset<std::string> written, unlinked;
  {
    commits = std::make_shared<group_commit>(dir.path, [&](const commit_step& s) {
      if (s.what == step_kind::applied) written.insert(s.path.filename().native());
      if (s.what == step_kind::unlinked) unlinked.insert(s.path.filename().native());
    });
    file_store store(dir.path / "spool", commits);
    for (auto name : {"queue/A", "queue/B", "queue/C", "queue/D", "queue/E", "queue/F"}) run_now(store.put(name, name));
    run_now(store.put("queue/A", "a2"));
    run_now(store.remove("queue/B"));
    CHECK((written.empty() && unlinked.empty()));
    commits.reset();  // the store holds the last reference
  }
  // One write per name (A's second value only), B's removal an unlink that
  // finds nothing: it never reached the files.
  CHECK(written == std::multiset<std::string>{"A", "C", "D", "E", "F"});
  CHECK(unlinked == std::multiset<std::string>{"B"});
  std::ifstream a(dir.path / "spool" / "queue" / "A", std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(a), std::istreambuf_iterator<char>()) == "a2");
  CHECK_FALSE(fs::exists(dir.path / "spool" / "queue" / "B"));
  // The files are there as they are, and no temp file is left.
  std::ifstream in(dir.path / "spool" / "queue" / "C", std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) == "queue/C");
  for (const auto& e : fs::recursive_directory_iterator(dir.path / "spool"))
    CHECK_FALSE(e.path().filename().native().starts_with(".tmp-"));
}

TEST_CASE("group_commit: two puts of one name in one batch end with the later one") {
  commit_dir dir("same-name");
  gate g;
  bool first = true;
  auto commits = std::make_shared<group_commit>(dir.path, [&](const commit_step& s) {
    if (s.what == step_kind::journal_written && std::exchange(first, false)) g.hold_here();
  });
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
  // A file where the name's directory should be: the put cannot create it.
  std::ofstream(dir.path / "blocked") << "not a directory";
  CHECK_THROWS_AS(run_now(store.put("blocked/X", "x")), sim::storage::store_error);
  run_now(store.put("queue/B", "b"));
  CHECK(run_now(store.list("queue/")) == std::vector<std::string>{"queue/A", "queue/B"});
}

TEST_CASE("group_commit: the journals rotate and checkpoint, and a clean stop leaves them empty") {
  commit_dir dir("rotate");
  std::string value(1000, 'v');
  {
    // Two blocks a journal: every second put moves to the other journal.
    auto commits = std::make_shared<group_commit>(dir.path, group_commit::hook{}, 2 * sim::storage::journal_block);
    file_store store(dir.path, commits);
    for (int i = 0; i < 20; ++i) run_now(store.put("queue/" + std::to_string(i), value + std::to_string(i)));
    for (int i = 0; i < 20; i += 2) run_now(store.remove("queue/" + std::to_string(i)));
    CHECK(commits->stats().checkpoints >= 10);
    auto names = run_now(store.list("queue/"));
    CHECK(names.size() == 10);
    CHECK(run_now(store.get("queue/19")) == std::optional<std::string>(value + "19"));
  }
  for (int i = 0; i < 2; ++i) {
    sim::storage::journal_file j(dir.path / (".journal-" + std::to_string(i)));
    CHECK_FALSE(j.header().live);
  }
  file_store again(dir.path);
  CHECK(again.commits().stats().replayed == 0);
  CHECK(run_now(again.list("queue/")).size() == 10);
}

// A checkpoint keeps the files it removes as spares and renames them to
// its new names (ext4 without a journal makes every new inode costly):
// each name still holds exactly its own value, and a clean stop, like an
// opening, leaves no spare behind.
TEST_CASE("group_commit: removed files lend their inodes to new names and no spare outlives a run") {
  commit_dir dir("spares");
  std::string value(1000, 'v');
  auto spares = [&] {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir.path)) n += e.path().filename().native().starts_with(".spare-");
    return n;
  };
  {
    auto commits = std::make_shared<group_commit>(dir.path, group_commit::hook{}, 2 * sim::storage::journal_block);
    file_store store(dir.path, commits);
    for (int i = 0; i < 10; ++i) run_now(store.put("mbox/" + std::to_string(i), value + std::to_string(i)));
    for (int i = 0; i < 8; ++i) {
      run_now(store.remove("mbox/" + std::to_string(i)));
      run_now(store.put("mbox/new/" + std::to_string(i), "short " + std::to_string(i)));
    }
    auto s = commits->stats();
    CHECK(s.files_removed >= 6);
    CHECK(s.files_reused >= 5);
    CHECK(run_now(store.list("mbox/")) == std::vector<std::string>{"mbox/8", "mbox/9", "mbox/new/0", "mbox/new/1",
                                                                   "mbox/new/2", "mbox/new/3", "mbox/new/4", "mbox/new/5",
                                                                   "mbox/new/6", "mbox/new/7"});
  }
  CHECK(spares() == 0);
  for (int i = 0; i < 8; ++i) {
    CHECK_FALSE(fs::exists(dir.path / "mbox" / std::to_string(i)));
    std::ifstream in(dir.path / "mbox" / "new" / std::to_string(i), std::ios::binary);
    std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(got == "short " + std::to_string(i));  // a spare's old, longer bytes are gone
  }
  std::ofstream(dir.path / ".spare-7") << "left by a crash";
  file_store again(dir.path);
  CHECK(spares() == 0);
  CHECK(run_now(again.get("mbox/9")) == std::optional<std::string>(value + "9"));
}

TEST_CASE("group_commit: opening replays a live journal over the files, up to its torn tail") {
  commit_dir dir("replay");
  fs::create_directories(dir.path / "queue");
  std::ofstream(dir.path / "queue" / "A") << "torn";  // its put was acknowledged, its file lost
  std::ofstream(dir.path / "queue" / "B") << "removed, but the unlink was lost";
  {
    sim::storage::journal_file j(dir.path / ".journal-1");
    j.begin(5);
    std::string batch;
    sim::storage::encode_record(batch, 5, sim::storage::journal_record::kind::put, "queue/A", "whole A");
    sim::storage::encode_record(batch, 5, sim::storage::journal_record::kind::remove, "queue/B", "");
    sim::storage::encode_record(batch, 5, sim::storage::journal_record::kind::put, "mbox/bob/0001", "for bob");
    sim::storage::pad_to_block(batch);
    std::string torn;
    sim::storage::encode_record(torn, 5, sim::storage::journal_record::kind::put, "queue/C", "never acknowledged");
    batch += torn.substr(0, torn.size() - 3);
    j.append(batch);
    j.sync();
  }
  file_store store(dir.path);
  CHECK(store.commits().stats().replayed == 3);
  CHECK(run_now(store.get("queue/A")) == std::optional<std::string>("whole A"));
  CHECK(run_now(store.get("queue/B")) == std::nullopt);
  CHECK(run_now(store.get("queue/C")) == std::nullopt);
  CHECK(run_now(store.get("mbox/bob/0001")) == std::optional<std::string>("for bob"));
  // Replayed and checkpointed: the journal is empty, and new records take a newer generation.
  CHECK_FALSE(sim::storage::journal_file(dir.path / ".journal-1").header().live);
  run_now(store.put("queue/D", "d"));
  CHECK(sim::storage::journal_file(dir.path / ".journal-0").header().generation > 5);
}

TEST_CASE("group_commit: a kill while replaying, then opening again, gives the same files") {
  commit_dir dir("replay-kill");
  fs::create_directories(dir.path);
  {
    sim::storage::journal_file j(dir.path / ".journal-0");
    j.begin(2);
    std::string batch;
    for (int i = 0; i < 4; ++i)
      sim::storage::encode_record(batch, 2, sim::storage::journal_record::kind::put, "queue/" + std::to_string(i),
                                  "value " + std::to_string(i));
    sim::storage::pad_to_block(batch);
    j.append(batch);
    j.sync();
  }
  for (auto stop : {step_kind::applied, step_kind::files_synced, step_kind::journal_reset}) {
    INFO("killed at step " << static_cast<int>(stop));
    int seen = 0;
    CHECK_THROWS_AS(group_commit(dir.path,
                                 [&](const commit_step& s) {
                                   if (s.what == stop && ++seen == 2 - (stop != step_kind::applied)) throw group_commit::halt{};
                                 }),
                    group_commit::halt);
  }
  file_store store(dir.path);
  for (int i = 0; i < 4; ++i)
    CHECK(run_now(store.get("queue/" + std::to_string(i))) == std::optional<std::string>("value " + std::to_string(i)));
}
