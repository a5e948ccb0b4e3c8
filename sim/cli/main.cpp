// sim/cli/main.cpp - the mailsim program: subcommand dispatch and exit statuses.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"

#ifndef MAILSIM_VERSION
#define MAILSIM_VERSION "0.0.0"
#endif

namespace {

const char* const usage_text =
    "usage: mailsim <command> [options]\n"
    "\n"
    "mailsim is an email delivery simulator: real SMTP, queueing, MX routing,\n"
    "bounces, local delivery and POP3, against a fake DNS and a simulated\n"
    "network, in deterministic virtual time.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.json      play one scenario and check its expectations\n"
    "  check [PATH ...]       run every scenario under PATH (default scenarios/)\n"
    "  serve SCENARIO.json    the scenario's world, live on loopback sockets\n"
    "  world SCENARIO.json -- COMMAND   a real MTA (COMMAND) inside the world, as root\n"
    "  dns SCENARIO.json NAME [TYPE]\n"
    "                         ask the scenario's fake DNS, printed as dig does\n"
    "  spf SCENARIO.json --ip IP --mail-from ADDR [--helo NAME]\n"
    "                         evaluate SPF (RFC 7208) step by step\n"
    "  auth SCENARIO.json --message FILE.eml --ip IP [--mail-from ADDR] [--helo NAME] [--host RECEIVER]\n"
    "                         SPF, DKIM and DMARC for one message, step by step\n"
    "  sweep SCENARIO.json [--seeds A..B] [--faults none|random|heavy] [--jobs N] [--shard K/N] [--out FILE.jsonl]\n"
    "                         run it under many seeds with random faults, checking invariants\n"
    "\n"
    "options:\n"
    "  --help                 this text; `mailsim COMMAND --help` for a command\n"
    "  --version              the version\n"
    "\n"
    "exit status: 0 success, 1 an expectation or check failed, 2 bad usage or\n"
    "a scenario that cannot be loaded, 3 an internal error.\n";

int dispatch(const std::string& command, const std::vector<std::string>& rest) {
  if (command == "run") return sim::cli::run_command(rest);
  if (command == "check") return sim::cli::check_command(rest);
  if (command == "serve") return sim::cli::serve_command(rest);
  if (command == "world") return sim::cli::world_command(rest);
  if (command == "dns") return sim::cli::dns_command(rest);
  if (command == "spf") return sim::cli::spf_command(rest);
  if (command == "auth") return sim::cli::auth_command(rest);
  if (command == "sweep") return sim::cli::sweep_command(rest);
  std::cerr << "mailsim: unknown command '" << command << "'\n\n" << usage_text;
  return sim::cli::exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << usage_text;
    return sim::cli::exit_usage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage_text;
    return sim::cli::exit_ok;
  }
  if (args[0] == "--version") {
    std::cout << "mailsim " << MAILSIM_VERSION << " (scenario format 1, trace format 1)\n";
    return sim::cli::exit_ok;
  }
  try {
    return dispatch(args[0], std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const sim::cli::usage_error& e) {
    std::cerr << "mailsim " << args[0] << ": " << e.what() << " (see mailsim " << args[0] << " --help)\n";
    return sim::cli::exit_usage;
  } catch (const std::exception& e) {
    std::cerr << "mailsim: internal error (a bug): " << e.what() << "\n  while " << sim::cli::activity() << "\n";
    return sim::cli::exit_internal;
  }
}
