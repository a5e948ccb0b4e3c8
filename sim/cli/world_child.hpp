// sim/cli/world_child.hpp - COMMAND of `mailsim world`, run inside the namespace.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace sim::cli {

class world_child {
 public:
  world_child() = default;
  ~world_child();
  world_child(const world_child&) = delete;
  world_child& operator=(const world_child&) = delete;

  // Forks and execs argv (searched in PATH).  After enter_private_world()
  // the child is PID 1 of the new PID namespace.  Throws std::system_error
  // when fork fails; a program that cannot be run exits 127 (as a shell's).
  // ready_fd (when >= 0) is descriptor 3 in COMMAND, named by
  // MAILSIM_READY_FD in its environment; COMMAND gets no other descriptor
  // but 0, 1 and 2.
  void start(const std::vector<std::string>& argv, int ready_fd = -1);
  // Its exit status once it has ended (128 + N for signal N), without waiting.
  std::optional<int> poll();
  bool running() const { return pid_ > 0 && !status_; }
  // SIGKILL, then waits: as PID 1 of its namespace, its death takes every
  // process left there (daemons it started) with it.
  void kill();
  std::optional<int> status() const { return status_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace sim::cli
