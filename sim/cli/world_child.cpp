// sim/cli/world_child.cpp - clone into a new PID namespace, exec, waitpid.
#include "sim/cli/world_child.hpp"
#include "sim/cli/world_ready.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sim::cli {
namespace {

int status_of(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return 255;
}

// mailsim's environment, with MAILSIM_READY_FD naming fd (replaced when
// mailsim itself was given one).
std::vector<std::string> child_environment(int fd) {
  std::string prefix = std::string(ready_fd_variable) + "=";
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e)
    if (!std::string(*e).starts_with(prefix)) out.emplace_back(*e);
  if (fd >= 0) out.push_back(prefix + std::to_string(fd));
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> raw;
  for (auto& s : strings) raw.push_back(s.data());
  raw.push_back(nullptr);
  return raw;
}

}  // namespace

world_child::~world_child() {
  if (running()) kill();
}

void world_child::start(const std::vector<std::string>& argv, int ready_fd) {
  // Made before the clone: the child only execs.
  std::vector<std::string> args = argv, env = child_environment(ready_fd < 0 ? -1 : child_ready_fd);
  std::vector<char*> raw = pointers(args), envp = pointers(env);
  // Like fork(), but the child is PID 1 of a new PID namespace (clone(2)
  // with no stack of its own). Only COMMAND enters it: were mailsim in it
  // too, no process could be started there once COMMAND has exited (the
  // kernel refuses forks in a namespace whose init is gone), and tools
  // that fork at exit, LeakSanitizer's tracer among them, would fail.
  pid_ = static_cast<pid_t>(::syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  if (pid_ < 0)
    throw std::system_error(errno, std::generic_category(), "cannot start COMMAND in a new PID namespace (clone)");
  if (pid_ == 0) {
    // The child: default signal dispositions, nothing blocked, then the program.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s : {SIGINT, SIGTERM, SIGCHLD, SIGPIPE, SIGHUP}) std::signal(s, SIG_DFL);
    // Should mailsim itself die (kill -9), the kernel kills COMMAND, and
    // with it, as PID 1 of its namespace, everything it started.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // COMMAND's copy of the readiness pipe survives the exec, as
    // descriptor 3 (a shell's redirections take one digit).
    if (ready_fd == child_ready_fd) ::fcntl(ready_fd, F_SETFD, 0);
    else if (ready_fd >= 0) ::dup2(ready_fd, child_ready_fd);
    // Nothing else of mailsim's (listening sockets among them) reaches
    // COMMAND or the daemons it starts.
    ::close_range(ready_fd >= 0 ? child_ready_fd + 1 : 3, ~0U, 0);
    ::execvpe(raw[0], raw.data(), envp.data());
    std::fprintf(stderr, "mailsim world: cannot run %s: %s\n", raw[0], std::strerror(errno));
    ::_exit(127);
  }
}

std::optional<int> world_child::poll() {
  if (status_ || pid_ <= 0) return status_;
  int raw = 0;
  pid_t done = ::waitpid(pid_, &raw, WNOHANG);
  if (done == pid_) status_ = status_of(raw);
  return status_;
}

void world_child::kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int raw = 0;
  while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
  }
  status_ = status_of(raw);
}

}  // namespace sim::cli
