// sim/cli/world_command.cpp - `mailsim world SCENARIO [options] -- COMMAND [ARGS...]`.
//
// A real program (the MTA under test) inside the scenario's world: private
// namespaces (world_namespace), every simulated host's services on its own
// address and real ports (live_server), the fake DNS on port 53
// (world_dns), simulated hosts reaching external ones over real TCP
// (world_connect), COMMAND run inside (world_child), the timeline in real
// time, the expectations checked at the end as `run` checks them.
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/live_server.hpp"
#include "sim/cli/run_report.hpp"
#include "sim/cli/scenario_io.hpp"
#include "sim/cli/world_child.hpp"
#include "sim/cli/world_clock.hpp"
#include "sim/cli/world_connect.hpp"
#include "sim/cli/world_dns.hpp"
#include "sim/cli/world_namespace.hpp"
#include "sim/cli/world_ready.hpp"
#include "sim/core/real_clock.hpp"
#include "sim/core/trace_jsonl.hpp"
#include "sim/message/maildir.hpp"
#include "sim/report/narrate.hpp"
#include "sim/report/report_dir.hpp"
#include "sim/report/summary.hpp"
#include "sim/scenario/expect.hpp"
#include "sim/scenario/expect_monitor.hpp"

namespace sim::cli {
namespace {

const char* const world_help =
    "usage: mailsim world SCENARIO.json [options] -- COMMAND [ARGS...]\n"
    "\n"
    "Runs a real program (typically a script that starts the MTA under test and\n"
    "injects mail) inside the scenario's world, as root: private network, mount\n"
    "and PID namespaces; every host's address on loopback; each simulated host's\n"
    "services on its own address (smtp 25, submission 587, pop3 110); the fake\n"
    "DNS on UDP and TCP 127.0.0.53:53 with a resolv.conf mounted over\n"
    "/etc/resolv.conf.  Hosts marked \"external\": true are the real programs:\n"
    "simulated hosts reach them over real TCP.  The timeline plays in real time;\n"
    "the run ends when COMMAND exits (after --grace), at --until (COMMAND and\n"
    "everything it started are killed) or on SIGINT/SIGTERM; then the\n"
    "expectations are checked as `mailsim run` checks them.\n"
    "\n"
    "COMMAND finds in MAILSIM_READY_FD the number of a descriptor open for\n"
    "writing; with --wait-ready the timeline waits (virtual time stays at 0,\n"
    "the services already listen) until COMMAND writes the line READY to it.\n"
    "\n"
    "  --wait-ready[=D]  start the timeline when COMMAND writes READY; if it\n"
    "                 exits or closes the descriptor first, or D passes (default\n"
    "                 60s), stop with exit status 2\n"
    "  --until D      stop at D (default: the scenario's until, else 10m),\n"
    "                 counted from READY with --wait-ready\n"
    "  --grace D      keep the world running D after COMMAND exits, so that\n"
    "                 mail in flight is filed (default 1s)\n"
    "  --trace FILE   write the JSON Lines trace (as it happens)\n"
    "  --report DIR   write the report files (the page at the end)\n"
    "  --maildir DIR  write every mailbox as a Maildir at the end\n"
    "  --seed N       override the scenario's seed\n"
    "  --quiet        do not print the narrated trace\n"
    "\n"
    "Only documentation addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,\n"
    "2001:db8::/32) and loopback are accepted for hosts.  Exit status: 0 every\n"
    "expectation passed; 1 one failed, or COMMAND exited with a status other than\n"
    "0 by itself; 2 bad usage, a scenario that cannot be loaded, not root or no\n"
    "namespaces, a port already in use, no READY with --wait-ready; 3 an\n"
    "internal error.\n";

const std::vector<option_spec> world_options{{"until", true}, {"grace", true},  {"trace", true}, {"report", true},
                                       {"maildir", true}, {"seed", true}, {"quiet", false}, {"help", false},
                                       {"wait-ready", true}};

constexpr duration default_until = std::chrono::minutes(10);
constexpr duration default_ready_timeout = std::chrono::seconds(60);

// The arguments before "--" are mailsim's; the rest is COMMAND.
std::pair<std::vector<std::string>, std::vector<std::string>> split_command(const std::vector<std::string>& argv) {
  auto dashes = std::find(argv.begin(), argv.end(), "--");
  std::vector<std::string> ours(argv.begin(), dashes), command;
  if (dashes != argv.end()) command.assign(dashes + 1, argv.end());
  // --wait-ready's value is optional: only --wait-ready=D gives one.
  for (auto& a : ours)
    if (a == "--wait-ready") a = fmt::format("--wait-ready={}", format_duration(default_ready_timeout));
  return {ours, command};
}

duration parse_positive(const std::string& option, const std::string& text) {
  auto d = parse_duration(text);
  if (!d || *d <= duration::zero())
    throw usage_error("--" + option + " takes a duration like 30s, 5m or 1h30m, not '" + text + "'");
  return *d;
}

std::optional<std::string> address_refusal(const scenario::scenario& s, const std::string& file) {
  for (const auto& h : s.hosts)
    if (!is_world_address(h.ip))
      return file + ": /hosts/" + h.name + "/ip: \"" + h.ip +
             "\" is not a documentation or loopback address: `mailsim world` accepts only 192.0.2.0/24, "
             "198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32 and loopback, so that nothing looks like a real network";
  return std::nullopt;
}

// Every address the world's machines use: the scenario's hosts, the
// anonymous client and the machines that fetch mail.
std::vector<std::string> world_addresses(scenario::world& w) {
  const auto& s = w.spec();
  std::vector<std::string> out;
  for (const auto& h : s.hosts) out.push_back(h.ip);
  out.push_back(w.anonymous_ip());
  for (const auto& entry : s.timeline)
    if (const auto* fetch = std::get_if<scenario::fetch_action>(&entry.what))
      if (auto ip = w.network().ip_of(scenario::fetching_client(s, *fetch)); ip) out.push_back(*ip);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// DNS questions from outside are the external host's when there is one.
std::string default_asker(const scenario::scenario& s) {
  std::vector<std::string> outside;
  for (const auto& h : s.hosts)
    if (h.external) outside.push_back(h.name);
  return outside.size() == 1 ? outside.front() : "dns";
}

struct world_outputs {
  std::optional<std::ofstream> trace_file;
  std::optional<sim::jsonl_sink> trace_lines;
  std::optional<report::report_writer> report;
};

void attach_outputs(const args& a, sim::trace& tr, const scenario::scenario& s, world_outputs& out) {
  if (!a.flag("quiet"))
    tr.on_event([look = report::narrate_options{false, false}](const sim::event_view& e) {
      if (auto line = report::narrate_line(e, look)) std::cout << *line << std::endl;
    });
  if (auto path = a.value("trace")) {
    out.trace_file.emplace(*path, std::ios::binary);
    out.trace_lines.emplace(tr, *out.trace_file);
  }
  if (auto dir = a.value("report")) out.report.emplace(tr, *dir, s.id);
}

// Expectations as in `run`; the trace ends with expect.* and sim.end.
std::vector<scenario::expect_result> finish_world(const args& a, scenario::world& w,
                                                 const scenario::expect_monitor& monitor, world_outputs& out) {
  scenario::outcome& o = w.collect();
  o.monitor = &monitor;
  auto results = scenario::evaluate_all(w.spec().expect, o);
  std::vector<std::string> lines;
  for (const auto& r : results) lines.push_back(r.line());
  w.finish(results);
  out.trace_lines.reset();  // flushes
  if (out.report)
    out.report->finish(run_report_input(w.spec(), w.spec().seed, lines, report_deliveries(w.collect().deliveries),
                                         w.collect().campaigns));
  if (auto dir = a.value("maildir"))
    for (const auto& box : w.mailboxes()) message::write_maildir(*dir, box.host, box.address, box.messages);
  return results;
}

struct world_run {
  const args& a;
  const scenario::scenario& s;
  const std::vector<std::string>& command;
  duration until;
  duration grace;
  std::optional<duration> ready_timeout;  // --wait-ready
};

int play(const world_run& run);

}  // namespace

int world_command(const std::vector<std::string>& argv) {
  auto [ours, command] = split_command(argv);
  args a(ours, world_options);
  if (a.flag("help")) {
    std::cout << world_help;
    return exit_ok;
  }
  if (a.positional().size() != 1) throw usage_error("expects exactly one scenario file, then -- COMMAND [ARGS...]");
  if (command.empty()) throw usage_error("expects -- COMMAND [ARGS...] after the scenario and options");
  auto s = load_or_report(a.positional()[0]);
  if (!s) return exit_usage;
  if (auto refusal = address_refusal(*s, a.positional()[0])) {
    std::cerr << *refusal << "\n";
    return exit_usage;
  }
  if (auto v = a.value("seed")) s->seed = parse_seed(*v);
  duration until = s->until.value_or(default_until);
  if (auto v = a.value("until")) until = parse_positive("until", *v);
  duration grace = std::chrono::seconds(1);
  if (auto v = a.value("grace")) grace = parse_positive("grace", *v);
  std::optional<duration> ready_timeout;
  if (auto v = a.value("wait-ready")) ready_timeout = parse_positive("wait-ready", *v);
  return play({a, *s, command, until, grace, ready_timeout});
}

namespace {

// Stops the world once: listeners closed, COMMAND killed, the goodbyes
// given a moment to reach the clients.  Only COMMAND failing by itself is a
// failure; an end at --until or on a signal is not.
struct stopper {
  asio::io_context& ctx;
  world_clock& clk;
  live_server& server;
  world_dns& dns;
  world_child& child;
  sim::trace& tr;
  bool stopping = false;
  bool not_ready = false;  // ended before READY (--wait-ready)
  std::string why;
  std::function<void()> watch_child;  // waits for the next SIGCHLD
  void operator()(std::string reason) {
    if (stopping) return;
    stopping = true;
    why = std::move(reason);
    server.stop();
    dns.stop();
    child.kill();
    clk.call_after(std::chrono::milliseconds(200), [this] { ctx.stop(); });
  }
  // Ended before READY (--wait-ready): traced, and the exit status is 2.
  void fail_readiness(std::string reason) {
    if (stopping || clk.ready()) return;
    tr.emit("sim", "sim", "world.ready.fail", {{"reason", reason}});
    not_ready = true;
    (*this)(std::move(reason));
  }
  bool command_failed() const { return why.starts_with("COMMAND") && child.status() && *child.status() != 0; }
};

// --until, from now (the timeline's start).
void arm_until(const world_run& run, stopper& stop) {
  stop.clk.call_after(run.until, [&stop, &run] { stop("--until " + format_duration(run.until) + " reached"); });
}

// --wait-ready: READY starts the timeline (t = 0 now) and --until; the
// pipe closing first, a line other than READY or the timeout ends the run.
void arm_readiness(const world_run& run, stopper& stop, ready_pipe& pipe, sim::trace& tr, real_clock& real) {
  auto fail = [&stop](std::string reason) { stop.fail_readiness(std::move(reason)); };
  auto since = real.now();
  tr.emit("sim", "sim", "world.wait",
          {{"variable", ready_fd_variable}, {"fd", child_ready_fd}, {"timeout", format_duration(*run.ready_timeout)}});
  auto timeout = stop.clk.call_after(*run.ready_timeout, [fail, &run] {
    fail("COMMAND did not write READY within --wait-ready=" + format_duration(*run.ready_timeout));
  });
  pipe.wait([&run, &stop, &tr, &real, fail, since, timeout](std::optional<std::string> refusal, bool closed) {
    if (refusal && closed)  // by COMMAND's exit?  on_child_exit says so within 100 ms
      return void(stop.clk.call_after(std::chrono::milliseconds(150), [fail, why = *refusal] { fail(why); }));
    if (refusal) return fail(*refusal);
    if (stop.stopping) return;
    stop.clk.cancel(timeout);
    // Traced before t starts to count, so that it is t = 0 however long
    // become_ready() takes to move the held timers.
    tr.emit("sim", "sim", "world.ready", {{"waited", millis(real.now()) - millis(since)}});
    stop.clk.become_ready();
    arm_until(run, stop);
  });
}

// COMMAND exited: the run ends after --grace.  Before READY it is a failure
// of readiness, unless READY is on its way (written just before the exit:
// the pipe is read within 100 ms).
void on_child_exit(const world_run& run, stopper& stop, int code) {
  auto end = [&run, &stop, code] {
    stop.clk.call_after(run.grace, [&stop, code] { stop("COMMAND exited with status " + std::to_string(code)); });
  };
  if (stop.clk.ready()) return end();
  stop.clk.call_after(std::chrono::milliseconds(100), [&stop, end, code] {
    if (stop.clk.ready()) return end();
    stop.fail_readiness("COMMAND exited with status " + std::to_string(code) + " without writing READY to " +
                        ready_fd_variable);
  });
}

// The three ways a run ends: COMMAND exits (then --grace), --until, a signal.
void arm_endings(const world_run& run, stopper& stop, asio::signal_set& child_signal, asio::signal_set& signals) {
  stop.watch_child = [&run, &stop, &child_signal] {
    child_signal.async_wait([&run, &stop](error_code ec, int) {
      if (ec) return;
      if (auto status = stop.child.poll()) on_child_exit(run, stop, *status);
      else stop.watch_child();
    });
  };
  stop.watch_child();
  if (!run.ready_timeout) arm_until(run, stop);
  signals.async_wait([&stop](error_code ec, int n) {
    if (ec) return;
    std::string name = n == SIGINT ? "SIGINT" : "SIGTERM";
    if (stop.clk.ready()) stop(name);
    else stop.fail_readiness(name + " before COMMAND wrote READY");
  });
}

// Binds every listener and the DNS; prints the listen lines and `ready`.
bool start_listening(live_server& server, world_dns& dns) {
  std::vector<listener_line> listeners;
  try {
    set_activity("binding the listeners");
    listeners = server.start();
    dns.start(asio::ip::make_address(world_dns_address));
  } catch (const boost::system::system_error& e) {
    std::cerr << "mailsim world: cannot listen (is the port in use inside the namespace?): " << e.what() << "\n";
    return false;
  }
  for (const auto& l : listeners) std::cout << "listen " << l.host << " " << l.service << " " << l.address << "\n";
  std::cout << "listen - dns " << world_dns_address << ":53\nready" << std::endl;
  return true;
}

// The trace so far (sim.end, the report) without expectations: the
// timeline never started.
int end_not_ready(scenario::world& w, world_outputs& outputs) {
  w.finish({});
  outputs.trace_lines.reset();
  if (outputs.report)
    outputs.report->finish(
        run_report_input(w.spec(), w.spec().seed, {}, report_deliveries(w.collect().deliveries), w.collect().campaigns));
  std::cerr << "mailsim world: the timeline did not start: no expectation checked\n";
  return exit_usage;
}

// Expectations and outputs; the exit status.
int end_played(const world_run& run, scenario::world& w, const scenario::expect_monitor& monitor,
               world_outputs& outputs, const stopper& stop) {
  set_activity("checking the expectations");
  auto results = finish_world(run.a, w, monitor, outputs);
  std::vector<std::string> lines;
  for (const auto& r : results) lines.push_back(r.line());
  for (const auto& l : lines) std::cout << l << '\n';
  std::cout << report::summary_line(lines) << std::endl;
  bool passed = std::all_of(results.begin(), results.end(), [](const auto& r) { return r.passed; });
  return passed && !stop.command_failed() ? exit_ok : exit_failed;
}

int play(const world_run& run) {
  asio::io_context ctx;
  sim::real_clock real(ctx, sim::real_clock::system_now());
  world_clock clk(real, !run.ready_timeout);
  sim::trace tr(&clk);
  auto retention = scenario::retention_for(run.s, run.a.value("maildir") || run.a.value("report"));
  retention.keep_mailboxes = true;
  scenario::world w(run.s, clk, tr, run.s.seed, {}, retention);
  // Time is real: hops between simulated hosts add no latency of their own.
  w.network().set_latency(duration{0});
  w.network().set_outside_connector(real_tcp_connector(clk, tr, w.network()));
  try {
    set_activity("creating the namespaces");
    enter_private_world(world_addresses(w));
  } catch (const namespace_error& e) {
    std::cerr << "mailsim world: " << e.what() << "\n";
    return exit_usage;
  }
  live_server server(ctx, clk, w, tr, live_server::own_addresses{});
  world_dns dns(ctx, w, tr, default_asker(run.s));
  ready_pipe pipe(ctx);
  // Registered before COMMAND starts: no SIGCHLD or SIGTERM is missed.
  asio::signal_set signals(ctx, SIGINT, SIGTERM);
  asio::signal_set child_signal(ctx, SIGCHLD);
  if (!start_listening(server, dns)) return exit_usage;
  world_outputs outputs;
  attach_outputs(run.a, tr, run.s, outputs);
  scenario::expect_monitor monitor(run.s.expect);
  std::size_t watching = tr.on_event([&monitor](const sim::event_view& e) { monitor.observe(e); });
  set_activity("playing scenario " + run.s.id);
  // With --wait-ready the timeline waits for READY (the MTAs run already).
  clk.hold(true);
  w.start();
  clk.hold(false);
  world_child child;
  stopper stop{ctx, clk, server, dns, child, tr, false, false, {}, {}};
  if (run.ready_timeout) arm_readiness(run, stop, pipe, tr, real);
  child.start(run.command, pipe.write_fd());
  pipe.close_write_end();
  arm_endings(run, stop, child_signal, signals);
  ctx.run();
  pipe.stop();
  std::cerr << "mailsim world: " << stop.why
            << (stop.why.starts_with("COMMAND") ? "" : ": COMMAND and everything it started killed") << "\n";
  if (w.failure()) std::rethrow_exception(w.failure());
  tr.remove_sink(watching);
  int status = stop.not_ready ? end_not_ready(w, outputs) : end_played(run, w, monitor, outputs, stop);
  // Unwind the sessions and timers still waiting while the world is alive.
  tr.close();
  w.stop();
  do ctx.restart();
  while (ctx.poll() > 0);
  return status;
}

}  // namespace
}  // namespace sim::cli
