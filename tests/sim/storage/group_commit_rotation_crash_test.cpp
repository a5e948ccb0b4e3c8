// group_commit killed at every step of a run that rotates its journals
// early (past their first zeroed blocks, as a serve's first megabyte) and
// when full, checkpoints them, and stops.  One operation per batch, each
// acknowledged before the next is submitted, with values sized so that
// batches end 0 to 3 bytes before a block's end (fewer padding bytes than a
// record's magic: the next batch must still be read).  At each kill point,
// the store reopened on the directory as it is (kill -9) and on the disk a
// power loss would leave (crash_image.hpp) must give every name the value
// of its last acknowledged operation (or of the one in flight), and list
// exactly those names.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "sim/storage/file_store.hpp"
#include "sim/storage/journal.hpp"
#include "tests/sim/storage/crash_image.hpp"
#include "tests/sim/storage/outcome.hpp"

namespace fs = std::filesystem;
using sim::storage::commit_step;
using sim::storage::file_store;
using sim::storage::group_commit;
using sim::storage::journal_block;
using sim::testing::durable_image;
using sim::testing::run_now;
using sim::testing::start;

namespace {

constexpr std::size_t rotating_journal = 16 * journal_block;
constexpr std::size_t rotating_first = 4 * journal_block;

struct rotation_op {
  std::string name;
  std::optional<std::string> bytes;  // none: remove
};

// A value whose record fills `blocks` blocks but for `tail` bytes.
std::string sized(const std::string& name, std::size_t blocks, std::size_t tail, char fill) {
  return std::string(blocks * journal_block - sim::storage::journal_record_fixed - name.size() - tail, fill);
}

// A delivery's operations, eight times: the queue file, the mailbox file,
// the mailbox's record (one name, rewritten), the queue file's removal.
std::vector<rotation_op> rotation_script() {
  std::vector<rotation_op> ops;
  for (std::size_t i = 0; i < 8; ++i) {
    std::string queue = "queue/" + std::to_string(i), mbox = "mbox/bob/000" + std::to_string(i);
    char fill = static_cast<char>('a' + i);
    ops.push_back({queue, sized(queue, 1 + i % 2, i % 4, fill)});
    ops.push_back({mbox, sized(mbox, 1, (i + 1) % 4, fill)});
    ops.push_back({"mbox-meta/bob", "uidnext " + std::to_string(i + 1)});
    ops.push_back({queue, std::nullopt});
  }
  return ops;
}

// Every name the script touches must read back its last acknowledged
// value, or the in-flight operation's; list() must name exactly those
// present.  After a power loss, a removal acknowledged since the last sync
// may be undone (a removal rides the next batch's sync: remove()), giving
// the name back the value it had before.
void check_rotation_store(const fs::path& root, const std::vector<rotation_op>& ops, std::size_t acked,
                          bool power_loss) {
  file_store again(root, std::make_shared<group_commit>(root, group_commit::hook{}, rotating_journal, rotating_first));
  std::map<std::string, std::optional<std::string>> last, in_flight, undone;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (i < acked && !ops[i].bytes && power_loss) undone[ops[i].name] = last[ops[i].name];
    if (i < acked) last[ops[i].name] = ops[i].bytes;
    else last.emplace(ops[i].name, std::nullopt);
  }
  if (acked < ops.size()) in_flight[ops[acked].name] = ops[acked].bytes;
  auto listed = run_now(again.list(""));
  std::set<std::string> names(listed.begin(), listed.end());
  for (const auto& [name, want] : last) {
    INFO(name);
    auto got = run_now(again.get(name));
    auto other = in_flight.find(name);
    auto before = undone.find(name);
    bool ok = got == want || (other != in_flight.end() && got == other->second) ||
              (before != undone.end() && !want && got == before->second);
    CHECK(ok);
    CHECK(names.count(name) == (got ? 1u : 0u));
  }
  CHECK(names.size() <= last.size());
}

// Runs the script; the storage threads die at step `halt_at` (counting
// every step of both threads).  Returns the steps seen when they did not.
std::size_t run_rotation(const fs::path& root, std::size_t halt_at) {
  fs::remove_all(root);
  const auto ops = rotation_script();
  std::mutex m;
  durable_image image;
  std::size_t seen = 0;
  std::atomic<bool> dead{false};
  std::size_t acked = 0;
  {
    asio::io_context ctx;  // outlives the storage threads' parked operations
    auto commits = std::make_shared<group_commit>(
        root,
        [&](const commit_step& s) {
          std::lock_guard lock(m);
          image.see(s, root);
          if (seen++ == halt_at) {
            dead = true;
            throw group_commit::halt{};
          }
        },
        rotating_journal, rotating_first);
    {
      file_store store(root, commits);
      for (const auto& op : ops) {
        // Rotations at known points: no checkpoint or zeroing in progress.
        commits->wait_checkpoints();
        if (dead) break;
        auto out = start(ctx, op.bytes ? store.put(op.name, *op.bytes) : store.remove(op.name));
        ctx.restart();
        while (!out->done && !dead) ctx.run_for(std::chrono::milliseconds(1));
        ctx.poll();
        if (!out->done) break;
        REQUIRE_FALSE(out->error);
        ++acked;
      }
    }
    commits.reset();  // the stop: its checkpoint, unless the threads died
  }
  INFO("killed at step " << halt_at << ", " << acked << " operations acknowledged");
  if (!dead) {
    REQUIRE(acked == ops.size());
    check_rotation_store(root, ops, acked, false);
    return seen;
  }
  {
    std::lock_guard lock(m);
    fs::path power = root.native() + "-power";
    image.rebuild(root, power);
    check_rotation_store(power, ops, acked, true);
    fs::remove_all(power);
  }
  check_rotation_store(root, ops, acked, false);
  return 0;
}

}  // namespace

TEST_CASE("group_commit: a kill at any step of early and full rotations and their checkpoints loses nothing acknowledged") {
  fs::path root = sim::testing::crash_scratch("mailsim-group-commit-rotation");
  std::size_t steps = run_rotation(root, static_cast<std::size_t>(-1));
  // 24 puts of 3 steps each and 8 removals of 2 (no sync of their own),
  // then checkpoints: at least the early rotation's, a full one's and the
  // stop's.
  CHECK(steps > 24 * 3 + 8 * 2 + 3 * 3);
  for (std::size_t k = 0; k < steps; ++k) run_rotation(root, k);
  fs::remove_all(root);
}
