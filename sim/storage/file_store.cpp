// sim/storage/file_store.cpp - the live-mode store (POSIX files and fsync).
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

// Closes a descriptor on every path out of a function.
class descriptor {
 public:
  explicit descriptor(int fd) : fd_(fd) {}
  ~descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  descriptor(const descriptor&) = delete;
  descriptor& operator=(const descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A rename or unlink is durable only once its directory is synced.
void sync_directory(const fs::path& dir) {
  descriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) fail("open directory", dir);
  if (::fsync(fd.get()) != 0) fail("fsync directory", dir);
}

void write_durably(const fs::path& path, std::string_view bytes) {
  descriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (fd.get() < 0) fail("create", path);
  while (!bytes.empty()) {
    auto n = ::write(fd.get(), bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write", path);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd.get()) != 0) fail("fsync", path);
}

bool is_temp(const fs::path& path) { return path.filename().string().starts_with(temp_prefix); }

}  // namespace

file_store::file_store(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_);
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

// Creates the missing directories between root_ and `path`, syncing each
// new directory's parent so the new entry itself is durable.
void file_store::make_parents(const fs::path& path) const {
  fs::path dir = root_;
  for (const auto& part : path.parent_path().lexically_relative(root_)) {
    if (part == ".") continue;
    dir /= part;
    if (fs::is_directory(dir)) continue;
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) fail("mkdir", dir);
    sync_directory(dir.parent_path());
  }
}

asio::awaitable<void> file_store::put(std::string name, std::string bytes) {
  auto path = path_of(name);
  make_parents(path);
  auto temp = path.parent_path() / (std::string(temp_prefix) + path.filename().string());
  write_durably(temp, bytes);
  if (::rename(temp.c_str(), path.c_str()) != 0) fail("rename", temp);
  sync_directory(path.parent_path());
  co_return;
}

asio::awaitable<void> file_store::remove(std::string name) {
  auto path = path_of(name);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) co_return;
    fail("unlink", path);
  }
  sync_directory(path.parent_path());
}

asio::awaitable<std::optional<std::string>> file_store::get(std::string name) {
  auto path = path_of(name);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) co_return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("open", path);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) fail("read", path);
  co_return bytes;
}

asio::awaitable<std::vector<std::string>> file_store::list(std::string prefix) {
  // Only the directory that holds the prefix's last '/' needs walking.
  auto slash = prefix.rfind('/');
  auto start = slash == std::string::npos ? root_ : root_ / prefix.substr(0, slash);
  std::vector<std::string> names;
  std::error_code ec;
  if (!fs::is_directory(start, ec)) co_return names;
  for (const auto& entry : fs::recursive_directory_iterator(start)) {
    if (!entry.is_regular_file()) continue;
    auto name = entry.path().lexically_relative(root_).generic_string();
    if (valid_name(name) && name.starts_with(prefix)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  co_return names;
}

}  // namespace sim::storage
