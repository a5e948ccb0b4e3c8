// sim/cli/lookup_commands.cpp - `mailsim dns` and `mailsim spf`: questions to a scenario's DNS.
//
// Both build the scenario's world (its `dns`, `dns_files` and the hosts'
// automatic records), apply the DNS faults its timeline sets at "0s", and
// ask the fake resolver in simulated time.
#include <iostream>
#include <variant>

#include "fake_dns/address.hpp"
#include "fake_dns/dig_format.hpp"
#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/scenario_resolver.hpp"
#include "sim/cli/scenario_io.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/policy/spf_eval.hpp"
#include "sim/policy/spf_report.hpp"
#include "sim/scenario/world.hpp"

namespace sim::cli {
namespace {

const char* const dns_help =
    "usage: mailsim dns SCENARIO.json NAME [TYPE]\n"
    "\n"
    "Asks the scenario's fake DNS (its records, the hosts' automatic A/AAAA and\n"
    "PTR records, and the DNS faults its timeline sets at 0s) and prints the\n"
    "status (NOERROR, NXDOMAIN, SERVFAIL, or timeout) on the first line, then\n"
    "the header, question and answer sections as dig shows them.  TYPE\n"
    "defaults to A.\n";

const char* const spf_help =
    "usage: mailsim spf SCENARIO.json --ip IP --mail-from ADDR [--helo NAME]\n"
    "\n"
    "Evaluates SPF (RFC 7208 check_host()) for that client against the\n"
    "scenario's DNS.  An empty --mail-from checks the HELO identity.  Prints\n"
    "the result (pass, fail, softfail, neutral, none, temperror, permerror),\n"
    "the explanation of a fail, then every step: DNS lookups, mechanisms\n"
    "tried and the lookup count against the limit of 10.  Exit status 0\n"
    "whatever the result; 2 for bad usage.\n";

}  // namespace

int dns_command(const std::vector<std::string>& argv) {
  args a(argv, {{"help", false}});
  if (a.flag("help")) {
    std::cout << dns_help;
    return exit_ok;
  }
  const auto& pos = a.positional();
  if (pos.size() < 2 || pos.size() > 3) throw usage_error("expects SCENARIO.json NAME [TYPE]");
  dns::rr_type type = dns::rr_type::A;
  try {
    if (pos.size() == 3) type = dns::parse_type(pos[2]);
    (void)dns::canonical_name(pos[1]);
  } catch (const dns::parse_error& e) {
    throw usage_error(e.what());
  }
  auto s = load_or_report(pos[0]);
  if (!s) return exit_usage;
  set_activity("asking the fake DNS for " + pos[1]);
  std::string out;
  with_resolver(*s, [&](dns::resolver& r) -> asio::awaitable<void> {
    auto answer = co_await r.query("", pos[1], type);
    // The status word alone first (as `mailsim spf` puts its result
    // first), then what dig shows.
    out = std::string(dns::rcode_name(answer.code)) + "\n" + dns::format_dig(pos[1], type, answer);
  });
  std::cout << out;
  return exit_ok;
}

int spf_command(const std::vector<std::string>& argv) {
  args a(argv, {{"ip", true}, {"mail-from", true}, {"helo", true}, {"help", false}});
  if (a.flag("help")) {
    std::cout << spf_help;
    return exit_ok;
  }
  if (a.positional().size() != 1) throw usage_error("expects exactly one scenario file");
  auto ip = a.value("ip");
  if (!ip || !dns::parse_ip(*ip)) throw usage_error("--ip takes an IPv4 or IPv6 address");
  auto from = a.value("mail-from");
  if (!from) throw usage_error("--mail-from is required (\"\" checks the HELO identity)");
  std::string helo = a.value("helo").value_or("");
  if (from->empty() && helo.empty()) throw usage_error("an empty --mail-from needs --helo");
  auto s = load_or_report(a.positional()[0]);
  if (!s) return exit_usage;
  set_activity("evaluating SPF for " + *ip);
  std::string out;
  with_resolver(*s, [&](dns::resolver& r) -> asio::awaitable<void> {
    policy::spf_request req;
    req.client_ip = *ip;
    req.mail_from = *from;
    req.helo = helo;
    req.asker = "mailsim";
    req.timestamp = std::chrono::duration_cast<std::chrono::seconds>(s->start.time_since_epoch()).count();
    auto evaluation = co_await policy::evaluate_spf(r, req);
    out = policy::format_spf_output(evaluation);
  });
  std::cout << out;
  return exit_ok;
}

}  // namespace sim::cli
