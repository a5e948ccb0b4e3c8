// sim/report/topology.cpp - laying out the map: which hosts, which layers, where each box goes.
#include "sim/report/topology.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sim/report/svg.hpp"

namespace sim::report {
namespace {

constexpr double margin = 16;
constexpr double name_px = 12.5, role_px = 11, addr_px = 10.5;
constexpr double box_gap = 22;
constexpr std::size_t max_dns_lines = 8;

bool has_role(const map_node& n, role_kind k) {
  return std::any_of(n.roles.begin(), n.roles.end(), [&](const host_role& r) { return r.kind == k; });
}

// Hosts worth a box: the scenario's and the trace's; the most connected
// ones when there are too many.
std::vector<map_node> choose_nodes(const scenario_summary& s, const world_model& w, const std::vector<route>& routes,
                                   std::size_t max_hosts, std::size_t& hidden) {
  std::vector<map_node> all;
  std::set<std::string> named;
  for (const auto& h : s.hosts) {
    map_node n{h.name, "host", h.roles, h.addresses, {}, 0, 0, 0, 0, 0};
    if (has_role(n, role_kind::client)) n.kind = "client";
    named.insert(h.name);
    all.push_back(std::move(n));
  }
  for (const auto& h : w.hosts_seen())
    if (named.insert(h).second) all.push_back({h, "anonymous", {{role_kind::client, "anonymous client"}}, {}, {}, 0, 0, 0, 0, 0});
  hidden = 0;
  if (all.size() <= max_hosts) return all;
  std::map<std::string, std::size_t> weight;
  for (const auto& r : routes) {
    weight[r.from] += r.sessions + r.refused + r.timeouts + 1;
    weight[r.to] += r.sessions + r.refused + r.timeouts + 1;
  }
  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return weight[all[a].name] > weight[all[b].name]; });
  std::vector<bool> keep(all.size(), false);
  for (std::size_t i = 0; i + 1 < max_hosts && i < order.size(); ++i) keep[order[i]] = true;
  std::vector<map_node> out;
  for (std::size_t i = 0; i < all.size(); ++i) (keep[i] ? out.push_back(std::move(all[i])) : void(++hidden));
  return out;
}

int role_layer(const map_node& n) {
  if (n.kind != "host" || has_role(n, role_kind::client)) return 0;
  if (has_role(n, role_kind::submission) || has_role(n, role_kind::via_smarthost)) return 1;
  return 2;
}

// Longest chain of connections reaching each node, loops broken where they
// close (depth-first, clients first); -1 for nodes without connections.
std::vector<int> flow_layers(const std::vector<map_node>& nodes, const std::vector<map_edge>& edges) {
  std::size_t n = nodes.size();
  std::vector<std::vector<std::size_t>> out(n);
  for (const auto& e : edges)
    if (e.what.kind != route_kind::pop3 && e.from != e.to) out[e.from].push_back(e.to);
  std::vector<int> state(n, 0);  // 0 new, 1 on stack, 2 done
  std::vector<std::size_t> finished;
  std::set<std::pair<std::size_t, std::size_t>> back;
  std::function<void(std::size_t)> visit = [&](std::size_t u) {
    state[u] = 1;
    for (std::size_t v : out[u]) {
      if (state[v] == 1) back.insert({u, v});
      else if (state[v] == 0) visit(v);
    }
    state[u] = 2;
    finished.push_back(u);
  };
  std::vector<std::size_t> starts(n);
  for (std::size_t i = 0; i < n; ++i) starts[i] = i;
  std::stable_sort(starts.begin(), starts.end(),
                   [&](std::size_t a, std::size_t b) { return role_layer(nodes[a]) < role_layer(nodes[b]); });
  for (std::size_t s : starts)
    if (state[s] == 0 && !out[s].empty()) visit(s);
  std::vector<int> layer(n, -1);
  for (auto it = finished.rbegin(); it != finished.rend(); ++it) {
    if (layer[*it] < 0) layer[*it] = 0;
    for (std::size_t v : out[*it])
      if (!back.count({*it, v})) layer[v] = std::max(layer[v], layer[*it] + 1);
  }
  return layer;
}

void assign_layers(std::vector<map_node>& nodes, const std::vector<map_edge>& edges) {
  std::vector<int> layer = flow_layers(nodes, edges);
  for (const auto& e : edges)  // a reader that only fetched: right of the mailbox host
    if (e.what.kind == route_kind::pop3 && layer[e.to] < 0 && layer[e.from] >= 0) layer[e.to] = layer[e.from] + 1;
  int deepest = 0;
  for (int l : layer) deepest = std::max(deepest, l);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (layer[i] < 0) layer[i] = std::min(role_layer(nodes[i]), std::max(deepest, role_layer(nodes[i]) == 2 ? 2 : 0));
    nodes[i].layer = layer[i];
  }
}

double content_width(const map_node& n) {
  double w = svg::text_width(n.name, name_px, false, true);
  for (const auto& r : n.roles) w = std::max(w, svg::text_width(r.text, role_px, false) + 12);
  std::string addresses;
  for (const auto& a : n.addresses) addresses += (addresses.empty() ? "" : "  ") + a;
  return std::max(w, svg::text_width(addresses, addr_px, true));
}

double box_height(const map_node& n) {
  return 26 + 15.0 * static_cast<double>(n.roles.size()) + (n.addresses.empty() ? 0 : 15) +
         30.0 * static_cast<double>(n.faults.size()) + 6;
}

// Within a layer: by the mean position of the hosts that connected to it.
void order_layers(std::vector<map_node>& nodes, const std::vector<map_edge>& edges,
                  std::vector<std::vector<std::size_t>>& columns) {
  std::vector<double> rank(nodes.size(), 0);
  for (auto& col : columns) {
    std::vector<double> key(col.size());
    for (std::size_t k = 0; k < col.size(); ++k) {
      double sum = 0, count = 0;
      for (const auto& e : edges)
        if (e.to == col[k] && nodes[e.from].layer < nodes[col[k]].layer) sum += rank[e.from], ++count;
      key[k] = count ? sum / count : 1e9 + static_cast<double>(k);
    }
    std::vector<std::size_t> idx(col.size());
    for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = k;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    std::vector<std::size_t> sorted;
    for (std::size_t k : idx) sorted.push_back(col[k]);
    col = sorted;
    for (std::size_t k = 0; k < col.size(); ++k) rank[col[k]] = static_cast<double>(k);
  }
}

// Columns of equal width, gaps wide enough for a route's label between them.
void place_boxes(map_layout& m, std::vector<std::vector<std::size_t>>& columns) {
  double count = static_cast<double>(std::max<std::size_t>(columns.size(), 1));
  double room = m.width - 2 * margin, min_gap = 100;
  double widest = 0;
  for (const auto& n : m.nodes) widest = std::max(widest, content_width(n) + 24);
  double w = std::clamp(widest, 140.0, 300.0);
  if (count * w + (count - 1) * min_gap > room) w = std::max(110.0, (room - (count - 1) * min_gap) / count);
  double gap = count > 1 ? std::min(220.0, (room - count * w) / (count - 1)) : 0;
  double left = margin + (room - count * w - (count - 1) * gap) / 2;
  m.gap = gap;
  double tallest = 0;
  for (const auto& col : columns) {
    double h = 0;
    for (std::size_t i : col) h += box_height(m.nodes[i]) + box_gap;
    tallest = std::max(tallest, h - box_gap);
  }
  for (std::size_t l = 0; l < columns.size(); ++l) {
    double y = m.lane_top;  // tops aligned: routes between single boxes run straight
    for (std::size_t i : columns[l]) {
      map_node& n = m.nodes[i];
      n.w = w;
      n.h = box_height(n);
      n.x = left + static_cast<double>(l) * (w + gap);
      n.y = y;
      y += n.h + box_gap;
    }
  }
  m.height = m.lane_top + tallest;
}

}  // namespace

std::string fault_span_words(const fault_span& f) {
  std::string from = f.on == 0 ? "from the start" : "from +" + svg::human_duration(f.on);
  return f.off < 0 ? from : from + " to +" + svg::human_duration(f.off);
}

map_layout layout_map(const scenario_summary& s, const world_model& w, std::size_t max_hosts, double width) {
  map_layout m;
  m.width = width;
  std::vector<route> routes = w.routes();
  m.nodes = choose_nodes(s, w, routes, std::max<std::size_t>(max_hosts, 2), m.hidden_hosts);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < m.nodes.size(); ++i) index.emplace(m.nodes[i].name, i);
  for (const auto& r : routes) {
    auto a = index.find(r.from), b = index.find(r.to);
    if (a == index.end() || b == index.end()) {
      ++m.hidden_routes;
      continue;
    }
    bool fetch = r.kind == route_kind::pop3;  // mail flows from the server to the reader
    m.edges.push_back({fetch ? b->second : a->second, fetch ? a->second : b->second, r});
  }
  for (const auto& f : w.faults()) {
    auto it = index.find(f.target);
    if (!f.dns && it != index.end()) m.nodes[it->second].faults.push_back({f.words, fault_span_words(f)});
    if (f.dns) m.dns.faults.push_back({f.words, fault_span_words(f)});
  }
  assign_layers(m.nodes, m.edges);
  if (m.hidden_hosts) {
    int last = 0;
    for (const auto& n : m.nodes) last = std::max(last, n.layer);
    m.nodes.push_back({"", "more", {{role_kind::relay, "not drawn: the map keeps the busiest"}}, {}, {}, last, 0, 0, 0, 0});
  }
  int layers = 0;
  for (const auto& n : m.nodes) layers = std::max(layers, n.layer + 1);
  std::vector<std::vector<std::size_t>> columns(static_cast<std::size_t>(layers));
  for (std::size_t i = 0; i < m.nodes.size(); ++i) columns[static_cast<std::size_t>(m.nodes[i].layer)].push_back(i);
  order_layers(m.nodes, m.edges, columns);
  bool spans = std::any_of(m.edges.begin(), m.edges.end(), [&](const map_edge& e) {
    return m.nodes[e.to].layer - m.nodes[e.from].layer > 1;
  });
  m.lane_top = spans ? 44 : 12;
  place_boxes(m, columns);
  bool back = std::any_of(m.edges.begin(), m.edges.end(),
                          [&](const map_edge& e) { return m.nodes[e.to].layer <= m.nodes[e.from].layer && e.from != e.to; });
  for (std::size_t i = 0; i < s.dns_roles.size() && i < max_dns_lines; ++i) m.dns.roles.push_back(s.dns_roles[i]);
  for (std::size_t i = 0; i < s.dns.size() && i < max_dns_lines; ++i) m.dns.records.push_back(s.dns[i]);
  m.dns.more = s.dns.size() > max_dns_lines ? s.dns.size() - max_dns_lines : 0;
  double dns_lines = static_cast<double>(std::max<std::size_t>(m.dns.records.size(), 1) + m.dns.roles.size() + 2 * m.dns.faults.size() +
                                         (m.dns.more ? 1 : 0));
  m.dns.x = margin;
  std::size_t backs = static_cast<std::size_t>(std::count_if(m.edges.begin(), m.edges.end(), [&](const map_edge& e) {
    return m.nodes[e.to].layer <= m.nodes[e.from].layer && e.from != e.to;
  }));
  m.dns.y = m.height + (back ? 64 + 22.0 * static_cast<double>(backs) : 28);
  m.dns.w = std::min(480.0, width - 2 * margin);
  m.dns.h = 28 + 15 * (dns_lines + 1);
  const run_totals& t = w.totals();
  m.dns.asked = fmt::format("{} question{} asked, {} failed", t.dns_queries, t.dns_queries == 1 ? "" : "s", t.dns_failures);
  m.height = m.dns.y + m.dns.h + 8;
  return m;
}

}  // namespace sim::report
