// sim/report/topology.hpp - the map: every host as a box, the routes mail took as arrows.
//
// Laid out here, in layers from left to right in the direction mail flowed:
// a host's layer is the longest chain of connections that reached it (loops
// broken where they close), hosts that never connected anywhere go by their
// role (clients first, then submission servers, then exchangers), and a
// machine that only fetched mail over POP3 goes right of the mailbox host.
// Within a layer hosts follow their senders' order.  A connection that spans
// layers bends over the boxes between; one going back bends under them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/report/report_input.hpp"
#include "sim/report/world_model.hpp"

namespace sim::report {

struct map_fault {
  std::string words;  // "refuses connections"
  std::string when;   // "from the start to +2h"
};

struct map_node {
  std::string name;
  std::string kind;  // "host", "client", "anonymous" (named only by the trace), "more"
  std::vector<host_role> roles;
  std::vector<std::string> addresses;
  std::vector<map_fault> faults;
  int layer = 0;
  double x = 0, y = 0, w = 0, h = 0;
};

struct map_edge {
  std::size_t from = 0, to = 0;  // node indices; POP3: from the mailbox host to the reader
  route what;
};

struct map_dns {
  std::vector<std::string> roles;    // "DNSBL operator: bl.test lists 192.0.2.25"
  std::vector<std::string> records;  // as written, the first ones
  std::size_t more = 0;              // records not listed
  std::vector<map_fault> faults;
  std::string asked;  // "5 questions asked, 0 failed"
  double x = 0, y = 0, w = 0, h = 0;
};

struct map_layout {
  std::vector<map_node> nodes;
  std::vector<map_edge> edges;
  map_dns dns;
  double width = 0, height = 0;
  double lane_top = 0;         // room above the boxes for edges that span layers
  double gap = 0;              // between two columns of boxes
  std::size_t hidden_hosts = 0;  // folded into the "more" box
  std::size_t hidden_routes = 0;
};

map_layout layout_map(const scenario_summary& scenario, const world_model& world, std::size_t max_hosts,
                      double width);
std::string map_svg(const map_layout& map);

// "from the start to +2h", "from +1h30m": when a fault held.
std::string fault_span_words(const fault_span& f);

}  // namespace sim::report
