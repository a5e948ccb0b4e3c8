// sim/storage/group_commit_operation.hpp - one operation as the committer threads hold it
// (private to group_commit*.cpp).
#pragma once

#include <filesystem>
#include <string>

#include "sim/storage/group_commit.hpp"

namespace sim::storage {

struct group_commit::operation {
  template <typename Handler>
  operation(Handler&& handler, bool put, std::filesystem::path r, std::filesystem::path d, std::string n,
            std::string b);

  bool is_put;
  std::filesystem::path root;  // the store's: directories from it down are the batch's to create
  std::filesystem::path dir;
  std::string name;
  std::string key;  // dir/name: operations on one key happen in submission order
  std::string bytes;
  asio::any_io_executor work;  // the waiter's executor, tracked: its io_context keeps running
  completion done;
  // Filled in by the committer.
  int dir_fd = -1;
  int fd = -1;
  bool shared_name = false;  // another operation of the batch names the same file
  std::string temp;          // the temp file renamed over the name
  bool completed = false;    // its waiter was resumed
  std::exception_ptr error;
};

}  // namespace sim::storage
