// sim/scenario/world.hpp - a scenario's world: hosts, agents, DNS, network, timeline.
//
// Built from a loaded scenario on one clock (virtual for `run`, real for
// `serve`).  start() reports sim.start, starts every MTA, LDA and POP3
// server and schedules the timeline; afterwards outcome() collects what
// the expectations read.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "fake_dns/fake_resolver.hpp"
#include "fake_dns/zone_store.hpp"
#include "sim/scenario/delivery_retention.hpp"
#include "sim/scenario/dnsbl_operators.hpp"
#include "sim/core/task_group.hpp"
#include "sim/lda/lda.hpp"
#include "sim/mta/mta.hpp"
#include "sim/mua/mua.hpp"
#include "sim/net/network.hpp"
#include "sim/scenario/expect.hpp"
#include "sim/scenario/model.hpp"
#include "sim/scenario/outcome.hpp"
#include "sim/storage/store.hpp"

namespace sim::scenario {

// Makes the durable store of a host ("spool" for the queue, "mail" for
// mailboxes): memory_store in simulation, file_store under --spool live.
using store_factory = std::function<std::unique_ptr<storage::store>(const std::string& host, const std::string& kind)>;

// What a world keeps of the mail it moves.  Everything by default (tests,
// live mode, where clients may fetch any time); a run keeps only what its
// expectations, its POP3 fetches, --maildir and --report will read
// (retention_for), so that a campaign's mail costs no memory.
struct world_options {
  // Message bodies in the mailboxes.  Without them a mailbox keeps each
  // message's uid and size only (quotas and recovery still count them).
  bool keep_mailboxes = true;
  // outcome.deliveries: every final delivery, with the message as filed;
  // when deliveries_to is set, only those to these mailboxes.
  bool record_deliveries = true;
  std::optional<std::vector<std::string>> deliveries_to;
  bool record_sent = true;     // outcome.sent
  bool record_fetched = true;  // outcome.fetched
  // Live mode with `serve --tls-dir`: the real handshake for a host's
  // STARTTLS and implicit TLS, and the smtps/pop3s/imaps services.  Empty:
  // the simulation models TLS, unless `tls_unavailable` (live mode without
  // --tls-dir): then no host offers it.
  std::function<asio::awaitable<std::optional<net::tls_info>>(std::shared_ptr<net::stream>&, const std::string& host)>
      tls_accept = {};
  bool tls_unavailable = false;
};

// The retention a run of `s` needs; `mailboxes_read_after`: --maildir or
// --report reads the mailboxes when the run is over (then every delivery is
// kept too, for the report).
world_options retention_for(const scenario& s, bool mailboxes_read_after);

// Where a host's service is reachable from outside (live mode).
struct service_port {
  std::string host;
  std::string service;  // "smtp", "submission", "pop3", "imap", "smtps", "imaps", "pop3s"
  std::uint16_t port = 0;
};

class world {
 public:
  world(const scenario& s, sim::clock& clk, sim::trace& tr, std::uint64_t seed, store_factory stores = {},
        world_options options = {});
  ~world();
  world(const world&) = delete;
  world& operator=(const world&) = delete;

  // `recover`: the stores outlive the process (live mode's --spool): every
  // MTA and mailbox store starts from what they hold, as after a restart.
  void start(bool recover = false);
  // Reports expectation results (expect.pass / expect.fail) and sim.end
  // (the last event).
  void finish(const std::vector<expect_result>& results);
  // What the mail-based expectations and queue_empty read, the queue sizes
  // filled in now (the trace-based ones read the expect_monitor the caller
  // watched the run with: set outcome::monitor).
  outcome& collect();
  // Stops every host and action (cancellation reaches every coroutine), so
  // that nothing of the world is left waiting when it is destroyed.  Call it
  // after the trace is closed; drain the io_context afterwards.
  void stop();

  const scenario& spec() const { return spec_; }
  net::network& network() { return net_; }
  dns::zone_store& zones() { return zones_; }
  dns::fake_resolver& resolver() { return resolver_; }
  std::vector<service_port> services() const;
  // Live mode: a connection from outside reached `host`'s `service`.
  void accept_outside(const std::string& host, const std::string& service, std::shared_ptr<net::stream> conn,
                      const net::connection_info& info);
  // Live mode (`serve --retain`): each mailbox keeps at most `per_mailbox`
  // messages, the oldest dropped first, each drop reported as `lda.drop`;
  // the record of deliveries (collect().deliveries) keeps the same bound.
  void retain_mailboxes(std::size_t per_mailbox);
  // Every mailbox of every host, for --maildir.
  struct mailbox_view {
    std::string host;
    std::string address;
    std::vector<std::string> messages;
    std::vector<std::string> folders;       // the folder of each message ("INBOX", "Junk")
    std::vector<std::string> folder_names;  // every folder of the mailbox, INBOX first
  };
  std::vector<mailbox_view> mailboxes() const;
  // Live mode's API (`serve --http`): a timeline action performed now, as
  // the timeline would at this moment (a send through send_now()).
  void act_now(const action& what);
  // A timeline send performed now; an API send without `id` is given
  // `fallback_id`.  Returns the message's id and its Message-ID.
  std::pair<std::string, std::string> send_now(send_action a, const std::string& fallback_id);
  // The fault objects in force on `host` (timeline and API alike), as
  // written, oldest first; a heal clears them.
  const std::vector<json>& faults_on(const std::string& host) const;
  // An MTA host's queue, mailboxes (nullptr when it has none, or no such host).
  const mta::queue* queue_of(const std::string& host) const;
  lda::mailbox_store* mailboxes_of(const std::string& host) const;
  // The anonymous client machine's name and address.
  const std::string& anonymous_host() const { return anonymous_host_; }
  // Set when a coroutine died of a bug (exit status 3).
  std::exception_ptr failure() const { return failure_; }
  const std::string& anonymous_ip() const { return anonymous_ip_; }

 private:
  struct host_agents;
  struct campaign_run;  // world_campaign.cpp
  struct reader;        // world_readers.cpp

  void report_failure(std::exception_ptr e);
  void record_delivery(lda::delivery_record d);
  void add_dns();
  void add_dkim_keys();
  void add_hosts();
  void add_host(const host& h);
  void schedule_timeline();
  void perform(const timeline_entry& entry);
  std::string perform_send(const send_action& a);
  void perform_fetch(const fetch_action& a);
  void perform_fault(const host_fault& f);
  void perform_heal(const heal_action& a);
  void perform_crash(const std::string& host);
  void perform_restart(const std::string& host);
  void perform_dns(const dns_change& c);
  // world_campaign.cpp: recipients drawn before the hosts are built (their
  // mailboxes), then the campaign's messages submitted as it is paced.
  void generate_campaigns();
  void add_campaign_mailboxes(const host& h, lda::mailbox_store& boxes) const;
  void perform_campaign(const campaign_action& c);
  void submit_campaign_message(campaign_run& run, std::uint64_t k);
  mua::submission campaign_submission(const campaign_run& run, std::uint64_t k);
  void stop_campaigns();
  // world_readers.cpp: the recipients' readers (a campaign's `engagement`):
  // decisions drawn with the recipients, a machine per receiving domain, and
  // each copy filed in INBOX opened (and maybe reported as spam) when due.
  void draw_engagement(campaign_run& run);
  bool has_readers() const { return engaged_campaigns_ > 0; }
  void add_reader_machines();
  void on_filed(const std::string& host, const lda::filed_copy& copy);
  void arm_reader(reader& r);
  void start_reading(reader& r);
  void reader_done(reader& r);
  void stop_readers();
  void listen_pop3(host_agents& agents);
  void serve_pop3(host_agents& agents, std::shared_ptr<net::stream> conn, bool trace_commands,
                  std::optional<net::tls_info> implicit_tls = std::nullopt);
  void serve_implicit_tls(host_agents& agents, std::shared_ptr<net::stream> conn, bool imap);
  asio::awaitable<void> implicit_tls_session(host_agents& agents, std::shared_ptr<net::stream> conn, bool imap);
  std::function<asio::awaitable<std::optional<net::tls_info>>(std::shared_ptr<net::stream>&)> tls_handshake(
      const std::string& host, std::uint16_t port) const;
  void serve_imap(host_agents& agents, std::shared_ptr<net::stream> conn, bool trace_commands,
                  std::optional<net::tls_info> implicit_tls = {});
  std::string pick_anonymous_ip() const;
  std::pair<std::string, std::uint16_t> submission_target(const send_action& a, std::string& via) const;
  std::string password_of(const std::string& address) const;

  const scenario& spec_;
  sim::clock& clock_;
  sim::trace& trace_;
  std::uint64_t seed_;
  // Each host's DKIM signers with their keys (the PEM's, or derived from the seed).
  std::map<std::string, std::vector<mta::dkim_signer>> signers_;
  sim::random_source random_;
  store_factory stores_;
  dns::zone_store zones_;
  dns::fake_resolver resolver_;
  net::network net_;
  mua::mua mua_;
  dnsbl_operators dnsbls_;  // the DNSBLs hosts run (host key `dnsbl_zone`), fed by spam traps
  std::map<std::string, std::unique_ptr<host_agents>> hosts_;
  task_group tasks_;  // timeline actions, MUA work
  std::vector<clock::timer_id> timeline_timers_;
  std::string anonymous_host_ = "client.invalid";
  std::string anonymous_ip_;
  std::uint64_t sent_ = 0;
  std::vector<std::unique_ptr<campaign_run>> campaign_runs_;
  std::size_t engaged_campaigns_ = 0;                                   // campaigns with `engagement`
  std::unordered_map<std::string, const campaign_run*> engaged_messages_;    // Message-ID -> its campaign
  std::map<std::string, std::string> reader_machines_;                  // receiving domain -> readers' machine
  std::unordered_map<std::string, std::unique_ptr<reader>> readers_;    // "host\nmailbox\nprotocol"
  world_options options_;
  outcome record_;
  std::optional<delivery_retention> recorded_retention_;  // `serve --retain`
  std::map<std::string, std::vector<json>> faults_in_force_;
  std::exception_ptr failure_;
};

}  // namespace sim::scenario
