// sim/storage/group_commit_batch.cpp - what one batch does on the disk.
//
// The rules, for every put acknowledged to survive a power loss (the page
// cache gone) and not only a kill -9:
//   - a file's data is durable only after fdatasync on it;
//   - a name created, renamed or removed in a directory is durable only
//     after fsync on that directory;
//   - no name may survive a crash pointing at data that is not all there,
//     unless readers can tell (file_record.hpp: a file written in place
//     carries its length and hash, and an incomplete one is deleted when
//     the store is opened).
//
// A batch (its syncs issued at once by the sync workers: syncs then wait
// for one journal commit together, not for one each):
//   1. writes every put, one after the other (creates in one directory
//      wait for each other anyway): a new name in place (O_EXCL tells it is
//      new), a name that exists, or that another operation of the batch
//      also names, to a temp file beside it; writeback starts at once;
//   2. syncs: fdatasync of every file written, fsync of every directory
//      that gained a name in step 1 or a new subdirectory;
//   3. renames the temp files over their names, and unlinks the removed
//      names that the batch also puts, in submission order; the
//      directories of those renames are synced in a second wave (rare:
//      only replacements go through temp files);
//   4. resumes the puts' waiters: their 250s go out now;
//   5. unlinks the other removed names (nothing waits for a sync of
//      these: see unlink_name), then resumes their waiters.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "sim/storage/file_record.hpp"
#include "sim/storage/file_store.hpp"
#include "sim/storage/group_commit_operation.hpp"

namespace sim::storage {

namespace fs = std::filesystem;

namespace {

std::exception_ptr system_failure(int error, const std::string& what, const fs::path& path) {
  return std::make_exception_ptr(store_error(std::error_code(error, std::system_category()), what + " " + path.string()));
}

// The value and its trailer, in one writev; false with errno on failure.
bool write_record(int fd, std::string_view value) {
  auto trailer = record_trailer(value);
  iovec parts[2] = {{const_cast<char*>(value.data()), value.size()}, {trailer.data(), trailer.size()}};
  std::size_t done = 0, total = value.size() + trailer.size();
  while (done < total) {
    iovec rest[2];
    int n = 0;
    std::size_t skip = done;
    for (auto& p : parts) {
      if (skip >= p.iov_len) {
        skip -= p.iov_len;
        continue;
      }
      rest[n++] = {static_cast<char*>(p.iov_base) + skip, p.iov_len - skip};
      skip = 0;
    }
    auto w = ::writev(fd, rest, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return false;
    done += static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace

void group_commit::commit(batch& ops) {
  ++batches_;
  std::set<std::string> to_sync;  // directories that gained a name
  std::vector<std::string> made;  // directories this batch created
  std::map<std::string, int> uses;  // how many operations of the batch name each file
  for (auto& op : ops) {
    if (op->is_put) ++puts_;
    else ++removes_;
    op->dir_fd = directory(*op, to_sync, made);
    if (op->dir_fd < 0) op->error = system_failure(errno, "open directory", op->dir);
    ++uses[op->key];
  }
  for (auto& op : ops) op->shared_name = uses[op->key] > 1;
  for (auto& op : ops)
    if (op->is_put && !op->error) write_file(*op, to_sync);
  sync_wave(ops, to_sync);
  {
    std::lock_guard lock(directories_mutex_);
    for (const auto& d : made) directories_.at(d).durable = true;
  }
  // Names change in submission order, so operations on one name in one
  // batch end as they were asked.
  std::set<std::string> late;
  for (auto& op : ops) {
    if (op->error) continue;
    if (op->is_put && !op->in_place) install(*op, late);
    else if (!op->is_put && op->shared_name) unlink_name(*op);
  }
  if (!late.empty()) sync_wave(ops, late);
  step(commit_step::kind::completing, {});
  complete(ops, [](const operation& op) { return op.is_put || op.shared_name || op.error; });
  // Step 5, off the puts' way: an unlink may wait for the journal as long
  // as a sync does.
  for (auto& op : ops)
    if (!op->is_put && !op->shared_name && !op->error) unlink_name(*op);
  step(commit_step::kind::completing, {});
  complete(ops, [](const operation&) { return true; });
}

// An open descriptor for `op.dir`, creating it (and missing parents up to
// the store's root) when needed.  A new directory is itself a new name in
// its parent, which is then synced with the batch: otherwise a power loss
// could take the directory, and every file in it, away.  The same holds
// for a directory another batch is creating right now, and for one this
// process found already there (a kill may have left it unsynced): the
// first batch to use it syncs its parent too.  The root itself was made
// durable when the store was opened.
int group_commit::directory(const operation& op, std::set<std::string>& to_sync, std::vector<std::string>& made) {
  std::lock_guard lock(directories_mutex_);
  std::function<int(const fs::path&)> open_dir = [&](const fs::path& d) -> int {
    auto it = directories_.find(d.native());
    if (it != directories_.end()) {
      if (!it->second.durable) to_sync.insert(d.parent_path().native());
      return it->second.fd;
    }
    bool root = d == op.root || !d.native().starts_with(op.root.native() + "/");
    int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && !root) {
      int parent = open_dir(d.parent_path());
      if (parent < 0) return -1;
      if (::mkdirat(parent, d.filename().c_str(), 0700) != 0 && errno != EEXIST) return -1;
      step(commit_step::kind::made_directory, d);
      fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (fd < 0) return -1;
    directories_.emplace(d.native(), directory_entry{fd, root});
    if (!root) {
      if (open_dir(d.parent_path()) < 0) return -1;
      to_sync.insert(d.parent_path().native());
      made.push_back(d.native());
    }
    return fd;
  };
  return open_dir(op.dir);
}

// Step 1.  In place only when no other operation of the batch names the
// same file (their order must hold: they go through temp files and step 3).
// A fresh temp file per put: two puts of one name must not share one.
void group_commit::write_file(operation& op, std::set<std::string>& to_sync) {
  op.fd = op.shared_name ? -1 : ::openat(op.dir_fd, op.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  op.in_place = op.fd >= 0;
  if (!op.in_place) {
    if (!op.shared_name && errno != EEXIST) {
      op.error = system_failure(errno, "create", op.dir / op.name);
      return;
    }
    op.temp = std::string(temp_prefix) + op.name + "." + std::to_string(++temp_serial_);
    op.fd = ::openat(op.dir_fd, op.temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (op.fd < 0) {
      op.error = system_failure(errno, "create", op.dir / op.temp);
      return;
    }
  }
  const std::string& file = op.in_place ? op.name : op.temp;
  if (!write_record(op.fd, op.bytes)) {
    op.error = system_failure(errno, "write", op.dir / file);
    ::close(op.fd);
    op.fd = -1;
    ::unlinkat(op.dir_fd, file.c_str(), 0);
    return;
  }
  ::sync_file_range(op.fd, 0, 0, SYNC_FILE_RANGE_WRITE);  // a hint: its failure changes nothing
  op.bytes = {};  // the kernel has them now
  if (op.in_place) to_sync.insert(op.dir.native());
  step(commit_step::kind::wrote, op.dir / file, {}, op.in_place);
}

// Step 2: the files' fdatasyncs and the directories' fsyncs, all issued at
// once, then reported in order.  fdatasync, not fsync: it still writes the
// size and block map a read needs, and skips timestamps nobody needs after
// a crash.  A directory that cannot be synced fails every put whose name it
// holds.
void group_commit::sync_wave(batch& ops, const std::set<std::string>& dirs_to_sync) {
  std::vector<std::function<void()>> jobs;
  std::vector<operation*> files;  // written in step 1, not yet synced
  for (auto& op : ops)
    if (op->is_put && !op->error && op->fd >= 0) {
      files.push_back(op.get());
      jobs.emplace_back([this, op = op.get()] { sync_file(*op); });
    }
  std::vector<std::string> dirs(dirs_to_sync.begin(), dirs_to_sync.end());
  std::vector<int> errors(dirs.size(), 0);
  std::vector<int> fds;
  {
    std::lock_guard lock(directories_mutex_);
    for (const auto& d : dirs) fds.push_back(directories_.at(d).fd);
  }
  for (std::size_t i = 0; i < dirs.size(); ++i)
    jobs.emplace_back([this, fd = fds[i], &error = errors[i]] {
      if (::fsync(fd) != 0) error = errno;
      ++directory_syncs_;
    });
  workers_.run_all(jobs);
  for (auto* op : files)
    if (!op->error) step(commit_step::kind::synced_file, op->dir / (op->in_place ? op->name : op->temp));
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    if (errors[i] == 0) {
      step(commit_step::kind::synced_directory, dirs[i]);
      continue;
    }
    for (auto& op : ops) {
      auto under = op->dir.native();
      if (op->is_put && !op->error && (under == dirs[i] || under.starts_with(dirs[i] + "/")))
        op->error = system_failure(errors[i], "fsync directory", dirs[i]);
    }
  }
}

// On a sync worker: touches only its own operation.
void group_commit::sync_file(operation& op) {
  int rc = ::fdatasync(op.fd);
  int error = errno;
  ++file_syncs_;
  ::close(op.fd);
  op.fd = -1;
  const std::string& file = op.in_place ? op.name : op.temp;
  if (rc != 0) {
    // After a failed fdatasync the kernel may have dropped the dirty pages:
    // retrying would report success for lost data, so the put fails (and
    // its file goes, so that no reader finds it).
    op.error = system_failure(error, "fdatasync", op.dir / file);
    ::unlinkat(op.dir_fd, file.c_str(), 0);
  }
}

// Step 3 for a replacing put.  Its data is durable, so the name may now
// point at it: a rename over an existing name is atomic, so a reader or a
// crash finds the old or the new file under the name, both whole.  The
// directory is then synced in a second wave, so that the replacement
// itself is durable when the put completes: a caller may count on it (the
// mailbox's next-uid counter must never go back).  Replacements are rare
// (a deferred message's new state, the uid counter before a deletion); a
// message delivered without a hitch is only ever written under new names.
// RENAME_NOREPLACE tells the common case from a name that vanished
// meanwhile (removed earlier in the batch), for the hook's report.
void group_commit::install(operation& op, std::set<std::string>& late) {
  bool new_name = true;
  if (::renameat2(op.dir_fd, op.temp.c_str(), op.dir_fd, op.name.c_str(), RENAME_NOREPLACE) != 0) {
    int error = errno;
    new_name = false;
    if (error == EINVAL || error == ENOSYS) {
      // A file system without RENAME_NOREPLACE: ask whether the name exists.
      struct stat st;
      new_name = ::fstatat(op.dir_fd, op.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0;
    } else if (error != EEXIST) {
      op.error = system_failure(error, "rename", op.dir / op.temp);
      ::unlinkat(op.dir_fd, op.temp.c_str(), 0);
      return;
    }
    if (::renameat(op.dir_fd, op.temp.c_str(), op.dir_fd, op.name.c_str()) != 0) {
      op.error = system_failure(errno, "rename", op.dir / op.temp);
      ::unlinkat(op.dir_fd, op.temp.c_str(), 0);
      return;
    }
  }
  late.insert(op.dir.native());
  step(commit_step::kind::renamed, op.dir / op.name, op.dir / op.temp, new_name);
}

// Steps 3 and 5 for a remove: no fsync.  Callers remove a name only once
// what it held is safe elsewhere (the queue file once the mailbox file or
// the next MTA has the message), so a power loss that brings the name back
// means a message delivered twice, never one lost (RFC 5321 section 6.1
// prefers a duplicate to a loss).  The next new name in the directory, or
// the next journal commit, makes the removal durable anyway.
void group_commit::unlink_name(operation& op) {
  if (::unlinkat(op.dir_fd, op.name.c_str(), 0) != 0 && errno != ENOENT) {
    op.error = system_failure(errno, "unlink", op.dir / op.name);
    return;
  }
  step(commit_step::kind::unlinked, op.dir / op.name);
}

}  // namespace sim::storage
