// sim/storage/group_commit_batch.cpp - what one batch does on the disk.
//
// The rules, for every put acknowledged to survive a power loss (the page
// cache gone) and not only a kill -9:
//   - a file's data is durable only after fdatasync on it;
//   - a name created, renamed or removed in a directory is durable only
//     after fsync on that directory;
//   - a name must never become durable before the data it names, or a
//     crash could leave a valid name on an empty or partial file.
//
// A batch (each wave of syncs issued at once by the sync workers: syncs
// then wait for one journal commit together, not for one each):
//   1. writes every put to a fresh temp file beside its name, one after the
//      other (creates in one directory wait for each other anyway), and
//      starts the writeback at once;
//   2. first wave: fdatasync of every temp file, fsync of every directory
//      that gained a subdirectory;
//   3. renames the temp files over their names, and unlinks the removed
//      names that the batch also puts, in submission order;
//   4. second wave: fsync of every directory a rename changed;
//   5. resumes the puts' waiters: their 250s go out now;
//   6. unlinks the other removed names (nothing waits for a sync of
//      these: see unlink_name), then resumes their waiters.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "sim/storage/file_store.hpp"
#include "sim/storage/group_commit_operation.hpp"

namespace sim::storage {

namespace fs = std::filesystem;

namespace {

std::exception_ptr system_failure(int error, const std::string& what, const fs::path& path) {
  return std::make_exception_ptr(store_error(std::error_code(error, std::system_category()), what + " " + path.string()));
}

}  // namespace

void group_commit::commit(batch& ops) {
  ++batches_;
  std::set<std::string> parents;  // directories that gained a subdirectory
  std::vector<std::string> made;  // directories this batch created
  std::map<std::string, int> uses;  // how many operations of the batch name each file
  for (auto& op : ops) {
    if (op->is_put) ++puts_;
    else ++removes_;
    op->dir_fd = directory(*op, parents, made);
    if (op->dir_fd < 0) op->error = system_failure(errno, "open directory", op->dir);
    ++uses[op->key];
  }
  for (auto& op : ops) op->shared_name = uses[op->key] > 1;
  for (auto& op : ops)
    if (op->is_put && !op->error) write_temp(*op);
  sync_wave(ops, parents);
  {
    std::lock_guard lock(directories_mutex_);
    for (const auto& d : made) directories_.at(d).durable = true;
  }
  // Names change in submission order, so operations on one name in one
  // batch end as they were asked.
  std::set<std::string> renamed;
  for (auto& op : ops) {
    if (op->error) continue;
    if (op->is_put) install(*op, renamed);
    else if (op->shared_name) unlink_name(*op);
  }
  sync_wave(ops, renamed);
  step(commit_step::kind::completing, {});
  complete(ops, [](const operation& op) { return op.is_put || op.shared_name || op.error; });
  // Step 6, off the puts' way: an unlink may wait for the journal as long
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

// Step 1.  A fresh temp file per put (two puts of one name in one batch
// must not share one), so that a reader or a crash never finds a partial
// file under the real name.  sync_file_range starts the writeback now, so
// that the fdatasyncs of the first wave mostly wait on I/O under way.
void group_commit::write_temp(operation& op) {
  op.temp = std::string(temp_prefix) + op.name + "." + std::to_string(++temp_serial_);
  op.fd = ::openat(op.dir_fd, op.temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (op.fd < 0) {
    op.error = system_failure(errno, "create", op.dir / op.temp);
    return;
  }
  std::string_view rest = op.bytes;
  while (!rest.empty()) {
    auto n = ::write(op.fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      op.error = system_failure(errno, "write", op.dir / op.temp);
      ::close(op.fd);
      op.fd = -1;
      ::unlinkat(op.dir_fd, op.temp.c_str(), 0);
      return;
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  ::sync_file_range(op.fd, 0, 0, SYNC_FILE_RANGE_WRITE);  // a hint: its failure changes nothing
  op.bytes = {};  // the kernel has them now
  step(commit_step::kind::wrote, op.dir / op.temp);
}

// Steps 2 and 4: the files' fdatasyncs (those still open) and the
// directories' fsyncs, all issued at once, then reported in order.
// fdatasync, not fsync: it still writes the size and block map a read
// needs, and skips timestamps nobody needs after a crash.  A directory that
// cannot be synced fails every put whose name it holds.
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
    if (!op->error) step(commit_step::kind::synced_file, op->dir / op->temp);
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
  if (rc != 0) {
    // After a failed fdatasync the kernel may have dropped the dirty pages:
    // retrying would report success for lost data, so the put fails.
    op.error = system_failure(error, "fdatasync", op.dir / op.temp);
    ::unlinkat(op.dir_fd, op.temp.c_str(), 0);
  }
}

// Step 3 for a put.  Its data is durable, so the name may now point at it.
// A rename is atomic: a reader or a crash finds the old file (or none) or
// the new one under the name, both whole.  The second wave then syncs the
// directory, for a new name as for a replacement: the put is durable when
// it completes (a caller may count on it: the mailbox's next-uid counter
// must never go back).
void group_commit::install(operation& op, std::set<std::string>& renamed) {
  if (::renameat(op.dir_fd, op.temp.c_str(), op.dir_fd, op.name.c_str()) != 0) {
    op.error = system_failure(errno, "rename", op.dir / op.temp);
    ::unlinkat(op.dir_fd, op.temp.c_str(), 0);
    return;
  }
  renamed.insert(op.dir.native());
  step(commit_step::kind::renamed, op.dir / op.name, op.dir / op.temp);
}

// Steps 3 and 6 for a remove: no fsync.  Callers remove a name only once
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
