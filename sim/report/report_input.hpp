// sim/report/report_input.hpp - what the HTML report is built from, besides the trace.
//
// Plain structs, filled by the program (sim/cli/report_input.cpp translates a
// scenario and its run), so that sim/report depends neither on the scenario
// model nor on how events are kept in memory.  The trace itself arrives one
// event at a time (report_builder::add) or as JSON Lines (report_html).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/campaign/analytics.hpp"

namespace sim::report {

// One trace event as read from a JSON Lines line (trace-format.md).
using json_event = nlohmann::ordered_json;

// What a host does in the scenario, one line in its box on the map.
enum class role_kind {
  client,         // a machine where an MUA runs (composes, submits, fetches)
  submission,     // MSA: takes mail from its users on port 587 with AUTH
  mx,             // named by an MX record (or the implicit MX) of a domain
  backup_mx,      // an MX that only relays (relay_domains) to a better one
  relay,          // relays for domains without being their MX
  smarthost,      // other MTAs send all their outbound mail through it
  via_smarthost,  // sends its outbound mail through a smarthost
  lda,            // files mail into mailboxes (and serves them over POP3)
  policy,         // receiving policy: DNSBL, SPF, greylisting, antivirus
  dnsbl           // the DNS zone of a DNSBL it consults
};

struct host_role {
  role_kind kind = role_kind::client;
  std::string text;  // "MX 10 for example.org"
};

struct host_summary {
  std::string name;
  std::vector<std::string> addresses;  // "192.0.2.25", "2001:db8::25"
  std::vector<host_role> roles;        // most important first
};

struct scenario_summary {
  std::string id;           // names the files
  std::string title;        // one line
  std::string description;  // may be empty
  std::uint64_t seed = 1;
  std::string start;                // RFC 3339 wall time of t = 0
  std::vector<host_summary> hosts;  // the scenario's hosts, by name
  std::vector<std::string> dns;     // the scenario's records, as written
  std::vector<std::string> dns_roles;  // what the DNS serves beyond names: "DNSBL operator: bl.test lists 192.0.2.25"
};

struct expectation_line {
  std::string line;  // "PASS delivered bob@example.org (message hello): delivered on ..."
  bool pass = false;
};

// One message as an LDA filed it (before any POP3 fetch deleted it).
struct filed_message {
  std::string host;     // the host whose LDA filed it
  std::string mailbox;  // the address
  std::string raw;      // the bytes as filed: Return-Path, Delivered-To, Received ...
  std::optional<std::int64_t> at;  // simulated ms; none: taken from the trace's lda.deliver
  std::string folder;              // "" when the store has no folders
};

struct report_input {
  scenario_summary scenario;
  std::vector<expectation_line> expectations;
  std::string summary;                 // "N passed, N failed"
  std::vector<std::string> timeline;   // narrated lines, no colours
  std::vector<filed_message> delivered;
  // The campaigns' delivery analytics as the run computed them (the figures
  // of --stats); empty without a campaign, and then the page has no
  // "Delivery analytics" section.
  std::vector<campaign::campaign_result> campaigns;
};

// Every bound of the report in one place.  A run with 1,000 hosts or 100,000
// messages still gives a page of bounded size, built in time linear in the
// trace: what is over a bound is folded, sampled or left out, and the page
// says so.  Memory held while reading the trace is bounded by the same numbers.
struct report_limits {
  std::size_t max_map_hosts = 24;        // boxes on the map; the rest become one "N more hosts" box
  std::size_t max_lifelines = 12;        // host lifelines; the rest share one "other hosts" lifeline
  std::size_t max_blocks = 600;          // sessions and groups drawn in the sequence diagram
  std::size_t max_rows = 4000;           // rows kept for the whole diagram (after merging repeats)
  std::size_t max_session_rows = 300;    // rows kept for one session
  std::size_t open_rows = 160;           // rows shown unfolded before sessions start folding
  std::size_t max_messages = 40;         // messages with a full view
  std::size_t max_listed_messages = 500; // messages in the list (the rest are counted)
  std::size_t max_message_bytes = 48 * 1024;  // of one delivered message or DSN shown
  std::size_t max_hops = 40;             // hop rows in one message's journey
  std::size_t max_timeline_lines = 2500; // narrated lines shown (the first ones and the last ones)
  std::size_t max_expectations = 1000;   // expectation lines shown
  std::size_t max_page_bytes = 8 * 1024 * 1024;  // hard cap on the page (documented in the README)
};

}  // namespace sim::report
