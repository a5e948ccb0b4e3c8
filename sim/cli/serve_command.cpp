// sim/cli/serve_command.cpp - `mailsim serve SCENARIO.json [options]`: live mode.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <system_error>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/live_server.hpp"
#include "sim/cli/run_report.hpp"
#include "sim/cli/scenario_io.hpp"
#include "sim/cli/serve_tls.hpp"
#include "sim/cli/world_http.hpp"
#include "sim/core/real_clock.hpp"
#include "sim/http/listen_address.hpp"
#include "sim/http/server.hpp"
#include "sim/message/maildir.hpp"
#include "sim/core/trace_jsonl.hpp"
#include "sim/report/narrate.hpp"
#include "sim/report/report_dir.hpp"
#include "sim/report/summary.hpp"
#include "sim/scenario/expect.hpp"
#include "sim/scenario/expect_monitor.hpp"
#include "sim/storage/file_store.hpp"
#include "sim/storage/memory_store.hpp"

namespace sim::cli {
namespace {

const char* const serve_help =
    "usage: mailsim serve SCENARIO.json [options]\n"
    "\n"
    "Runs the scenario's world in real time with its hosts listening on real\n"
    "loopback sockets, so that real mail programs can talk to them.  Prints one\n"
    "`listen HOST SERVICE ADDRESS:PORT` line per listener, then `ready`, then the\n"
    "narrated trace as it happens.  SIGINT/SIGTERM stop it cleanly (exit 0).\n"
    "\n"
    "  --listen ADDRESS  loopback address to bind (default 127.0.0.1; only\n"
    "                    127.0.0.0/8 and ::1 are accepted)\n"
    "  --port-base N     host i gets smtp N+3i, submission N+3i+1, pop3 N+3i+2,\n"
    "                    imap N+100+4i, smtps N+100+4i+1, imaps N+100+4i+2,\n"
    "                    pop3s N+100+4i+3 (the TLS ones with --tls-dir);\n"
    "                    the DNS answers UDP on N+99 (default 2500)\n"
    "  --http ADDRESS:PORT  serve the REST API and web UI there (loopback only:\n"
    "                    127.0.0.1:8025, [::1]:8025; port 0 picks a free one)\n"
    "  --tls-dir DIR     TLS for hosts whose `tls` is offer or require: makes (or\n"
    "                    reuses) DIR/ca.pem and a certificate per host; STARTTLS,\n"
    "                    STLS and the implicit-TLS ports\n"
    "  --spool DIR       keep queues and mailboxes as real files (durable before\n"
    "                    every 250); the next serve with the same DIR recovers them\n"
    "  --retain N        keep at most N messages per mailbox, dropping the oldest\n"
    "                    (default 1000; 0: keep everything)\n"
    "  --trace FILE      write the JSON Lines trace (as it happens)\n"
    "  --report DIR      write the report files (the page at the end)\n"
    "  --maildir DIR     write every mailbox as a Maildir at the end\n"
    "  --seed N          override the scenario's seed\n"
    "  --quiet           do not print the narrated trace\n";

const std::vector<option_spec> serve_options{{"listen", true}, {"port-base", true}, {"http", true}, {"spool", true}, {"tls-dir", true},
                                       {"retain", true}, {"trace", true},     {"report", true},
                                       {"maildir", true}, {"seed", true},     {"quiet", false},
                                       {"help", false}};

// Messages each mailbox keeps when --retain is not given: a server left
// running under load stays within a bounded memory (about this many times
// the message size, per mailbox).  Mailpit's default limit is 500.
constexpr std::size_t default_retain = 1000;

asio::ip::address loopback_address(const std::string& text) {
  error_code ec;
  auto addr = asio::ip::make_address(text, ec);
  if (ec || !addr.is_loopback()) throw usage_error("--listen takes a loopback address (127.0.0.0/8 or ::1), not '" + text + "'");
  return addr;
}

std::uint16_t port_base(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 5 ||
      std::stoul(text) < 1 || std::stoul(text) > 65535 - 99)
    throw usage_error("--port-base takes a port number from 1 to 65436");
  return static_cast<std::uint16_t>(std::stoul(text));
}

// Every host's queue and mailboxes share one storage thread, so that all
// the writes waiting at a moment share one batch of syncs.
scenario::store_factory stores_for(const std::optional<std::string>& spool, sim::clock& clk,
                                   const std::shared_ptr<storage::group_commit>& commits) {
  if (!spool)
    return [&clk](const std::string&, const std::string&) -> std::unique_ptr<storage::store> {
      return std::make_unique<storage::memory_store>(clk, duration{0});
    };
  return [commits](const std::string& host, const std::string& kind) -> std::unique_ptr<storage::store> {
    return std::make_unique<storage::file_store>(commits->dir() / host / kind, commits);
  };
}

// --http ADDRESS:PORT, checked before anything starts.
std::optional<std::string> http_address(const args& a) {
  auto text = a.value("http");
  if (!text) return std::nullopt;
  if (auto where = http::parse_listen_address(*text); !where) throw usage_error("--http: " + where.error().detail);
  return text;
}

// The REST API and web UI over the world, on its io_context; destroyed
// before the world (its connections refer to the adapter).
struct http_frontend {
  std::optional<world_http> api;
  std::optional<http::server> server;

  // Returns its listen line; throws system_error when the port is taken.
  listener_line start(asio::io_context& ctx, sim::real_clock& clk, scenario::world& w, sim::trace& tr,
                      const std::vector<listener_line>& listeners, const std::string& address) {
    api.emplace(w, tr, clk, listeners);
    server.emplace(ctx, clk, *api);
    return {"-", "http", server->start(address)};
  }
  void stop() {
    if (server) server->stop();
  }
};

std::size_t parse_retain(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 9)
    throw usage_error("--retain takes a number of messages (0: no limit), not '" + text + "'");
  return std::stoul(text);
}

// The expectations are checked as in `run` (the trace-based ones by a
// monitor that watched the events), so that the trace ends with
// expect.pass / expect.fail and sim.end, and the report lists them.
std::vector<std::string> finish_world(scenario::world& w, const scenario::expect_monitor& monitor) {
  scenario::outcome& o = w.collect();
  o.monitor = &monitor;
  auto results = scenario::evaluate_all(w.spec().expect, o);
  std::vector<std::string> lines;
  for (const auto& r : results) lines.push_back(r.line());
  w.finish(results);
  return lines;
}

// --trace and --report are written as the events happen: nothing of the
// trace stays in memory however long the server runs.
struct served_outputs {
  std::optional<std::ofstream> trace_file;
  std::optional<sim::jsonl_sink> trace_lines;
  std::optional<report::report_writer> report;
};

void write_outputs(const args& a, scenario::world& w, const std::vector<std::string>& lines, served_outputs& out) {
  out.trace_lines.reset();  // flushes
  if (out.report)
    out.report->finish(run_report_input(w.spec(), w.spec().seed, lines, report_deliveries(w.collect().deliveries),
                                         w.collect().campaigns));
  if (auto dir = a.value("maildir"))
    write_maildirs(*dir, w.mailboxes());
}

// The options that need no scenario, checked before anything starts.
struct serve_settings {
  asio::ip::address listen;
  std::uint16_t base = 0;
  std::optional<std::string> http_at;
  std::size_t retain = default_retain;
};

serve_settings read_settings(const args& a) {
  serve_settings out;
  out.listen = loopback_address(a.value("listen").value_or("127.0.0.1"));
  out.base = port_base(a.value("port-base").value_or("2500"));
  out.http_at = http_address(a);
  if (auto v = a.value("retain")) out.retain = parse_retain(*v);
  return out;
}

// What the world keeps and how TLS is answered.  Live clients may fetch any
// time, so mailboxes keep their messages; the run's record of deliveries
// keeps what the expectations read, and every delivery when --report shows
// them or POST /api/v1/expect may ask (within --retain, as the mailboxes).
// Without --tls-dir no host offers TLS: a STARTTLS that changed nothing on
// the wire must not be claimed.  Throws net::tls_error for a bad --tls-dir.
scenario::world_options live_retention(const args& a, const scenario::scenario& s, const serve_settings& set,
                                      sim::real_clock& clk, sim::trace& tr,
                                      std::unique_ptr<net::tls_certificates>& certs) {
  auto retention = scenario::retention_for(s, a.value("report") || set.http_at);
  retention.keep_mailboxes = true;
  // POST /api/v1/expect may name any message and fetch.
  if (set.http_at) retention.record_sent = retention.record_fetched = true;
  if (auto dir = a.value("tls-dir")) {
    certs = certificates_for(s, *dir);
    retention.tls_accept = live_tls_accept(*certs, s, clk, tr);
  } else {
    retention.tls_unavailable = true;
  }
  return retention;
}

// The world with its stores and certificates, in the order they must be
// destroyed: the world before the storage thread and the certificates.
struct served_world {
  std::unique_ptr<net::tls_certificates> certs;
  std::shared_ptr<storage::group_commit> commits;
  std::optional<scenario::world> w;

  // False (after saying why on stderr) when --tls-dir or --spool cannot be used.
  bool open(const args& a, const scenario::scenario& s, const serve_settings& settings, std::uint64_t seed,
            sim::real_clock& clk, sim::trace& tr) {
    scenario::world_options retention;
    try {
      retention = live_retention(a, s, settings, clk, tr, certs);
    } catch (const net::tls_error& e) {
      std::cerr << "mailsim serve: --tls-dir: " << e.what() << "\n";
      return false;
    }
    try {
      // Opening the journal replays what a crash left in it into the files,
      // before any store reads them.
      if (auto dir = a.value("spool")) commits = std::make_shared<storage::group_commit>(*dir);
      w.emplace(s, clk, tr, seed, stores_for(a.value("spool"), clk, commits), retention);
    } catch (const std::system_error& e) {  // filesystem_error and store_error alike
      std::cerr << "mailsim serve: cannot use the spool: " << e.what() << "\n";
      return false;
    }
    return true;
  }
};

// The narration on stdout (unless --quiet), damaged queue files on stderr,
// and --trace and --report written as the events happen.
void attach_outputs(const args& a, const scenario::scenario& s, sim::trace& tr, served_outputs& outputs) {
  if (!a.flag("quiet"))
    tr.on_event([look = report::narrate_options{false, false}](const sim::event_view& e) {
      if (auto line = report::narrate_line(e, look)) std::cout << *line << std::endl;
    });
  // A damaged queue file found at start-up is an operator's business even
  // with --quiet: a warning on stderr, as Postfix logs one.
  tr.on_event([](const sim::event_view& e) {
    if (e.name() != "queue.corrupt") return;
    if (auto words = report::describe(e, false))
      std::cerr << "mailsim serve: warning: " << e.host() << ": " << *words << std::endl;
  });
  if (auto path = a.value("trace")) {
    outputs.trace_file.emplace(*path, std::ios::binary);
    outputs.trace_lines.emplace(tr, *outputs.trace_file);
  }
  if (auto dir = a.value("report")) outputs.report.emplace(tr, *dir, s.id);
}

// Runs the world until SIGINT or SIGTERM: listeners closed, the goodbyes
// given 200 ms to reach the clients, then the loop stops.
void run_until_signal(asio::io_context& ctx, sim::real_clock& clk, asio::signal_set& signals, live_server& server,
                      http_frontend& web) {
  signals.async_wait([&](error_code ec, int) {
    if (ec) return;
    server.stop();
    web.stop();
    clk.call_after(std::chrono::milliseconds(200), [&ctx] { ctx.stop(); });
  });
  ctx.run();
}

// Unwinds the sessions and timers still waiting while the world is alive;
// writes still on their way to the disk finish first (their coroutines
// resume, then unwind).
void unwind_world(asio::io_context& ctx, sim::trace& tr, scenario::world& w,
                  const std::shared_ptr<storage::group_commit>& commits) {
  tr.close();
  w.stop();
  do {
    if (commits) commits->wait_idle();
    ctx.restart();
  } while (ctx.poll() > 0);
}

}  // namespace

int serve_command(const std::vector<std::string>& argv) {
  args a(argv, serve_options);
  if (a.flag("help")) {
    std::cout << serve_help;
    return exit_ok;
  }
  if (a.positional().size() != 1) throw usage_error("expects exactly one scenario file");
  auto settings = read_settings(a);
  auto s = load_or_report(a.positional()[0]);
  if (!s) return exit_usage;
  if (auto refusal = external_refusal(*s, a.positional()[0], "serve")) {
    std::cerr << *refusal << "\n";
    return exit_usage;
  }
  std::uint64_t seed = s->seed;
  if (auto v = a.value("seed")) seed = parse_seed(*v);
  // One thread runs the world (hint 1): a handler posted from it goes to
  // that thread's own queue without taking the scheduler's lock; the
  // storage thread's completions still post safely, under the lock.
  asio::io_context ctx{1};
  sim::real_clock clk(ctx, sim::real_clock::system_now());
  sim::trace tr(&clk);
  served_world served;
  if (!served.open(a, *s, settings, seed, clk, tr)) return exit_usage;
  auto& w = served.w;
  auto& commits = served.commits;
  // Time is real here: a hop between simulated hosts (a relay, a host's
  // LMTP to its own LDA) adds no latency of its own, only the work it
  // costs; the scenario's `slow` faults still add theirs.
  w->network().set_latency(duration{0});
  if (settings.retain > 0) w->retain_mailboxes(settings.retain);
  live_server server(ctx, clk, *w, tr, settings.listen, settings.base);
  // Registered before `ready`, so that a signal sent as soon as a client
  // reads it already stops the server cleanly instead of killing it.
  asio::signal_set signals(ctx, SIGINT, SIGTERM);
  std::vector<listener_line> listeners;
  http_frontend web;
  try {
    set_activity("binding the listeners");
    listeners = server.start();
    if (settings.http_at) listeners.push_back(web.start(ctx, clk, *w, tr, listeners, *settings.http_at));
  } catch (const boost::system::system_error& e) {
    std::cerr << "mailsim serve: cannot listen: " << e.what() << "\n";
    return exit_usage;
  }
  for (const auto& l : listeners) std::cout << "listen " << l.host << " " << l.service << " " << l.address << "\n";
  std::cout << "ready" << std::endl;
  served_outputs outputs;
  attach_outputs(a, *s, tr, outputs);
  scenario::expect_monitor monitor(s->expect);
  std::size_t watching = tr.on_event([&monitor](const sim::event_view& e) { monitor.observe(e); });
  set_activity("serving scenario " + s->id);
  // Recovery from --spool is queued before any connection can be accepted
  // (the file store does not suspend), so no client sees a host not yet up.
  w->start(a.value("spool").has_value());
  run_until_signal(ctx, clk, signals, server, web);
  if (w->failure()) std::rethrow_exception(w->failure());
  tr.remove_sink(watching);
  auto expectation_lines = finish_world(*w, monitor);
  set_activity("writing the outputs");
  write_outputs(a, *w, expectation_lines, outputs);
  unwind_world(ctx, tr, *w, commits);
  return exit_ok;
}

}  // namespace sim::cli
