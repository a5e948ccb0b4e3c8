// sim/cli/commands.hpp - mailsim's subcommands (cli.md, version 1).
//
// Each takes the arguments after its name and returns the exit status:
// 0 success, 1 an expectation or check failed, 2 bad usage or a scenario
// that cannot be loaded, 3 an internal error.
#pragma once

#include <string>
#include <vector>

namespace sim::cli {

int run_command(const std::vector<std::string>& argv);
int check_command(const std::vector<std::string>& argv);
int serve_command(const std::vector<std::string>& argv);
int world_command(const std::vector<std::string>& argv);
int dns_command(const std::vector<std::string>& argv);
int spf_command(const std::vector<std::string>& argv);
int auth_command(const std::vector<std::string>& argv);
int sweep_command(const std::vector<std::string>& argv);

// What the program is doing, for the exit-status-3 message.
void set_activity(std::string what);
const std::string& activity();

}  // namespace sim::cli
