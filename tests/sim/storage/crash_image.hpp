// What the disk surely holds at each step of the storage threads, and the
// disk a power loss would leave then (for the crash tests of group_commit).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "sim/storage/group_commit.hpp"

namespace sim::testing {

namespace crash_fs = std::filesystem;

// A folder for a crash test that reruns a workload at every kill point: in
// memory (/dev/shm) when there is one, where a sync costs nothing (the
// crashes are simulated: what a power loss keeps is rebuilt from the steps
// seen, not left to the disk).
inline crash_fs::path crash_scratch(const std::string& name) {
  std::error_code ec;
  crash_fs::path base = crash_fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0
                            ? crash_fs::path("/dev/shm")
                            : crash_fs::temp_directory_path();
  return base / (name + "-" + std::to_string(::getpid()));
}

inline std::string read_file(const crash_fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void put_file(const crash_fs::path& p, std::string_view bytes) {
  crash_fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

inline bool is_journal(const crash_fs::path& p) { return p.filename().native().starts_with(".journal-"); }

// The regular files under `root`: journals, or the store's names (temp files aside).
inline std::map<std::string, std::string> tree(const crash_fs::path& root, bool journals) {
  std::map<std::string, std::string> out;
  for (const auto& e : crash_fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    bool j = is_journal(e.path());
    if (j != journals || (!j && e.path().filename().native().starts_with("."))) continue;
    out[e.path().lexically_relative(root).generic_string()] = read_file(e.path());
  }
  return out;
}

// What the disk surely holds, after the steps seen so far.
struct durable_image {
  std::map<std::string, std::string> journals, files, syncing;

  // A syncfs covers what was applied when it started (files applied while
  // it runs may or may not be covered: they count as not durable).  A
  // journal's sync covers its bytes before `end` (a later batch,
  // appended while it ran, may or may not be covered: not durable).
  void see(const sim::storage::commit_step& s, const crash_fs::path& root) {
    using kind = sim::storage::commit_step::kind;
    if (s.what == kind::journal_synced) see_journal_sync(s.path, s.end);
    if (s.what == kind::journal_reset) journals[s.path.filename().native()] = read_file(s.path);
    if (s.what == sim::storage::commit_step::kind::syncing_files) syncing = tree(root, false);
    if (s.what == sim::storage::commit_step::kind::files_synced) files = syncing;
  }

  // The journal's first `durable` bytes as they are now; after them, what
  // was durable before (zeros where nothing was known).
  void see_journal_sync(const crash_fs::path& path, std::size_t durable) {
    auto now = read_file(path);
    auto& kept = journals[path.filename().native()];
    durable = std::min(durable, now.size());
    if (kept.size() < now.size()) kept.resize(now.size(), '\0');
    kept.replace(0, durable, now.substr(0, durable));
  }

  // The disk after a power loss now, rebuilt under `out`.
  void rebuild(const crash_fs::path& root, const crash_fs::path& out) const {
    crash_fs::remove_all(out);
    crash_fs::create_directories(out);
    auto now = tree(root, false);
    for (const auto& [name, bytes] : files) put_file(out / name, bytes);  // an unlink since may be lost
    for (const auto& [name, bytes] : now) {
      auto d = files.find(name);
      if (d == files.end() || d->second != bytes) put_file(out / name, bytes.substr(0, bytes.size() / 2));
    }
    for (const auto& [name, bytes] : tree(root, true)) {
      auto d = journals.find(name);
      std::string kept = d == journals.end() ? std::string() : d->second;
      std::size_t same = 0;
      while (same < kept.size() && same < bytes.size() && kept[same] == bytes[same]) ++same;
      std::size_t torn = same + (bytes.size() - same) / 2;
      if (kept.size() < torn) kept.resize(torn, '\0');
      if (torn > same) kept.replace(same, torn - same, bytes.substr(same, torn - same));
      put_file(out / name, kept);
    }
  }
};

}  // namespace sim::testing
