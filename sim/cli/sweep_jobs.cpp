// sim/cli/sweep_jobs.cpp - fork, work, collect.
#include "sim/cli/sweep_jobs.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>

namespace sim::cli {
namespace {

// One job's share: seeds[k], seeds[k + jobs], ... as lines {"record", "report"}.
[[noreturn]] void job_main(const std::vector<std::uint64_t>& seeds, unsigned jobs, unsigned k, std::FILE* out,
                           const std::function<sweep::seed_outcome(std::uint64_t)>& work) {
  int status = 0;
  try {
    for (std::size_t i = k; i < seeds.size(); i += jobs) {
      auto o = work(seeds[i]);
      nlohmann::ordered_json line{{"record", o.record}, {"report", o.report}};
      std::string text = line.dump() + "\n";
      if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) throw std::runtime_error("cannot write");
    }
    if (std::fflush(out) != 0) throw std::runtime_error("cannot write");
  } catch (const std::exception& e) {
    std::cerr << "mailsim sweep: job " << k << ": " << e.what() << "\n";
    status = 3;
  }
  std::_Exit(status);
}

std::vector<sweep::seed_outcome> read_job(std::FILE* f) {
  std::vector<sweep::seed_outcome> out;
  std::rewind(f);
  std::string line;
  for (int c; (c = std::fgetc(f)) != EOF;) {
    if (c != '\n') {
      line += static_cast<char>(c);
      continue;
    }
    auto j = nlohmann::ordered_json::parse(line);
    out.push_back({j["record"], j["report"].get<std::string>()});
    line.clear();
  }
  return out;
}

}  // namespace

std::vector<sweep::seed_outcome> run_seed_jobs(const std::vector<std::uint64_t>& seeds, unsigned jobs,
                                               const std::function<sweep::seed_outcome(std::uint64_t)>& work) {
  std::vector<std::FILE*> files;
  std::vector<pid_t> pids;
  std::cout.flush();
  for (unsigned k = 0; k < jobs; ++k) {
    std::FILE* f = std::tmpfile();
    if (!f) throw std::runtime_error("cannot make a temporary file for a job");
    files.push_back(f);
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("cannot start a job (fork)");
    if (pid == 0) job_main(seeds, jobs, k, f, work);
    pids.push_back(pid);
  }
  bool died = false;
  for (pid_t pid : pids) {
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) died = true;
  }
  std::vector<std::vector<sweep::seed_outcome>> per_job;
  for (std::FILE* f : files) {
    per_job.push_back(died ? std::vector<sweep::seed_outcome>{} : read_job(f));
    std::fclose(f);
  }
  if (died) throw std::runtime_error("a sweep job failed (see above)");
  std::vector<sweep::seed_outcome> out;
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    auto& job = per_job[i % jobs];
    std::size_t at = i / jobs;
    if (at >= job.size()) throw std::runtime_error("a sweep job stopped early");
    out.push_back(std::move(job[at]));
  }
  return out;
}

}  // namespace sim::cli
