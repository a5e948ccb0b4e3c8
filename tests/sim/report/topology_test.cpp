// Tests for sim/report/world_model and topology: routes, faults, layers, boxes that never overlap.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/report/topology.hpp"
#include "sim/report/world_model.hpp"
#include "support.hpp"

using report_test::approved_trace;
using report_test::make_event;
using sim::report::host_role;
using sim::report::map_layout;
using sim::report::role_kind;

namespace {

sim::report::world_model read_topology(const std::vector<sim::event>& events) {
  sim::report::world_model w;
  for (const auto& e : events) w.add(e);
  return w;
}

sim::report::scenario_summary backup_mx() {
  sim::report::scenario_summary s;
  s.id = "backup-mx";
  s.hosts = {{"mail.sender.test", {"192.0.2.25"}, {{role_kind::submission, "MSA: port 587 with AUTH"}}},
             {"mx1.example.org", {"198.51.100.10"}, {{role_kind::mx, "MX 10 for example.org"}}},
             {"mx2.example.org", {"198.51.100.20"}, {{role_kind::backup_mx, "backup MX 20 for example.org"}}}};
  s.dns = {"example.org MX 10 mx1.example.org", "example.org MX 20 mx2.example.org"};
  return s;
}

const sim::report::map_node& node(const map_layout& m, const std::string& name) {
  auto it = std::find_if(m.nodes.begin(), m.nodes.end(), [&](const auto& n) { return n.name == name; });
  REQUIRE(it != m.nodes.end());
  return *it;
}

bool overlap(const sim::report::map_node& a, const sim::report::map_node& b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

}  // namespace

TEST_CASE("the routes of backup-mx: refused, queued at the backup, delivered when the primary returns") {
  auto w = read_topology(approved_trace("backup-mx"));
  auto routes = w.routes();
  auto find = [&](const std::string& from, const std::string& to) {
    auto it = std::find_if(routes.begin(), routes.end(), [&](const auto& r) { return r.from == from && r.to == to; });
    REQUIRE(it != routes.end());
    return *it;
  };
  auto direct = find("mail.sender.test", "mx1.example.org");
  CHECK(direct.refused == 1);
  CHECK(direct.messages == 0);
  auto backup = find("mail.sender.test", "mx2.example.org");
  CHECK(backup.messages == 1);
  auto later = find("mx2.example.org", "mx1.example.org");
  CHECK(later.refused == 5);
  CHECK(later.messages == 1);
  REQUIRE(w.faults().size() == 1);
  CHECK(w.faults()[0].target == "mx1.example.org");
  CHECK(w.faults()[0].words == "refuses connections");
  CHECK(w.faults()[0].on == 0);
  CHECK(w.faults()[0].off == 7'200'000);
  CHECK(sim::report::fault_span_words(w.faults()[0]) == "from the start to +2h");
}

TEST_CASE("layers follow the mail: client, sender, backup, primary, boxes never overlap") {
  auto m = sim::report::layout_map(backup_mx(), read_topology(approved_trace("backup-mx")), 24, 1160);
  CHECK(node(m, "client.invalid").layer == 0);
  CHECK(node(m, "mail.sender.test").layer == 1);
  CHECK(node(m, "mx2.example.org").layer == 2);
  CHECK(node(m, "mx1.example.org").layer == 3);
  CHECK(node(m, "client.invalid").kind == "anonymous");
  REQUIRE(node(m, "mx1.example.org").faults.size() == 1);
  CHECK(node(m, "mx1.example.org").faults[0].words == "refuses connections");
  CHECK(node(m, "mx1.example.org").faults[0].when == "from the start to +2h");
  for (std::size_t i = 0; i < m.nodes.size(); ++i) {
    CHECK(m.nodes[i].x >= 0);
    CHECK(m.nodes[i].x + m.nodes[i].w <= m.width);
    for (std::size_t j = i + 1; j < m.nodes.size(); ++j) CHECK_FALSE(overlap(m.nodes[i], m.nodes[j]));
  }
  CHECK(m.dns.y >= m.nodes[0].y + m.nodes[0].h);
  CHECK(m.height >= m.dns.y + m.dns.h);
  std::string svg = sim::report::map_svg(m);
  CHECK(svg.find("5 refused") != std::string::npos);
  CHECK(svg.find("class=\"node host hurt\" data-host=\"mx1.example.org\"") != std::string::npos);
  CHECK(svg.find("class=\"edge fail\"") != std::string::npos);
}

TEST_CASE("a reader that only fetched goes right of the mailbox host") {
  sim::report::scenario_summary s;
  s.hosts = {{"alice-laptop.sender.test", {"203.0.113.7"}, {{role_kind::client, "MUA (client machine)"}}},
             {"mail.sender.test", {"192.0.2.25"}, {{role_kind::submission, "MSA"}}},
             {"mx1.example.org", {"198.51.100.10"}, {{role_kind::mx, "MX 10 for example.org"}}}};
  auto m = sim::report::layout_map(s, read_topology(approved_trace("tour")), 24, 1160);
  CHECK(node(m, "alice-laptop.sender.test").layer == 0);
  CHECK(node(m, "mx1.example.org").layer == 2);
  CHECK(node(m, "bob-mua.example.org").layer == 3);
  CHECK(sim::report::map_svg(m).find("POP3 110") != std::string::npos);
}

TEST_CASE("hosts that never connected are placed by their role, too many hosts fold into one box") {
  sim::report::scenario_summary s;
  for (int i = 0; i < 60; ++i)
    s.hosts.push_back({"mx" + std::to_string(i) + ".example", {"192.0.2." + std::to_string(i)},
                       {{role_kind::mx, "MX 10 for d" + std::to_string(i)}}});
  s.hosts.push_back({"pc.example", {"203.0.113.1"}, {{role_kind::client, "MUA (client machine)"}}});
  sim::report::world_model w;
  w.add(make_event(0, 5, "pc.example", "net", "net.connect", {{"session", "s1"}, {"peer", "mx7.example"}, {"port", 25}}));
  auto m = sim::report::layout_map(s, w, 24, 1160);
  CHECK(m.nodes.size() == 24);  // 23 hosts and the "more" box
  CHECK(m.hidden_hosts == 38);
  CHECK(m.nodes.back().kind == "more");
  CHECK(node(m, "pc.example").layer == 0);
  CHECK(node(m, "mx7.example").layer == 1);
  std::string svg = sim::report::map_svg(m);
  CHECK(svg.find("more hosts") != std::string::npos);
}

TEST_CASE("names from the world are escaped on the map") {
  sim::report::scenario_summary s;
  s.hosts = {{"a\"><script>x</script>", {"192.0.2.1"}, {{role_kind::relay, "<b>relay</b>"}}}};
  sim::report::world_model w;
  auto svg = sim::report::map_svg(sim::report::layout_map(s, w, 24, 1160));
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("data-host=\"a&quot;&gt;&lt;script&gt;") != std::string::npos);
}

TEST_CASE("the DNS box names the DNSBL operator and what it lists, and grows to hold it") {
  auto plain = sim::report::layout_map(backup_mx(), read_topology(approved_trace("backup-mx")), 24, 1160);
  auto s = backup_mx();
  s.dns_roles = {"DNSBL operator: bl.dnsbl.test lists 192.0.2.25"};
  auto m = sim::report::layout_map(s, read_topology(approved_trace("backup-mx")), 24, 1160);
  CHECK(m.dns.roles == s.dns_roles);
  CHECK(m.dns.h == plain.dns.h + 15);
  CHECK(sim::report::map_svg(m).find(">DNSBL operator: bl.dnsbl.test lists 192.0.2.25</text>") != std::string::npos);
}
