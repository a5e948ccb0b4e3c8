// sim/cli/world_ready.cpp - the readiness pipe of `mailsim world`.
#include "sim/cli/world_ready.hpp"

#include <cerrno>
#include <istream>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace sim::cli {
namespace {

int make_pipe(int& write_end) {
  int fds[2];
  // Close-on-exec: nothing mailsim might exec keeps them; world_child
  // clears the flag on COMMAND's copy of the write end only.
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::system_error(errno, std::generic_category(), "cannot make the readiness pipe");
  write_end = fds[1];
  return fds[0];
}

// What COMMAND wrote, for the message: printable, at most 60 characters.
std::string shown(const std::string& line) {
  std::string out;
  for (char c : line.substr(0, 60)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return line.size() > 60 ? out + "..." : out;
}

}  // namespace

ready_pipe::ready_pipe(asio::io_context& ctx) : read_(ctx) { read_.assign(make_pipe(write_fd_)); }

ready_pipe::~ready_pipe() { close_write_end(); }

void ready_pipe::close_write_end() {
  if (write_fd_ >= 0) ::close(write_fd_);
  write_fd_ = -1;
}

void ready_pipe::wait(std::function<void(std::optional<std::string>, bool)> done) {
  asio::async_read_until(read_, buffer_, '\n', [this, done = std::move(done)](error_code ec, std::size_t) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      done("COMMAND closed " + std::string(ready_fd_variable) + " without writing READY", true);
      return;
    }
    std::istream in(&buffer_);
    std::string line;
    std::getline(in, line);  // the n bytes up to and without the newline
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "READY") done(std::nullopt, false);
    else done("COMMAND wrote \"" + shown(line) + "\" to " + ready_fd_variable + ", not READY", false);
  });
}

}  // namespace sim::cli
