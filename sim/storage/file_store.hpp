// sim/storage/file_store.hpp - the live-mode store: one file per name under a directory.
//
// put() writes a temp file beside the target, fsyncs it, renames it over the
// target and fsyncs the directory, so after it returns the data survives a
// power loss and a reader sees either the old or the new content, never a
// mix.  Temp files left by a crash are deleted when the store is opened.
// Operations are synchronous (small files, local disk) but keep the
// awaitable interface of store.
#pragma once

#include <filesystem>

#include "sim/storage/store.hpp"

namespace sim::storage {

class file_store final : public store {
 public:
  // Creates `root` if needed and discards leftover temp files under it.
  explicit file_store(std::filesystem::path root);

  asio::awaitable<void> put(std::string name, std::string bytes) override;
  asio::awaitable<void> remove(std::string name) override;
  asio::awaitable<std::optional<std::string>> get(std::string name) override;
  asio::awaitable<std::vector<std::string>> list(std::string prefix) override;

  const std::filesystem::path& root() const { return root_; }
  // How many incomplete temp files opening the store deleted.
  std::size_t discarded_temp_files() const { return discarded_; }

 private:
  std::filesystem::path path_of(const std::string& name) const;
  void make_parents(const std::filesystem::path& path) const;

  std::filesystem::path root_;
  std::size_t discarded_ = 0;
};

// Temp files are "<dir>/.tmp-<base name>"; valid names never start with '.'.
inline constexpr std::string_view temp_prefix = ".tmp-";

}  // namespace sim::storage
