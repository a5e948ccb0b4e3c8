// group_commit under a kill at every step of a batch, from the first write
// to the moment its waiters resume (where the 250 would be sent).  At each
// kill point two crashes are checked:
//   - kill -9: the page cache survives; the store reopened on the real
//     directory must give back every acknowledged put;
//   - power loss: the page cache is lost too.  A model replays the steps
//     the storage thread reported and keeps only what POSIX promises to be
//     durable (file data after fdatasync, a directory's entries after fsync
//     on it); every acknowledged put must survive in it, and no name that
//     may survive may point at data that was never synced.
#include <unistd.h>

#include <catch2/catch.hpp>
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
using sim::testing::start;
using step_kind = commit_step::kind;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What a power loss keeps, after the steps seen so far.  A directory's
// entries map names to "file:<temp path>" (an inode) or "dir:<path>".
class power_loss_model {
 public:
  explicit power_loss_model(fs::path root) : root_(std::move(root)) {}

  void apply(const commit_step& s, const std::string& data) {
    log_.push_back(std::to_string(static_cast<int>(s.what)) + " " + s.path.native() + " " + s.from.native());
    auto dir = s.path.parent_path().native();
    auto name = s.path.filename().native();
    switch (s.what) {
      case step_kind::made_directory: current_[dir][name] = "dir:" + s.path.native(); break;
      case step_kind::wrote:
        current_[dir][name] = "file:" + s.path.native();
        contents_["file:" + s.path.native()] = data;
        break;
      case step_kind::synced_file: synced_.insert("file:" + s.path.native()); break;
      case step_kind::renamed: {
        auto& entries = current_[dir];
        auto from = s.from.filename().native();
        entries[name] = entries.at(from);
        entries.erase(from);
        break;
      }
      case step_kind::unlinked: current_[dir].erase(name); break;
      case step_kind::synced_directory: durable_[s.path.native()] = current_[s.path.native()]; break;
      case step_kind::completing: break;
    }
  }

  // The content a name has after a power loss, if it surely survives.
  std::optional<std::string> surviving(const std::string& name) const {
    fs::path at = root_;
    fs::path rel(name);
    for (auto it = rel.begin(); it != rel.end(); ++it) {
      auto d = durable_.find(at.native());
      if (d == durable_.end()) return std::nullopt;
      auto e = d->second.find(it->native());
      if (e == d->second.end()) return std::nullopt;
      at /= *it;
      if (std::next(it) == rel.end()) {
        if (!synced_.count(e->second)) return std::nullopt;
        return contents_.at(e->second);
      }
    }
    return std::nullopt;
  }

  // Names (durable or not yet), temp files aside, that point at a file
  // whose data is not synced: a crash could leave them on partial data.
  std::vector<std::string> torn_names() const {
    std::vector<std::string> out;
    for (const auto* view : {&durable_, &current_})
      for (const auto& [dir, entries] : *view)
        for (const auto& [name, inode] : entries)
          if (inode.starts_with("file:") && !name.starts_with(".") && !synced_.count(inode))
            out.push_back(dir + "/" + name);
    return out;
  }

  // Every step seen, for the message of a failed check.
  const std::vector<std::string>& log() const { return log_; }

 private:
  fs::path root_;
  std::vector<std::string> log_;
  std::map<std::string, std::map<std::string, std::string>> current_, durable_;
  std::set<std::string> synced_;
  std::map<std::string, std::string> contents_;
};

struct kill_point {
  std::size_t halt_at;  // index of the step of the batch under test after which the thread dies
  std::vector<commit_step> batch_steps;
  bool halted = false;
};

struct put_or_remove {
  std::string name;
  std::optional<std::string> bytes;  // none: remove
};

const std::vector<put_or_remove> before = {{"queue/OLD", "old"}, {"queue/KEEP", "keep"}};
const std::vector<put_or_remove> batch = {
    {"queue/A", "message A"}, {"mbox/bob/0001", "filed for bob"}, {"queue/OLD", "old, second version"}, {"queue/KEEP", {}}};

// Runs `before` to completion, then `batch` as one batch that dies after
// its step number `point.halt_at`; checks both crashes.
void run_and_check(const fs::path& root, kill_point& point) {
  fs::remove_all(root);
  power_loss_model model(root);
  std::mutex m;
  std::condition_variable cv;
  bool gate_held = false, gate_open = false, under_test = false;
  auto hook = [&](const commit_step& s) {
    std::string data;
    if (s.what == step_kind::wrote) data = read_file(s.path);
    std::unique_lock lock(m);
    model.apply(s, data);
    if (!under_test) {
      // The gate batch (queue/GATE) holds the thread until `batch` is all
      // submitted; the batch under test starts with its first write.
      bool gate_step = s.path.filename().native().find("GATE") != std::string::npos;
      if (s.what == step_kind::wrote && gate_step) {
        gate_held = true;
        cv.notify_all();
        cv.wait(lock, [&] { return gate_open; });
        return;
      }
      bool starts = s.what == step_kind::made_directory || (s.what == step_kind::wrote && !gate_step);
      if (!(gate_open && starts)) return;
      under_test = true;
    }
    point.batch_steps.push_back(s);
    if (point.batch_steps.size() - 1 == point.halt_at) {
      point.halted = true;
      throw group_commit::halt{};
    }
  };
  asio::io_context ctx;
  {
    // One committer: the batch under test runs alone, so its steps come in
    // the same order every time and each kill point is the same state.
    file_store store(root, std::make_shared<group_commit>(hook, 1));
    for (const auto& op : before) {
      auto out = start(ctx, store.put(op.name, *op.bytes));
      ctx.restart();
      ctx.run();
      REQUIRE(out->done);
    }
    start(ctx, store.put("queue/GATE", "gate"));
    ctx.restart();
    ctx.poll();
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return gate_held; });
    }
    std::vector<std::shared_ptr<sim::testing::outcome<sim::testing::done_marker>>> outs;
    for (const auto& op : batch)
      outs.push_back(start(ctx, op.bytes ? store.put(op.name, *op.bytes) : store.remove(op.name)));
    ctx.poll();
    {
      std::lock_guard lock(m);
      gate_open = true;
      cv.notify_all();
    }
    // Until the batch completed, or the thread died (its waiters then
    // stay suspended for good, so run() would never return).
    auto dead = [&] {
      std::lock_guard lock(m);
      return point.halted;
    };
    ctx.restart();
    while (!outs.back()->done && !dead()) ctx.run_for(std::chrono::milliseconds(2));
    ctx.poll();
    // The puts' waiters resume first, the removal's after its unlink.
    bool acknowledged = outs.front()->done;
    for (std::size_t k = 0; k + 1 < outs.size(); ++k) REQUIRE(outs[k]->done == acknowledged);
    REQUIRE((!outs.back()->done || acknowledged));
    INFO("killed after step " << point.halt_at << (acknowledged ? " (puts acknowledged)" : ""));

    // Power loss: everything acknowledged survives, and no name is torn.
    std::lock_guard lock(m);
    auto torn = model.torn_names();
    for (const auto& t : torn) UNSCOPED_INFO("torn: " << t);
    if (!torn.empty())
      for (const auto& line : model.log()) UNSCOPED_INFO("step " << line);
    CHECK(torn.empty());
    CHECK(model.surviving("queue/GATE") == std::optional<std::string>("gate"));
    auto old = model.surviving("queue/OLD");
    CHECK((old == std::optional<std::string>("old") || old == std::optional<std::string>("old, second version")));
    if (acknowledged) {
      CHECK(old == std::optional<std::string>("old, second version"));
      CHECK(model.surviving("queue/A") == std::optional<std::string>("message A"));
      CHECK(model.surviving("mbox/bob/0001") == std::optional<std::string>("filed for bob"));
    }
  }
  // kill -9: the store reopened on what is on the disk now.
  file_store again(root);
  auto get = [&](const std::string& name) { return sim::testing::run_now(again.get(name)); };
  CHECK(get("queue/GATE") == std::optional<std::string>("gate"));
  if (!point.halted) {
    CHECK(get("queue/A") == std::optional<std::string>("message A"));
    CHECK(get("mbox/bob/0001") == std::optional<std::string>("filed for bob"));
    CHECK(get("queue/OLD") == std::optional<std::string>("old, second version"));
    CHECK(get("queue/KEEP") == std::nullopt);
  }
  for (const auto& name : sim::testing::run_now(again.list(""))) CHECK(get(name).has_value());
}

}  // namespace

TEST_CASE("group_commit: a kill at any step of a batch loses nothing acknowledged, with or without the page cache") {
  fs::path root = fs::temp_directory_path() / ("mailsim-group-commit-crash-" + std::to_string(::getpid()));
  kill_point whole{static_cast<std::size_t>(-1), {}};
  run_and_check(root, whole);
  REQUIRE_FALSE(whole.halted);
  // The batch under test: two new directories, three temp files written,
  // synced, then renamed over their names (two new, one replacement), the
  // two directories that gained a subdirectory synced in the first wave and
  // the two that a rename changed in the second, the puts' waiters
  // resuming, a removal, its waiter.
  std::size_t steps = whole.batch_steps.size();
  CHECK(steps == 18);
  for (std::size_t k = 0; k < steps; ++k) {
    kill_point point{k, {}};
    run_and_check(root, point);
    CHECK(point.halted);
  }
  fs::remove_all(root);
}
