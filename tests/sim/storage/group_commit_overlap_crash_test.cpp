// group_commit with two batches in flight at once (the two committers
// overlap their journal syncs), killed at every step.  Batch A (queue/A)
// is appended; batch B (queue/B, and the removal of
// queue/OLD) is appended behind it and synced while A's sync has returned
// but A has not completed; then A completes, then B (in turn), then the
// stop checkpoints.  At each kill point: B is never acknowledged before A,
// and every acknowledged put is there after a kill -9 and after a power
// loss (crash_image.hpp: a sync covers only the journal's bytes appended
// before it).
#include <catch2/catch.hpp>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "sim/storage/file_store.hpp"
#include "tests/sim/storage/crash_image.hpp"
#include "tests/sim/storage/outcome.hpp"

namespace fs = std::filesystem;
using sim::storage::commit_step;
using sim::storage::file_store;
using sim::storage::group_commit;
using sim::testing::run_now;
using sim::testing::start;
using overlap_step = commit_step::kind;

namespace {

constexpr std::size_t overlap_journal = 16 * sim::storage::journal_block;

void check_overlap_store(const fs::path& root, bool a_acked, bool b_acked) {
  file_store again(root, std::make_shared<group_commit>(root, group_commit::hook{}, overlap_journal));
  using opt = std::optional<std::string>;
  auto get = [&](const std::string& name) { return run_now(again.get(name)); };
  auto a = get("queue/A"), b = get("queue/B"), old = get("queue/OLD");
  CHECK((a == std::nullopt || a == opt("message A")));
  CHECK((b == std::nullopt || b == opt("message B")));
  CHECK((old == std::nullopt || old == opt("old")));  // a removal may be undone
  CHECK(get("queue/BEFORE") == opt("before"));
  if (a_acked) CHECK(a == opt("message A"));
  if (b_acked) CHECK(b == opt("message B"));
}

// The steps, in this order: A written (0), B written (1), B synced (2), A
// synced (3: held until B's sync returned), A completing (4), B completing
// (5), then the stop's checkpoint.  Returns the steps seen when not killed.
std::size_t run_overlap(const fs::path& root, std::size_t halt_at) {
  fs::remove_all(root);
  std::mutex m;
  std::condition_variable cv;
  sim::testing::durable_image image;
  std::size_t seen = 0, written = 0, a_end = 0;
  bool a_held = false, b_submitted = false, b_synced = false, dead = false, counting = false;
  auto hook = [&](const commit_step& s) {
    std::unique_lock lock(m);
    if (!counting) return;
    if (s.what == overlap_step::journal_written && written++ == 0) {
      a_end = s.end;
      a_held = true;  // A's committer holds the appending until B is submitted
      cv.notify_all();
      cv.wait(lock, [&] { return b_submitted; });
    }
    if (s.what == overlap_step::journal_synced && s.end == a_end) {
      cv.wait(lock, [&] { return b_synced || dead; });  // A's sync returned: it waits for B's
      if (dead) throw group_commit::halt{};
    }
    image.see(s, root);
    if (seen++ == halt_at) {
      dead = true;
      cv.notify_all();
      throw group_commit::halt{};
    }
    if (s.what == overlap_step::journal_synced && s.end > a_end) b_synced = true;
    cv.notify_all();
  };
  bool a_acked = false, b_acked = false;
  {
    asio::io_context ctx;  // outlives the storage threads' parked operations
    auto commits = std::make_shared<group_commit>(root, hook, overlap_journal);
    {
      file_store store(root, commits);
      run_now(store.put("queue/BEFORE", "before"));
      run_now(store.put("queue/OLD", "old"));
      {
        std::lock_guard lock(m);
        counting = true;
      }
      auto a1 = start(ctx, store.put("queue/A", "message A"));
      ctx.poll();
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return a_held; });
      }
      auto b1 = start(ctx, store.put("queue/B", "message B"));
      auto b2 = start(ctx, store.remove("queue/OLD"));
      ctx.poll();
      {
        std::lock_guard lock(m);
        b_submitted = true;
      }
      cv.notify_all();
      auto is_dead = [&] {
        std::lock_guard lock(m);
        return dead;
      };
      ctx.restart();
      while (!(b1->done && b2->done) && !is_dead()) ctx.run_for(std::chrono::milliseconds(1));
      ctx.poll();
      a_acked = a1->done;
      b_acked = b1->done && b2->done;
      CHECK(b1->done == b2->done);
    }
    commits.reset();  // the stop: its checkpoint, unless the threads died
  }
  INFO("killed at step " << halt_at << (a_acked ? ", A acknowledged" : "") << (b_acked ? ", B acknowledged" : ""));
  CHECK((a_acked || !b_acked));  // in turn
  std::lock_guard lock(m);
  if (dead) {
    fs::path power = root.native() + "-power";
    image.rebuild(root, power);
    check_overlap_store(power, a_acked, b_acked);
    fs::remove_all(power);
  }
  check_overlap_store(root, a_acked, b_acked);
  return dead ? 0 : seen;
}

}  // namespace

TEST_CASE("group_commit: a kill at any step of two batches in flight at once loses nothing acknowledged") {
  fs::path root = sim::testing::crash_scratch("mailsim-group-commit-overlap");
  std::size_t steps = run_overlap(root, static_cast<std::size_t>(-1));
  // Six steps of the two batches, then the stop's checkpoint: three files
  // written (BEFORE, A, B), OLD unlinked, the syncfs started and done, the
  // journal emptied.
  CHECK(steps == 6 + 7);
  for (std::size_t k = 0; k < steps; ++k) CHECK(run_overlap(root, k) == 0);
  fs::remove_all(root);
}
