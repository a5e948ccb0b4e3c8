// sim/report/topology_svg.cpp - drawing the map laid out by topology.cpp.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/report/escape.hpp"
#include "sim/report/svg.hpp"
#include "sim/report/topology.hpp"

namespace sim::report {
namespace {

using svg::num;

const char* role_class(role_kind k) {
  switch (k) {
    case role_kind::client: return "r-client";
    case role_kind::submission: return "r-msa";
    case role_kind::mx: return "r-mx";
    case role_kind::backup_mx: return "r-backup";
    case role_kind::relay:
    case role_kind::smarthost:
    case role_kind::via_smarthost: return "r-relay";
    case role_kind::lda: return "r-lda";
    case role_kind::policy:
    case role_kind::dnsbl: return "r-policy";
  }
  return "r-relay";
}

// "⚠ refuses connections" and, under it, when.
void draw_fault(std::string& out, const map_fault& f, double tx, double& y, double room) {
  out += fmt::format("<text class=\"fault\" x=\"{}\" y=\"{}\">{}</text>", num(tx), num(y + 15),
                     xml_escape(svg::fit("\xE2\x9A\xA0 " + f.words, room, 11, false)));
  out += fmt::format("<text class=\"fault when\" x=\"{}\" y=\"{}\">{}</text>", num(tx + 14), num(y + 30),
                     xml_escape(svg::fit(f.when, room - 14, 11, false)));
  y += 30;
}

void draw_node(std::string& out, const map_node& n) {
  bool hurt = !n.faults.empty();
  std::string tip = n.name.empty() ? "hosts not drawn" : n.name;
  for (const auto& r : n.roles) tip += "\n" + r.text;
  for (const auto& f : n.faults) tip += "\nfault: " + f.words + ", " + f.when;
  out += fmt::format("<g class=\"node {}{}\" data-host=\"{}\"><title>{}</title>", n.kind, hurt ? " hurt" : "",
                     xml_escape(n.name, true), xml_escape(tip));
  out += fmt::format("<rect class=\"box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>", num(n.x), num(n.y),
                     num(n.w), num(n.h));
  double tx = n.x + 10, room = n.w - 20, y = n.y + 19;
  out += fmt::format("<text class=\"name\" x=\"{}\" y=\"{}\">{}</text>", num(tx), num(y),
                     xml_escape(svg::fit(n.name.empty() ? "more hosts" : n.name, room, 12.5, false, true)));
  y += 7;
  for (const auto& r : n.roles) {
    y += 15;
    out += fmt::format("<circle class=\"dot {}\" cx=\"{}\" cy=\"{}\" r=\"3.5\"/>", role_class(r.kind), num(tx + 3),
                       num(y - 4));
    out += fmt::format("<text class=\"role\" x=\"{}\" y=\"{}\">{}</text>", num(tx + 12), num(y),
                       xml_escape(svg::fit(r.text, room - 12, 11, false)));
  }
  if (!n.addresses.empty()) {
    std::string a;
    for (const auto& s : n.addresses) a += (a.empty() ? "" : "  ") + s;
    y += 15;
    out += fmt::format("<text class=\"addr\" x=\"{}\" y=\"{}\">{}</text>", num(tx), num(y),
                       xml_escape(svg::fit(a, room, 10.5, true)));
  }
  for (const auto& f : n.faults) draw_fault(out, f, tx, y, room);
  out += "</g>";
}

// What a route carried, one short line each: "SMTP 25", "1 message", "5 refused".
std::vector<std::string> edge_words(const route& r) {
  std::vector<std::string> lines{r.kind == route_kind::submission ? "SMTP 587"
                                 : r.kind == route_kind::smtp     ? "SMTP 25"
                                 : r.kind == route_kind::pop3     ? (r.port == 143 ? "IMAP 143" : "POP3 110")
                                                                  : fmt::format("port {}", r.port)};
  auto add = [&](std::size_t n, const char* one, const char* many) {
    if (n) lines.push_back(fmt::format("{} {}", n, n == 1 ? one : many));
  };
  if (r.kind == route_kind::pop3) add(r.sessions, "fetch", "fetches");
  else add(r.messages, "message", "messages");
  if (r.recipients > r.messages) add(r.recipients, "recipient", "recipients");
  add(r.refused, "refused", "refused");
  add(r.timeouts, "timeout", "timeouts");
  add(r.rejected, "turned away", "turned away");
  add(r.deferred, "told to retry", "told to retry");
  return lines;
}

const char* edge_look(const route& r) {
  if (r.kind == route_kind::pop3) return "fetch";
  if (r.messages) return "mail";
  if (r.rejected) return "reject";
  if (r.deferred) return "defer";
  return "fail";
}

struct point {
  double x, y;
};

// The path of an edge and where its label and arrowhead go.
struct edge_path {
  std::string d;
  point label, tip;
  double dir = 1;  // arrowhead pointing right (1), left (-1), down (2), up (-2)
};

edge_path route_path(const map_layout& m, const map_node& a, const map_node& b, int lane) {
  edge_path p;
  if (b.layer > a.layer) {
    point s{a.x + a.w, a.y + std::min(a.h / 2, 24.0)}, t{b.x - 2, b.y + std::min(b.h / 2, 24.0)};
    double lift = b.layer - a.layer > 1 ? std::max(8.0, m.lane_top - 28) : -1;
    double c1y = lift >= 0 ? lift : s.y, c2y = lift >= 0 ? lift : t.y;
    double dx = std::max(40.0, (t.x - s.x) / 3);
    p.d = fmt::format("M{} {}C{} {} {} {} {} {}", num(s.x), num(s.y), num(s.x + dx), num(c1y), num(t.x - dx), num(c2y),
                      num(t.x), num(t.y));
    p.label = {(s.x + 3 * (s.x + dx) + 3 * (t.x - dx) + t.x) / 8, (s.y + 3 * c1y + 3 * c2y + t.y) / 8};
    p.tip = t;
    return p;
  }
  // Back (or within a layer): under the boxes, each such route on its own lane.
  double shift = 14.0 * lane;
  point s{a.x + a.w / 2 + 10 + shift, a.y + a.h}, t{b.x + b.w / 2 - 10 + shift, b.y + b.h + 2};
  double low = std::max(s.y, t.y) + 40 + 22.0 * lane;
  p.d = fmt::format("M{} {}C{} {} {} {} {} {}", num(s.x), num(s.y), num(s.x), num(low), num(t.x), num(low), num(t.x),
                    num(t.y));
  p.label = {(s.x + t.x) / 2, (s.y + 6 * low + t.y) / 8};
  p.tip = t;
  p.dir = -2;
  return p;
}

// Routes going back get lanes under the boxes, in the order they appear.
int back_lane(const map_layout& m, const map_edge& e) {
  int lane = 0;
  for (const auto& o : m.edges) {
    if (&o == &e) break;
    if (o.from != o.to && m.nodes[o.to].layer <= m.nodes[o.from].layer) ++lane;
  }
  return lane;
}

void draw_edge(std::string& out, const map_layout& m, const map_edge& e, bool label) {
  const map_node &a = m.nodes[e.from], &b = m.nodes[e.to];
  if (e.from == e.to) return;
  edge_path p = route_path(m, a, b, back_lane(m, e));
  const char* look = edge_look(e.what);
  std::vector<std::string> words = edge_words(e.what);
  if (!label) {
    std::string all;
    for (const auto& w : words) all += (all.empty() ? "" : ", ") + w;
    out += fmt::format("<g class=\"edge {}\"><title>{} \xE2\x86\x92 {}: {}</title>", look, xml_escape(a.name),
                       xml_escape(b.name), xml_escape(all));
    out += fmt::format("<path class=\"wire\" d=\"{}\"/>", p.d);
    if (std::string(look) == "fail")
      out += fmt::format("<path class=\"cross\" d=\"M{} {}l10 10m0 -10l-10 10\"/>", num(p.tip.x - 14), num(p.tip.y - 5));
    else if (p.dir == 1)
      out += fmt::format("<path class=\"tip\" d=\"M{} {}l-9 -5v10z\"/>", num(p.tip.x), num(p.tip.y));
    else
      out += fmt::format("<path class=\"tip\" d=\"M{} {}l-5 9h10z\"/>", num(p.tip.x), num(p.tip.y));
    out += "</g>";
    return;
  }
  bool between = b.layer - a.layer == 1;  // in the gap between two columns: fit it there
  double room = between ? std::max(60.0, m.gap - 12) : 220;
  double w = 0;
  for (auto& line : words) {
    line = svg::fit(line, room - 8, 10.5, false, true);
    w = std::max(w, svg::text_width(line, 10.5, false, true) + 10);
  }
  double h = 13.0 * static_cast<double>(words.size()) + 5;
  bool straight = between && std::abs(b.y - a.y) < 1;
  double top = straight ? p.label.y - h - 3 : p.label.y - h / 2;  // above a straight arrow, on a curved one
  out += fmt::format("<g class=\"edge {}\"><rect class=\"lbl\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>",
                     look, num(p.label.x - w / 2), num(top), num(w), num(h));
  for (std::size_t i = 0; i < words.size(); ++i)
    out += fmt::format("<text class=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", i ? "ec" : "eh",
                       num(p.label.x), num(top + 13.0 * static_cast<double>(i) + 12), xml_escape(words[i]));
  out += "</g>";
}

void draw_dns(std::string& out, const map_dns& d) {
  out += fmt::format("<g class=\"node dns{}\" data-host=\"DNS\"><rect class=\"box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
                     d.faults.empty() ? "" : " hurt", num(d.x), num(d.y), num(d.w), num(d.h));
  double tx = d.x + 10, y = d.y + 19, room = d.w - 20;
  out += fmt::format("<text class=\"name\" x=\"{}\" y=\"{}\">DNS \xC2\xB7 the records every host looks up</text>", num(tx), num(y));
  y += 15;
  out += fmt::format("<text class=\"role\" x=\"{}\" y=\"{}\">{}</text>", num(tx), num(y), xml_escape(d.asked));
  for (const auto& r : d.roles) {
    y += 15;
    out += fmt::format("<circle class=\"dot r-policy\" cx=\"{}\" cy=\"{}\" r=\"3.5\"/><text class=\"role\" x=\"{}\" y=\"{}\">{}</text>",
                       num(tx + 3), num(y - 4), num(tx + 12), num(y), xml_escape(svg::fit(r, room - 12, 11, false)));
  }
  y += 4;
  if (d.records.empty()) {
    y += 15;
    out += fmt::format("<text class=\"role\" x=\"{}\" y=\"{}\">only the hosts' automatic A and PTR records</text>", num(tx), num(y));
  }
  for (const auto& r : d.records) {
    y += 15;
    out += fmt::format("<text class=\"addr\" x=\"{}\" y=\"{}\">{}</text>", num(tx), num(y),
                       xml_escape(svg::fit(r, room, 10.5, true)));
  }
  if (d.more) {
    y += 15;
    out += fmt::format("<text class=\"role\" x=\"{}\" y=\"{}\">\xE2\x80\xA6 and {} more records</text>", num(tx), num(y), d.more);
  }
  for (const auto& f : d.faults) draw_fault(out, f, tx, y, room);
  out += "</g>";
}

}  // namespace

std::string map_svg(const map_layout& m) {
  std::string out = fmt::format("<svg class=\"map\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
                                "aria-label=\"map of the hosts and the routes mail took\">",
                                num(m.width), num(m.height), num(m.width), num(m.height));
  for (const auto& e : m.edges) draw_edge(out, m, e, false);
  for (const auto& n : m.nodes) draw_node(out, n);
  draw_dns(out, m.dns);
  for (const auto& e : m.edges) draw_edge(out, m, e, true);  // labels above boxes and wires
  return out + "</svg>";
}

}  // namespace sim::report
