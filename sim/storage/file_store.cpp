// sim/storage/file_store.cpp - the live-mode store (POSIX files; durability by group_commit).
#include "sim/storage/file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>

namespace sim::storage {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path) {
  throw store_error(std::error_code(errno, std::system_category()), what + " " + path.string());
}

// A new or removed name is durable only once its directory is synced.
void sync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("open directory", dir);
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  errno = error;
  if (rc != 0) fail("fsync directory", dir);
}

// Creates `dir` and its missing parents, syncing the parent of each new
// one: a spool directory lost to a power loss would take every file in it.
void make_directories(const fs::path& dir) {
  if (dir.empty() || fs::is_directory(dir)) return;
  make_directories(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) fail("mkdir", dir);
  sync_directory(dir.has_parent_path() ? dir.parent_path() : fs::path("."));
}

bool is_temp(const fs::path& path) { return path.filename().string().starts_with(temp_prefix); }

std::optional<std::string> read_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("open", path);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) fail("read", path);
  return bytes;
}

}  // namespace

// Temp files left by a crash are puts that never completed (never
// acknowledged): they go.
file_store::file_store(fs::path root, std::shared_ptr<group_commit> commits)
    : root_(absolute_directory(root)), commits_(commits ? std::move(commits) : std::make_shared<group_commit>(root_)) {
  const auto& journal_dir = commits_->dir().native();
  if (root_.native() != journal_dir && !(root_.native().starts_with(journal_dir) && root_.native()[journal_dir.size()] == '/'))
    throw store_error(store_errc::bad_name, root_.string() + " is not under " + journal_dir);
  if (root_.native() != journal_dir) relative_ = root_.native().substr(journal_dir.size() + 1) + "/";
  make_directories(root_);
  // Found there, the root may be a killed run's that never synced it: its
  // parent is synced once now, so that what goes in it stays reachable.
  sync_directory(root_.has_parent_path() ? root_.parent_path() : fs::path("."));
  std::vector<fs::path> leftovers;
  for (const auto& entry : fs::recursive_directory_iterator(root_)) {
    if (entry.is_regular_file() && is_temp(entry.path())) leftovers.push_back(entry.path());
  }
  for (const auto& path : leftovers) {
    fs::remove(path);
    sync_directory(path.parent_path());
  }
  discarded_ = leftovers.size();
}

fs::path file_store::path_of(const std::string& name) const {
  if (!valid_name(name)) throw store_error(store_errc::bad_name, name);
  return root_ / fs::path(name);
}

asio::awaitable<void> file_store::put(std::string name, std::string bytes) {
  auto path = path_of(name);
  co_await commits_->put(path.parent_path(), path.filename().string(), std::move(bytes));
}

asio::awaitable<void> file_store::remove(std::string name) {
  auto path = path_of(name);
  co_await commits_->remove(path.parent_path(), path.filename().string());
}

// The journal's pending value first: the files may lag behind it.
asio::awaitable<std::optional<std::string>> file_store::get(std::string name) {
  auto path = path_of(name);
  if (auto value = commits_->pending(relative_.empty() ? name : relative_ + name))
    co_return value->present ? std::optional<std::string>(std::move(value->bytes)) : std::nullopt;
  co_return commits_->read_files([&] { return read_file(path); });
}

// The files' names, with the journal's pending puts added and its pending
// removals taken out.  The index is read first: whatever changes in the
// files afterwards is newer than it.
asio::awaitable<std::vector<std::string>> file_store::list(std::string prefix) {
  auto pending = commits_->pending_names(relative_ + prefix);
  std::vector<std::string> names;
  for (const auto& [path, present] : pending)
    if (present) names.push_back(path.substr(relative_.size()));
  // Only the directory that holds the prefix's last '/' needs walking.
  auto slash = prefix.rfind('/');
  auto start = slash == std::string::npos ? root_ : root_ / prefix.substr(0, slash);
  std::error_code ec;
  if (fs::is_directory(start, ec)) {
    for (const auto& entry : fs::recursive_directory_iterator(start)) {
      if (!entry.is_regular_file()) continue;
      auto name = entry.path().lexically_relative(root_).generic_string();
      if (valid_name(name) && name.starts_with(prefix) && !pending.count(relative_ + name)) names.push_back(std::move(name));
    }
  }
  std::sort(names.begin(), names.end());
  co_return names;
}

}  // namespace sim::storage
