// sim/storage/group_commit.cpp - the storage thread and its batches.
//
// The rules a batch follows, for every put acknowledged to survive a power
// loss (the page cache gone) and not only a kill -9:
//   - a file's data is durable only after fdatasync on it;
//   - a name created, renamed or removed in a directory is durable only
//     after fsync on that directory;
//   - a name must never become durable before the data it names, or a
//     crash could leave a valid name on an empty or partial file.
#include "sim/storage/group_commit.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "sim/storage/file_store.hpp"

namespace sim::storage {

namespace fs = std::filesystem;

struct group_commit::operation {
  template <typename Handler>
  operation(Handler&& handler, bool put, fs::path d, std::string n, std::string b);

  bool is_put;
  fs::path dir;
  std::string name;
  std::string bytes;
  asio::any_io_executor work;  // the waiter's executor, tracked: its io_context keeps running
  completion done;
  // Filled in by the storage thread.
  int dir_fd = -1;
  int fd = -1;
  std::string temp;
  std::exception_ptr error;
};

namespace {

std::exception_ptr system_failure(int error, const std::string& what, const fs::path& path) {
  return std::make_exception_ptr(store_error(std::error_code(error, std::system_category()), what + " " + path.string()));
}

}  // namespace

group_commit::group_commit(hook on_step) : on_step_(std::move(on_step)), thread_([this] { run(); }) {}

group_commit::~group_commit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  for (auto& [path, fd] : directories_) ::close(fd);
}

// The waiter's handler is moved into the operation by construction only:
// Asio 1.26's any_completion_handler assignment recurses without end.
template <typename Handler>
group_commit::operation::operation(Handler&& handler, bool put, fs::path d, std::string n, std::string b)
    : is_put(put),
      dir(std::move(d)),
      name(std::move(n)),
      bytes(std::move(b)),
      work(asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked)),
      done(std::forward<Handler>(handler)) {}

asio::awaitable<void> group_commit::put(fs::path dir, std::string name, std::string bytes) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [this](auto handler, fs::path d, std::string n, std::string b) {
        submit(operation(std::move(handler), true, std::move(d), std::move(n), std::move(b)));
      },
      asio::use_awaitable, std::move(dir), std::move(name), std::move(bytes));
}

asio::awaitable<void> group_commit::remove(fs::path dir, std::string name) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [this](auto handler, fs::path d, std::string n) {
        submit(operation(std::move(handler), false, std::move(d), std::move(n), {}));
      },
      asio::use_awaitable, std::move(dir), std::move(name));
}

void group_commit::submit(operation op) {
  {
    std::lock_guard lock(mutex_);
    if (halted_) {
      op.work = {};
      parked_.push_back(std::move(op));
      return;
    }
    pending_.push_back(std::move(op));
  }
  wake_.notify_one();
}

void group_commit::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return halted_ || (pending_.empty() && !busy_); });
}

group_commit::counters group_commit::stats() const {
  return {batches_.load(), puts_.load(), removes_.load(), file_syncs_.load(), directory_syncs_.load()};
}

// Whatever is waiting when the thread comes back is the next batch: while
// one batch is on its way to the disk, the next one gathers.
void group_commit::run() {
  std::vector<operation> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;
      batch.swap(pending_);
      busy_ = true;
    }
    try {
      commit(batch);
      step(commit_step::kind::completing, {});
    } catch (const halt&) {
      park(batch);
      return;
    }
    complete(batch);
    batch.clear();
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    idle_.notify_all();
  }
}

void group_commit::commit(std::vector<operation>& batch) {
  ++batches_;
  std::set<std::string> to_sync;  // directories that gained a name
  for (auto& op : batch) {
    if (op.is_put) ++puts_;
    else ++removes_;
    op.dir_fd = directory(op.dir, to_sync);
    if (op.dir_fd < 0) op.error = system_failure(errno, "open directory", op.dir);
  }
  for (auto& op : batch)
    if (op.is_put && !op.error) write_temp(op);
  for (auto& op : batch)
    if (op.is_put && !op.error) sync_temp(op);
  // Names change in submission order, so a put and a remove of one name in
  // the same batch end as they were asked.
  for (auto& op : batch) {
    if (op.error) continue;
    if (op.is_put) install(op, to_sync);
    else unlink_name(op);
  }
  sync_directories(batch, to_sync);
}

// An open descriptor for `dir`, creating it (and missing parents) when
// needed.  A new directory is itself a new name in its parent, which is
// then synced with the batch: otherwise a power loss could take the
// directory, and every file in it, away.
int group_commit::directory(const fs::path& dir, std::set<std::string>& to_sync) {
  auto it = directories_.find(dir.native());
  if (it != directories_.end()) return it->second;
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && dir.has_parent_path() && dir.parent_path() != dir) {
    int parent = directory(dir.parent_path(), to_sync);
    if (parent < 0) return -1;
    if (::mkdirat(parent, dir.filename().c_str(), 0700) != 0 && errno != EEXIST) return -1;
    to_sync.insert(dir.parent_path().native());
    step(commit_step::kind::made_directory, dir);
    fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  if (fd >= 0) directories_.emplace(dir.native(), fd);
  return fd;
}

// Step 1.  A fresh temp file per put (two puts of one name in one batch
// must not share one), so a reader or a crash never sees a partial file
// under the real name.  sync_file_range starts the writeback now, for every
// file of the batch, so that the fdatasyncs of step 2 mostly wait on I/O
// already under way and the first one's journal commit carries the others.
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

// Step 2.  fdatasync, not fsync: it still writes the size and block map a
// read needs, and skips timestamps nobody needs after a crash.
void group_commit::sync_temp(operation& op) {
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
    return;
  }
  step(commit_step::kind::synced_file, op.dir / op.temp);
}

// Step 3 for a put.  The data is durable, so the name may now point at it.
// RENAME_NOREPLACE tells a new name (its directory must be synced before
// the put completes) from a replacement: a rename over an existing name is
// atomic, and until the directory is synced a power loss leaves either the
// old or the new file under the name, both complete.  For the queue (the
// only replacer) the old version means an attempt done again, never mail
// lost, so a replacement waits for no directory sync; the next new name in
// that directory makes it durable too.
void group_commit::install(operation& op, std::set<std::string>& to_sync) {
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
  if (new_name) to_sync.insert(op.dir.native());
  step(commit_step::kind::renamed, op.dir / op.name, op.dir / op.temp, new_name);
}

// Step 3 for a remove: no fsync.  Callers remove a name only once what it
// held is safe elsewhere (the queue file once the mailbox file or the next
// MTA has the message), so a power loss that brings the name back means a
// message delivered twice, never one lost (RFC 5321 section 6.1 prefers a
// duplicate to a loss).  The next new name in the directory, or the next
// journal commit, makes the removal durable anyway.
void group_commit::unlink_name(operation& op) {
  if (::unlinkat(op.dir_fd, op.name.c_str(), 0) != 0 && errno != ENOENT) {
    op.error = system_failure(errno, "unlink", op.dir / op.name);
    return;
  }
  step(commit_step::kind::unlinked, op.dir / op.name);
}

// Step 4: one fsync per directory that gained a name, for the whole batch.
// A directory that cannot be synced fails every put whose name it holds.
void group_commit::sync_directories(std::vector<operation>& batch, const std::set<std::string>& to_sync) {
  for (const auto& dir : to_sync) {
    int fd = directories_.at(dir);
    int rc = ::fsync(fd);
    int error = errno;
    ++directory_syncs_;
    if (rc == 0) {
      step(commit_step::kind::synced_directory, dir);
      continue;
    }
    for (auto& op : batch) {
      auto under = op.dir.native();
      if (op.is_put && !op.error && (under == dir || under.starts_with(dir + "/")))
        op.error = system_failure(error, "fsync directory", dir);
    }
  }
}

// Step 5: every waiter resumes on its own executor.  Waiters that share an
// executor (the usual case: one io_context) are resumed by one posted
// function, one wake-up of the event loop per batch.
void group_commit::complete(std::vector<operation>& batch) {
  std::vector<bool> posted(batch.size(), false);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (posted[i]) continue;
    std::vector<std::pair<completion, std::exception_ptr>> resume;
    for (std::size_t k = i; k < batch.size(); ++k) {
      if (posted[k] || batch[k].work != batch[i].work) continue;
      posted[k] = true;
      resume.emplace_back(std::move(batch[k].done), batch[k].error);
    }
    asio::post(batch[i].work, [resume = std::move(resume)]() mutable {
      for (auto& [done, error] : resume) std::move(done)(error);
    });
  }
}

// A halted thread (a test's simulated kill) keeps its operations without
// ever completing them, and parks everything submitted afterwards too.
void group_commit::park(std::vector<operation>& batch) {
  std::lock_guard lock(mutex_);
  halted_ = true;
  for (auto& op : pending_) batch.push_back(std::move(op));
  pending_.clear();
  for (auto& op : batch) {
    if (op.fd >= 0) ::close(op.fd);
    op.work = {};  // nothing will ever complete: let the io_context's run() return
    parked_.push_back(std::move(op));
  }
  busy_ = false;
  idle_.notify_all();
}

void group_commit::step(commit_step::kind what, const fs::path& path, const fs::path& from, bool new_name) {
  if (on_step_) on_step_(commit_step{what, path, from, new_name});
}

}  // namespace sim::storage
