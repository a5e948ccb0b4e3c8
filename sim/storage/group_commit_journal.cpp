// sim/storage/group_commit_journal.cpp - what a batch does on the disk, checkpoints, replay.
//
// The rules, for every put acknowledged to survive a power loss (the page
// cache gone) and not only a kill -9:
//   - a file's data is durable only after fdatasync (or syncfs) covers it;
//   - a name created, renamed or removed is durable only after its
//     directory is synced (or syncfs covers it).
// The journal is the truth: an operation is acknowledged once its record
// is synced in it.  The files follow, written without syncs; a journal is
// emptied only after a syncfs has made every file it describes durable.
// So after any crash, the files plus the live journals (replayed over them,
// oldest first) hold every acknowledged operation.  A file that a power
// loss tore is rewritten by the replay, since its record is still there.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "sim/storage/file_store.hpp"
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

// The first part of a new journal file written with zeros before it is
// used; the checkpoint thread writes the rest in the background.
constexpr std::size_t first_preparation = 1u << 20;

}  // namespace

// Steps 1 to 4 (group_commit.hpp).  The files are written before the
// waiters resume, so that a kill -9 (the page cache kept) leaves the files
// as every acknowledged operation left them, journal or not.  An operation that cannot be written
// (its directory cannot be made, a bad path) fails alone; a failed journal
// write or sync fails the batch and every later operation.
void group_commit::commit(batch& ops) {
  ++batches_;
  std::exception_ptr broken;
  {
    std::lock_guard lock(mutex_);
    broken = broken_;
  }
  // Validated and measured first: a batch that moves to the other journal
  // takes that journal's generation.
  std::size_t size = 0;
  std::vector<std::string> paths(ops.size());
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
  if (size > 0) {
    try {
      rotate((size + journal_block - 1) / journal_block * journal_block);
      buffer_.clear();
      for (std::size_t i = 0; i < ops.size(); ++i) {
        auto& op = ops[i];
        if (op->error) continue;
        if (op->is_put) ++puts_;
        else ++removes_;
        encode_record(buffer_, generation_, op->is_put ? journal_record::kind::put : journal_record::kind::remove,
                      paths[i], op->bytes);
      }
      write_batch();
    } catch (const store_error&) {
      auto e = std::current_exception();
      for (auto& op : ops)
        if (!op->error) op->error = e;
      std::lock_guard lock(mutex_);
      broken_ = e;
    }
  }
  for (auto& op : ops) {
    if (op->error) continue;
    try {
      if (op->is_put) apply_put(op->dir / op->name, op->bytes);
      else apply({journal_record::kind::remove, {}, {}}, op->dir / op->name);
    } catch (const store_error&) {
      // Acknowledged, in the journal, not in the files: the journal must
      // stay until a restart replays it.
      std::lock_guard lock(mutex_);
      if (!broken_) broken_ = std::current_exception();
    }
    op->bytes = {};
  }
  step(commit_step::kind::completing, {});
  complete(ops);
}

// Steps 1 and 2: the batch's records (whole blocks) appended to the live
// journal, then one fdatasync.  The journal written to is the one its
// records were encoded for (rotate() came first).
void group_commit::write_batch() {
  pad_to_block(buffer_);
  auto& j = *journals_[live_];
  j.append(buffer_);
  step(commit_step::kind::journal_written, j.path());
  j.sync();
  ++journal_syncs_;
  step(commit_step::kind::journal_synced, j.path());
}

// Moves to the other journal when this batch would not fit in the live one
// (or would go past its zeroed blocks while the other is ready), handing
// the live one to the checkpoint thread.  A full journal waits for the
// other one's checkpoint.
void group_commit::rotate(std::size_t batch_bytes) {
  auto* j = journals_[live_].get();
  std::size_t after = j->used() + batch_bytes;
  if (j->used() <= journal_block) return;  // an empty journal takes any batch
  bool full = after > journal_bytes_;
  if (!full && after <= j->prepared()) return;
  {
    std::unique_lock lock(mutex_);
    if (!full && to_checkpoint_) return;  // appended past the zeros: slower, still correct
    checkpoint_wake_.wait(lock, [this] { return halted_ || broken_ || !to_checkpoint_; });
    if (halted_) throw halt{};
    if (broken_) std::rethrow_exception(broken_);
    to_checkpoint_ = j;
  }
  checkpoint_wake_.notify_all();
  live_ ^= 1;
  journals_[live_]->begin(++generation_);
}

bool group_commit::stop_preparing() {
  std::lock_guard lock(mutex_);
  return committer_done_ || halted_;
}

// The checkpoint thread: makes a journal the committer left durable in the
// files, empties it, and writes its zeros for the next use.
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
      if (j->header().live) checkpoint(*j);
      // A megabyte at a time, so that a stop does not wait for all of it.
      for (auto size = j->prepared(); size < journal_bytes_ && !stop_preparing(); size += first_preparation)
        j->prepare(std::min(journal_bytes_, size + first_preparation));
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

// Every file the journal describes was applied before it was handed over;
// syncfs makes all of them (data and names) durable at once, and only then
// may the journal forget them.  The spool is one file system.
void group_commit::checkpoint(journal_file& j) {
  step(commit_step::kind::syncing_files, dir_);
  if (::syncfs(j.fd()) != 0) fail(errno, "syncfs", dir_);
  step(commit_step::kind::files_synced, dir_);
  j.reset(journal_bytes_);
  ++checkpoints_;
  step(commit_step::kind::journal_reset, j.path());
}

// A record's effect on the files.  `path`: where it lands.
void group_commit::apply(const journal_record& r, const fs::path& path) {
  if (r.what == journal_record::kind::put) {
    if (!make_directory(path.parent_path())) fail(errno, "mkdir", path.parent_path());
    apply_put(path, r.value);
    return;
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail(errno, "unlink", path);
  step(commit_step::kind::unlinked, path);
}

// Written to a temp file, then renamed over the name: a reader (or a
// person looking at the spool) finds the old file or the new one, whole.
void group_commit::apply_put(const fs::path& path, std::string_view value) {
  auto temp = path.parent_path() / (std::string(temp_prefix) + path.filename().native() + "." + std::to_string(++temp_serial_));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail(errno, "create", temp);
  while (!value.empty()) {
    auto n = ::write(fd, value.data(), value.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      fail(error, "write", temp);
    }
    value.remove_prefix(static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    fail(error, "rename", temp);
  }
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
  journals_[0]->prepare(std::min(journal_bytes_, first_preparation));
  journals_[0]->begin(++generation_);
  to_checkpoint_ = journals_[1].get();
}

}  // namespace sim::storage
