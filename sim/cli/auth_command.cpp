// sim/cli/auth_command.cpp - `mailsim auth`: SPF, DKIM and DMARC for one message, as a receiver sees them.
//
// The verdicts first, one line each (`spf=pass`, `dkim=fail (body hash did
// not verify) header.d=... header.s=...`, `dmarc=fail p=reject`), then every
// step, then the Authentication-Results field the receiver would add
// (RFC 8601).  The same code the MTA runs after the final dot
// (sim/mta/auth_milter.cpp), against the scenario's fake DNS.
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "fake_dns/address.hpp"
#include "sim/auth/auth.hpp"
#include "sim/auth/author_domain.hpp"
#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/scenario_io.hpp"
#include "sim/cli/scenario_resolver.hpp"
#include "sim/core/random.hpp"
#include "sim/policy/spf_eval.hpp"
#include "sim/policy/spf_report.hpp"

namespace sim::cli {
namespace {

const char* const auth_help =
    "usage: mailsim auth SCENARIO.json --message FILE.eml --ip IP [--mail-from ADDR] [--helo NAME] [--host RECEIVER]\n"
    "\n"
    "Checks a message as a receiving host would after the final dot, against\n"
    "the scenario's DNS (its records and the DKIM keys its hosts publish):\n"
    "SPF for the client --ip and --mail-from (default: the From address; \"\"\n"
    "checks the HELO identity), every DKIM-Signature, and DMARC for the From\n"
    "domain.  Prints one line per result (spf=, dkim= per signature, dmarc=),\n"
    "then every step, then the Authentication-Results field that --host\n"
    "(default: mailsim) would add.  Exit status 0 whatever the verdict; 2 for\n"
    "bad usage, an unreadable message or a scenario that cannot be loaded.\n";

std::string read_message(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usage_error("--message: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string dkim_line(const auth::dkim_verification& v) {
  std::string line = fmt::format("dkim={}", auth::dkim_result_name(v.result));
  if (!v.reason.empty()) line += " (" + v.reason + ")";
  if (!v.domain.empty()) line += " header.d=" + v.domain;
  if (!v.selector.empty()) line += " header.s=" + v.selector;
  return line;
}

std::string dmarc_line(const auth::dmarc_evaluation& e) {
  std::string line = fmt::format("dmarc={}", auth::dmarc_result_name(e.result));
  if (e.record) line += fmt::format(" p={}", auth::policy_name(e.policy));
  if (e.record && e.result == auth::dmarc_result::fail && e.disposition != e.policy) line += fmt::format(" dis={}", auth::policy_name(e.disposition));
  if (!e.from_domain.empty()) line += " header.from=" + e.from_domain;
  if (e.result != auth::dmarc_result::pass && !e.reason.empty()) line += " (" + e.reason + ")";
  return line;
}

struct auth_report {
  policy::spf_evaluation spf;
  std::vector<auth::dkim_verification> dkim;
  auth::dmarc_evaluation dmarc;
};

std::string format_report(const auth_report& r, const std::string& receiver) {
  std::string out = "spf=" + std::string(policy::spf_result_name(r.spf.result)) + "\n";
  if (r.dkim.empty()) out += "dkim=none (no DKIM-Signature field)\n";
  for (const auto& v : r.dkim) out += dkim_line(v) + "\n";
  out += dmarc_line(r.dmarc) + "\n\nSPF\n";
  std::istringstream spf(policy::format_spf_output(r.spf));
  for (std::string line; std::getline(spf, line);) out += "  " + line + "\n";
  for (std::size_t i = 0; i < r.dkim.size(); ++i) {
    out += fmt::format("DKIM signature {} of {}\n", i + 1, r.dkim.size());
    for (const auto& step : r.dkim[i].steps) out += "  " + step + "\n";
  }
  out += "DMARC\n";
  for (const auto& step : r.dmarc.steps) out += "  " + step + "\n";
  auto ar = auth::receiver_results(receiver, &r.spf, &r.dkim, &r.dmarc);
  out += "\nAuthentication-Results:" + auth::format_authentication_results(ar) + "\n";
  return out;
}

}  // namespace

int auth_command(const std::vector<std::string>& argv) {
  args a(argv, {{"message", true}, {"ip", true}, {"mail-from", true}, {"helo", true}, {"host", true}, {"help", false}});
  if (a.flag("help")) {
    std::cout << auth_help;
    return exit_ok;
  }
  if (a.positional().size() != 1) throw usage_error("expects exactly one scenario file");
  auto file = a.value("message");
  if (!file) throw usage_error("--message FILE.eml is required");
  auto ip = a.value("ip");
  if (!ip || !dns::parse_ip(*ip)) throw usage_error("--ip takes an IPv4 or IPv6 address");
  const std::string raw = read_message(*file);
  std::string mail_from;
  if (auto given = a.value("mail-from")) {
    mail_from = *given;
  } else {
    auto from = auth::from_fields(raw);
    auto addresses = from.empty() ? std::vector<std::string>{} : auth::mailbox_addresses(from.front());
    if (addresses.empty()) throw usage_error("the message has no From address: give --mail-from");
    mail_from = addresses.front();
  }
  std::string helo = a.value("helo").value_or("");
  if (mail_from.empty() && helo.empty()) throw usage_error("an empty --mail-from needs --helo");
  std::string receiver = a.value("host").value_or("mailsim");
  auto s = load_or_report(a.positional()[0]);
  if (!s) return exit_usage;
  if (a.value("host") && !s->find_host(receiver)) throw usage_error("--host: the scenario has no host " + receiver);
  set_activity("checking the authentication of " + *file);
  auth_report report;
  with_resolver(*s, [&](dns::resolver& r) -> asio::awaitable<void> {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(s->start.time_since_epoch()).count();
    policy::spf_request sreq;
    sreq.client_ip = *ip;
    sreq.mail_from = mail_from;
    sreq.helo = helo;
    sreq.asker = receiver;
    sreq.receiver = receiver;
    sreq.timestamp = now;
    report.spf = co_await policy::evaluate_spf(r, sreq);
    auth::dkim_request dreq;
    dreq.asker = receiver;
    dreq.message = raw;
    dreq.now = now;
    report.dkim = co_await auth::verify_dkim(r, std::move(dreq));
    auth::dmarc_request mreq;
    mreq.asker = receiver;
    mreq.from_fields = auth::from_fields(raw);
    mreq.spf = {report.spf.result, report.spf.domain};
    mreq.dkim = report.dkim;
    // The receiving MTA's first pct draw (sim/mta: the stream mta/HOST/dmarc).
    mreq.pct_draw = static_cast<unsigned>(random_source(s->seed).stream("mta/" + receiver + "/dmarc").below(100));
    report.dmarc = co_await auth::evaluate_dmarc(r, std::move(mreq));
  });
  std::cout << format_report(report, receiver);
  return exit_ok;
}

}  // namespace sim::cli
