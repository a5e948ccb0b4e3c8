// sim/storage/group_commit_journal.cpp - what a batch does on the disk, checkpoints, replay.
//
// The rules, for every put acknowledged to survive a power loss (the page
// cache gone) and not only a kill -9:
//   - a file's data is durable only after fdatasync (or syncfs) covers it;
//   - a name created, renamed or removed is durable only after its
//     directory is synced (or syncfs covers it).
// The journal is the truth: an operation is acknowledged once its record
// is synced in it.  The files follow lazily: a journal's pending index (the
// latest value of each name it holds) is written to them, without syncs,
// when the journal is checkpointed, and the journal is emptied only after a
// syncfs has made those files durable.  So after any crash, the files plus
// the live journals (replayed over them, oldest first) hold every
// acknowledged operation.  A file that a crash tore (files are rewritten in
// place) is rewritten by the replay, since its record is still there.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "sim/storage/group_commit_operation.hpp"

namespace sim::storage {

namespace fs = std::filesystem;

namespace {

std::exception_ptr failure(int error, const std::string& what, const fs::path& path) {
  return std::make_exception_ptr(store_error(std::error_code(error, std::system_category()), what + " " + path.string()));
}

[[noreturn]] void fail(int error, const std::string& what, const fs::path& path) {
  std::rethrow_exception(failure(error, what, path));
}

}  // namespace

// Step 1 (group_commit.hpp), with append_mutex_ held: the batch's records
// appended to the live journal.  The files are not touched: the pending
// index serves reads until the journal's checkpoint writes them.  An
// operation that cannot be written (its directory cannot be made, a bad
// path) fails alone; a failed journal write fails the batch and every
// later operation.
group_commit::written group_commit::append_batch(batch& ops, std::uint64_t seq) {
  ++batches_;
  written w;
  w.seq = seq;
  std::size_t size = 0;
  validate(ops, w.paths, size);
  if (size == 0) return w;
  try {
    // A batch that moves to the other journal takes that journal's generation.
    rotate((size + journal_block - 1) / journal_block * journal_block, seq);
    buffer_.clear();
    for (std::size_t i = 0; i < ops.size(); ++i) {
      auto& op = ops[i];
      if (op->error) continue;
      if (op->is_put) ++puts_;
      else ++removes_;
      w.puts = w.puts || op->is_put;
      encode_record(buffer_, generation_, op->is_put ? journal_record::kind::put : journal_record::kind::remove,
                    w.paths[i], op->bytes);
    }
    write_batch();
    w.journal = journals_[live_].get();
    w.end = w.journal->used();
  } catch (const store_error&) {
    break_with(ops, std::current_exception());
  }
  return w;
}

// A failed append or sync: the batch's operations fail with it, and so does
// every later one (broken_).
void group_commit::break_with(batch& ops, std::exception_ptr e) {
  for (auto& op : ops)
    if (!op->error) op->error = e;
  std::lock_guard lock(mutex_);
  broken_ = e;
}

// Each operation's path (relative to dir_) and whether it can be written;
// `size`: the records' bytes of those that can.
void group_commit::validate(batch& ops, std::vector<std::string>& paths, std::size_t& size) {
  std::exception_ptr broken;
  {
    std::lock_guard lock(mutex_);
    broken = broken_;
  }
  paths.resize(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    auto& op = ops[i];
    const auto& d = op->dir.native();
    bool under = d == dir_.native() || (d.starts_with(dir_.native()) && d[dir_.native().size()] == '/');
    paths[i] = d == dir_.native() ? op->name : d.substr(dir_.native().size() + 1) + "/" + op->name;
    if (broken) op->error = broken;
    else if (!under || paths[i].size() > 65535 || op->bytes.size() > UINT32_MAX) op->error = failure(EINVAL, "store", op->dir / op->name);
    else if (!make_directory(op->dir)) op->error = failure(errno, "mkdir", op->dir);
    if (!op->error) size += journal_record_fixed + paths[i].size() + op->bytes.size();
  }
}

// Step 2, without append_mutex_: one fdatasync (through this committer's
// own descriptor), while the other committer may append the next batch.
// It covers every byte appended before it started: this batch's and every
// earlier one's (a batch of removals alone, which has no sync of its own,
// included).
void group_commit::sync_batch(batch& ops, const written& w, std::size_t syncer) {
  if (!w.journal || !w.puts) return;  // removals alone ride the next sync (remove())
  try {
    w.journal->sync(syncer);
    ++journal_syncs_;
  } catch (const store_error&) {
    break_with(ops, std::current_exception());
    return;
  }
  step(commit_step::kind::journal_synced, w.journal->path(), w.end);
}

// Steps 3 and 4, in turn: only once every earlier batch has completed.  A
// failed sync (of this batch, an earlier or a concurrent one) fails every
// operation not yet completed: the kernel may have dropped pages that an
// earlier batch's records were in, and the replay stops at the first
// record that is not whole.
void group_commit::finish_batch(batch& ops, written& w) {
  {
    std::unique_lock lock(mutex_);
    wait_turn(lock, w.seq);
    if (broken_)
      for (auto& op : ops)
        if (!op->error) op->error = broken_;
  }
  index_batch(ops, w.paths);
  step(commit_step::kind::completing, {});
  complete(ops);
}

// Step 3: the batch's durable operations in the live journal's index, each
// replacing what the name had there (a removal keeps no value).
void group_commit::index_batch(batch& ops, std::vector<std::string>& paths) {
  std::lock_guard lock(index_mutex_);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    auto& op = *ops[i];
    if (op.error) continue;
    auto& entry = index_[std::move(paths[i])];
    entry.present = op.is_put;
    if (op.is_put) entry.bytes = std::move(op.bytes);
    else std::string().swap(entry.bytes);
  }
}

// The batch's records (whole blocks) appended to the live journal: the
// one they were encoded for (rotate() came first).
void group_commit::write_batch() {
  pad_to_block(buffer_);
  auto& j = *journals_[live_];
  j.append(buffer_);
  step(commit_step::kind::journal_written, j.path(), j.used());
}

// Moves to the other journal when this batch would not fit in the live one
// (or would go past its zeroed blocks while the other is ready), handing
// the live one, with its pending index, to the checkpoint thread.  A full
// journal waits for the other one's checkpoint; every earlier batch (on the
// journal handed over) completes first, so that the index handed over
// holds all of that journal's records.
void group_commit::rotate(std::size_t batch_bytes, std::uint64_t seq) {
  auto* j = journals_[live_].get();
  std::size_t after = j->used() + batch_bytes;
  if (j->used() <= journal_block) return;  // an empty journal takes any batch
  bool full = after > journal_bytes_;
  if (!full && after <= j->prepared()) return;
  std::unique_lock lock(mutex_);
  if (!full && to_checkpoint_) return;  // appended past the zeros: slower, still correct
  checkpoint_wake_.wait(lock, [this] { return halted_ || broken_ || !to_checkpoint_; });
  if (halted_) throw halt{};
  if (broken_) std::rethrow_exception(broken_);
  wait_turn(lock, seq);
  if (broken_) std::rethrow_exception(broken_);
  {
    // The index goes over before the journal does: the checkpoint thread
    // may take the journal (and write, then forget, applying_) as soon as
    // to_checkpoint_ is set.  The previous checkpoint emptied applying_
    // before it let go of its journal.
    std::lock_guard index_lock(index_mutex_);
    applying_ = std::move(index_);
    index_.clear();
  }
  to_checkpoint_ = j;
  lock.unlock();
  checkpoint_wake_.notify_all();
  live_ ^= 1;
  journals_[live_]->begin(++generation_);
}

bool group_commit::stop_preparing() {
  std::lock_guard lock(mutex_);
  return committer_done_ || halted_;
}

// The checkpoint thread: writes the pending index of a journal the
// committer left to the files, makes them durable, empties the journal,
// and writes its zeros for the next use.
void group_commit::run_checkpointer() {
  for (;;) {
    journal_file* j = nullptr;
    {
      std::unique_lock lock(mutex_);
      checkpoint_wake_.wait(lock, [this] { return halted_ || (to_checkpoint_ && !broken_) || committer_done_; });
      if (halted_ || !to_checkpoint_ || broken_) return;
      j = to_checkpoint_;
    }
    try {
      if (j->header().live) checkpoint(*j, applying_);
      // first_bytes_ (a megabyte) at a time, so that a stop does not wait for all of it.
      for (auto size = j->prepared(); size < journal_bytes_ && !stop_preparing(); size += first_bytes_)
        j->prepare(std::min(journal_bytes_, size + first_bytes_));
    } catch (const halt&) {
      batch none;
      park(none);
      return;
    } catch (const store_error&) {
      std::lock_guard lock(mutex_);
      broken_ = std::current_exception();
      checkpoint_wake_.notify_all();
      return;
    }
    {
      std::lock_guard lock(mutex_);
      to_checkpoint_ = nullptr;
    }
    checkpoint_wake_.notify_all();
  }
}

// The journal's pending index written to the files; syncfs makes all of
// them (data and names) durable at once, and only then may the journal
// forget them.  The spool is one file system.  `entries` stays readable
// (by get() and list()) until then.
void group_commit::checkpoint(journal_file& j, std::unordered_map<std::string, pending_value>& entries) {
  apply_pending(entries);
  step(commit_step::kind::syncing_files, dir_);
  if (::syncfs(j.fd()) != 0) fail(errno, "syncfs", dir_);
  step(commit_step::kind::files_synced, dir_);
  j.reset(journal_bytes_);
  ++checkpoints_;
  std::unordered_map<std::string, pending_value> done;
  {
    std::lock_guard lock(index_mutex_);
    done.swap(entries);
  }
  step(commit_step::kind::journal_reset, j.path());
}

// Each name's last value; a removal unlinks whatever an earlier journal or
// run left (a name put and removed within this journal was never written,
// and its unlink finds nothing).
// Removals first: their files become spares for the puts of new names
// (group_commit_spares.cpp).
void group_commit::apply_pending(const std::unordered_map<std::string, pending_value>& entries) {
  for (const auto& [path, value] : entries)
    if (!value.present) retire(dir_ / path);
  for (const auto& [path, value] : entries) {
    if (!value.present) continue;
    apply_put(dir_ / path, value.bytes, true);
    ++files_written_;
  }
}

// A record's effect on the files.  `path`: where it lands.
void group_commit::apply(const journal_record& r, const fs::path& path) {
  if (r.what == journal_record::kind::put) {
    apply_put(path, r.value);
    return;
  }
  if (::unlink(path.c_str()) == 0) ++files_removed_;
  else if (errno != ENOENT) fail(errno, "unlink", path);
  step(commit_step::kind::unlinked, path);
}

// Written in place (no temp file and rename: a file torn by a crash is
// rewritten by the replay, as its record is still in a live journal), with
// readers held off meanwhile.  Its directory was made when its record was
// committed; made again if it has gone.
void group_commit::apply_put(const fs::path& path, std::string_view value, bool reuse) {
  std::unique_lock lock(files_mutex_);
  int fd = reuse ? open_for_put(path) : ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  }
  if (fd < 0) fail(errno, "create", path);
  while (!value.empty()) {
    auto n = ::write(fd, value.data(), value.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      fail(error, "write", path);
    }
    value.remove_prefix(static_cast<std::size_t>(n));
  }
  ::close(fd);
  lock.unlock();
  step(commit_step::kind::applied, path);
}

// Directories need no sync of their own: the replay makes them again, and
// a checkpoint's syncfs covers them.
bool group_commit::make_directory(const fs::path& d) {
  if (directories_.count(d.native())) return true;
  std::error_code ec;
  fs::create_directories(d, ec);
  if (ec || !fs::is_directory(d, ec)) {
    errno = ec ? ec.value() : ENOTDIR;
    return false;
  }
  directories_.insert(d.native());
  return true;
}

// Opening: the live journals, oldest first, replayed over the files; then
// one checkpoint empties them.  Journal 0 becomes the live one (its first
// blocks zeroed now), journal 1 goes to the checkpoint thread to be zeroed.
void group_commit::replay() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) fail(ec.value(), "mkdir", dir_);
  clear_spares();
  for (int i = 0; i < 2; ++i) journals_[i] = std::make_unique<journal_file>(dir_ / (".journal-" + std::to_string(i)));
  std::vector<journal_file*> live;
  for (auto& j : journals_) {
    generation_ = std::max(generation_, j->header().generation);
    if (j->header().live) live.push_back(j.get());
  }
  std::sort(live.begin(), live.end(), [](auto* a, auto* b) { return a->header().generation < b->header().generation; });
  for (auto* j : live)
    for (const auto& r : j->read_all()) {
      if (!valid_name(r.path)) continue;  // never written by us: skipped, as damage
      apply(r, dir_ / r.path);
      ++replayed_;
    }
  // One syncfs covers both; each journal is then marked empty.
  if (!live.empty()) step(commit_step::kind::syncing_files, dir_);
  if (!live.empty() && ::syncfs(live.front()->fd()) != 0) fail(errno, "syncfs", dir_);
  if (!live.empty()) step(commit_step::kind::files_synced, dir_);
  for (auto* j : live) {
    j->reset(journal_bytes_);
    step(commit_step::kind::journal_reset, j->path());
  }
  // The journal directory itself must stay reachable after a power loss.
  int parent = ::open(dir_.parent_path().empty() ? "." : dir_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent >= 0) {
    ::fsync(parent);
    ::close(parent);
  }
  live_ = 0;
  journals_[0]->prepare(first_bytes_);
  journals_[0]->begin(++generation_);
  to_checkpoint_ = journals_[1].get();
}

}  // namespace sim::storage
