// sim/storage/file_store.hpp - the live-mode store: one file per name under a directory.
//
// put() and remove() go to a storage thread (group_commit) that makes them
// durable in batches through its journal; the calling coroutine suspends
// meanwhile and the event loop goes on.  After put() returns, the data
// survives a kill -9 and a power loss, and a reader sees either the old or
// the new content, never a mix.  The files are written later, at the
// journal's checkpoint: get() and list() see the journal's pending values
// first, then read the directory at once (recovery at startup is their
// main user).  A stopped store leaves the values as plain files, so a
// person can read a spool.  Opening the store deletes the temp files an
// older mailsim's crash left.  Several
// stores may share one group_commit, so that the queue's and the
// mailboxes' writes share batches; their roots are in or under its
// directory.
#pragma once

#include <filesystem>
#include <memory>

#include "sim/storage/group_commit.hpp"
#include "sim/storage/store.hpp"

namespace sim::storage {

class file_store final : public store {
 public:
  // Creates `root` if needed (durably) and discards leftover temp files
  // under it.  Without `commits` the store has storage threads of its own,
  // with their journal in `root`.  Throws store_error (bad_name when `root`
  // is not under the journal's directory).
  explicit file_store(std::filesystem::path root, std::shared_ptr<group_commit> commits = nullptr);

  asio::awaitable<void> put(std::string name, std::string bytes) override;
  asio::awaitable<void> remove(std::string name) override;
  asio::awaitable<std::optional<std::string>> get(std::string name) override;
  asio::awaitable<std::vector<std::string>> list(std::string prefix) override;

  const std::filesystem::path& root() const { return root_; }
  // How many leftover temp files opening the store deleted.
  std::size_t discarded_temp_files() const { return discarded_; }
  group_commit& commits() { return *commits_; }

 private:
  std::filesystem::path path_of(const std::string& name) const;

  std::filesystem::path root_;
  std::shared_ptr<group_commit> commits_;
  std::string relative_;  // the root relative to the journal's directory, with a final '/' (empty: the same)
  std::size_t discarded_ = 0;
};

// Temp files are "<dir>/.tmp-<base name>.<n>"; valid names never start with '.'.
inline constexpr std::string_view temp_prefix = ".tmp-";

}  // namespace sim::storage
