// sim/cli/world_ready.hpp - COMMAND's readiness signal to `mailsim world`.
//
// A pipe: COMMAND gets its write end as descriptor 3, named by
// MAILSIM_READY_FD and writes the line `READY` once the program under test
// accepts connections.  Both ends are close-on-exec on mailsim's side; only
// COMMAND's copy of the write end survives its exec (world_child).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "sim/core/asio.hpp"

namespace sim::cli {

inline constexpr const char* ready_fd_variable = "MAILSIM_READY_FD";
// The descriptor COMMAND finds it on.
inline constexpr int child_ready_fd = 3;

class ready_pipe {
 public:
  // Throws std::system_error when the pipe cannot be made.
  explicit ready_pipe(asio::io_context& ctx);
  ~ready_pipe();
  ready_pipe(const ready_pipe&) = delete;
  ready_pipe& operator=(const ready_pipe&) = delete;

  // The descriptor COMMAND writes to (-1 once closed here).
  int write_fd() const { return write_fd_; }
  // Once COMMAND has its copy: so that the pipe reads end-of-file when
  // COMMAND and everything that inherited it have closed it.
  void close_write_end();
  // Reads one line: done(nullopt, false) for `READY`, else done(why not,
  // closed) - the pipe closed first (closed = true), or another line.
  // Reading stops after that line.
  void wait(std::function<void(std::optional<std::string>, bool)> done);
  // Keeps the read end open but unread (no SIGPIPE for a COMMAND that
  // signals without --wait-ready).
  void stop() { read_.cancel(); }

 private:
  asio::posix::stream_descriptor read_;
  int write_fd_ = -1;
  asio::streambuf buffer_;
};

}  // namespace sim::cli
