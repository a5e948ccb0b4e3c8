// sim/storage/group_commit_operation.hpp - one operation as the committer holds it
// (private to group_commit*.cpp).
#pragma once

#include <filesystem>
#include <string>

#include "sim/storage/group_commit.hpp"

namespace sim::storage {

struct group_commit::operation {
  template <typename Handler>
  operation(Handler&& handler, bool put, std::filesystem::path d, std::string n, std::string b);

  bool is_put;
  std::filesystem::path dir;
  std::string name;
  std::string bytes;
  asio::any_io_executor work;  // the waiter's executor, tracked: its io_context keeps running
  completion done;
  bool completed = false;  // its waiter was resumed
  std::exception_ptr error;
};

}  // namespace sim::storage
