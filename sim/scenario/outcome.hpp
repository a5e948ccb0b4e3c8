// sim/scenario/outcome.hpp - what a run left behind, as the expectations
// read it.  The runner fills it after the run; tests fill it by hand.  A
// run keeps only what its expectations read (world_options).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/campaign/analytics.hpp"
#include "sim/core/trace.hpp"

namespace sim::scenario {

// One final delivery by an LDA (DSNs included: they are recognised by their
// multipart/report; report-type=delivery-status content).
struct delivery {
  std::string host;     // the host whose LDA filed it
  std::string mailbox;  // the address
  std::string raw;      // the message as filed (Return-Path, Delivered-To, Received...)
  sim::time_point at;
  std::string folder = "INBOX";  // "INBOX" or "Junk"
};

// One message retrieved by an MUA over POP3.
struct fetch_record {
  std::string user;
  std::string raw;
  sim::time_point at;
};

// One message an MUA composed (a timeline `send`).
struct sent_message {
  std::string id;                       // the scenario's message id ("" when it has none)
  std::string from;                     // reverse path ("" = null)
  std::vector<std::string> recipients;  // to, cc and bcc
  std::string message_id;               // its Message-ID header, "<...>"
  sim::time_point at;                   // when it was composed
};

class expect_monitor;

struct outcome {
  // What the trace-based expectations read: the monitor that watched the
  // run's events as they happened, or else (tests, tools) a recorded trace.
  const expect_monitor* monitor = nullptr;
  const std::vector<sim::event>* trace = nullptr;
  std::vector<delivery> deliveries;                // in order (only those the expectations read)
  std::optional<std::size_t> delivery_count;       // all of them, when `deliveries` holds only some
  std::vector<fetch_record> fetched;               // in order
  std::vector<sent_message> sent;                  // in order
  std::map<std::string, std::size_t> queue_sizes;  // MTA host -> messages left in its queue
  // The campaigns' delivery analytics (the `stats` kind), when the run had any.
  std::vector<campaign::campaign_result> campaigns;
};

}  // namespace sim::scenario
