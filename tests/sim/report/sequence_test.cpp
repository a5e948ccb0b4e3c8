// Tests for sim/report/sequence_*: grouping the trace into sessions, merging repeats, folding, lifelines, drawing.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/report/sequence_fold.hpp"
#include "sim/report/sequence_model.hpp"
#include "sim/report/sequence_svg.hpp"
#include "support.hpp"

using report_test::approved_trace;
using report_test::make_event;
using sim::report::block_kind;
using sim::report::seq_block;
using sim::report::sequence_model;

namespace {

sequence_model read_sequence(const std::vector<sim::event>& events, sim::report::report_limits limits = {}) {
  sequence_model m(limits);
  for (const auto& e : events) m.add(e);
  m.finish();
  return m;
}

const seq_block* session(const sequence_model& m, const std::string& id) {
  for (const auto& b : m.blocks())
    if (b.kind == block_kind::session && b.session == id) return &b;
  return nullptr;
}

bool has_row(const seq_block& b, const std::string& label_start) {
  return std::any_of(b.rows.begin(), b.rows.end(), [&](const auto& r) { return r.label.starts_with(label_start); });
}

std::size_t count_in_sequence(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the tour's sessions are blocks of their own, with the server's lookups inside") {
  auto m = read_sequence(approved_trace("tour"));
  const seq_block* s1 = session(m, "s1");
  REQUIRE(s1);
  CHECK(s1->protocol == "SMTP");
  CHECK(s1->port == 587);
  CHECK(s1->client == "alice-laptop.sender.test");
  CHECK(s1->server == "mail.sender.test");
  CHECK(has_row(*s1, "PTR? who is 203.0.113.7"));         // the server's lookup at connect
  CHECK(has_row(*s1, "queued as 700550AEEA"));            // queued before it answers 250
  CHECK(has_row(*s1, "AUTH PLAIN ********"));
  CHECK(s1->accepted == "250 2.0.0 Ok: queued as 700550AEEA");
  CHECK(s1->refusals == 0);
  CHECK_FALSE(has_row(*s1, "example.org MX?"));           // the relay's lookup comes after

  const seq_block* s3 = session(m, "s3");
  REQUIRE(s3);
  CHECK(s3->protocol == "LMTP");
  CHECK(s3->client == s3->server);
  CHECK(s3->filed == 1);
  const seq_block* s4 = session(m, "s4");
  REQUIRE(s4);
  CHECK(s4->protocol == "POP3");

  auto dns = std::find_if(m.blocks().begin(), m.blocks().end(), [](const seq_block& b) { return b.kind == block_kind::dns; });
  REQUIRE(dns != m.blocks().end());
  CHECK(dns->client == "mail.sender.test");
  CHECK(dns->rows.size() == 6);  // MX, A, AAAA: three questions, three answers
  CHECK(dns->rows[0].label == "example.org MX?");
  CHECK(dns->rows[1].label == "MX 10 mx1.example.org.");

  CHECK(m.lanes() == std::vector<std::string>{"alice-laptop.sender.test", "mail.sender.test", "mx1.example.org",
                                               "bob-mua.example.org"});
}

TEST_CASE("a newsletter's 74 RCPT TO lines are one row, and so are its 74 filings") {
  auto m = read_sequence(approved_trace("newsletter"));
  bool rcpt = false, filed = false;
  for (const auto& b : m.blocks()) {
    for (const auto& r : b.rows) {
      if (r.label.starts_with("RCPT TO:") && r.repeat >= 70) rcpt = true;
      if (r.label.starts_with("filed in") && r.repeat == 74) filed = true;
    }
  }
  CHECK(rcpt);
  CHECK(filed);
  CHECK(m.rows_kept() < 400);  // from 4,408 events
}

TEST_CASE("repeats merge: the same row, or the same two rows in turn") {
  sequence_model m({});
  auto cmd = [](int seq, const std::string& line) {
    return make_event(seq, seq, "a.test", "mta", "smtp.command", {{"session", "s1"}, {"peer", "b.test"}, {"line", line}});
  };
  auto policy = [](int seq) {
    return make_event(seq, seq, "b.test", "mta", "policy.check",
                      {{"session", "s1"}, {"peer", "a.test"}, {"check", "relay"}, {"result", "ok"}});
  };
  auto reply = [](int seq) {
    return make_event(seq, seq, "b.test", "mta", "smtp.reply",
                      {{"session", "s1"}, {"peer", "a.test"}, {"code", 250}, {"enhanced", "2.1.5"}, {"text", "Ok"}});
  };
  m.add(make_event(0, 0, "a.test", "net", "net.connect", {{"session", "s1"}, {"peer", "b.test"}, {"port", 25}}));
  for (int i = 0; i < 3; ++i) m.add(cmd(1 + i, "RCPT TO:<r" + std::to_string(i) + "@b.test>"));
  for (int i = 0; i < 3; ++i) {
    m.add(policy(10 + 2 * i));
    m.add(reply(11 + 2 * i));
  }
  m.finish();
  const auto& rows = m.blocks().at(0).rows;
  REQUIRE(rows.size() == 4);  // connect, RCPT ×3, policy ×3, reply ×3
  CHECK(rows[1].repeat == 3);
  CHECK(rows[1].label == "RCPT TO:<r0@b.test>");
  CHECK(rows[1].last_label == "RCPT TO:<r2@b.test>");
  CHECK(rows[2].repeat == 3);
  CHECK(rows[2].paired);
  CHECK(rows[3].repeat == 3);
  CHECK(rows[3].label == "250 2.1.5 Ok");
}

TEST_CASE("folding takes DNS groups first, then the largest sessions, until the rows fit") {
  auto m = read_sequence(approved_trace("backup-mx"));
  auto blocks = m.blocks();
  std::size_t all = 0;
  for (const auto& b : blocks) all += sim::report::shown_rows(b);
  auto none = sim::report::fold_blocks(blocks, all);
  CHECK(none.sessions + none.dns_groups == 0);

  auto some = sim::report::fold_blocks(blocks, all - 10);
  CHECK(some.dns_groups > 0);
  CHECK(some.sessions == 0);
  CHECK(some.rows_after <= all - 10);

  auto most = sim::report::fold_blocks(blocks, 10);
  CHECK(most.sessions > 0);
  for (const auto& b : blocks)
    if (b.kind != block_kind::rows) CHECK(b.folded);
}

TEST_CASE("lifelines: acting hosts in order, then idle ones, the busiest keep theirs when there are too many") {
  std::map<std::string, std::size_t> activity{{"a", 5}, {"b", 1}, {"c", 9}, {"d", 2}};
  auto all = sim::report::choose_lanes({"a", "b", "c", "d"}, activity, {"a", "e"}, 12);
  CHECK(all.hosts == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(all.others.empty());
  auto few = sim::report::choose_lanes({"a", "b", "c", "d"}, activity, {"a", "e"}, 3);
  CHECK(few.hosts == std::vector<std::string>{"a", "c"});
  CHECK(few.others == std::vector<std::string>{"b", "d", "e"});
}

TEST_CASE("past its bounds the model counts what it leaves out and says from when") {
  sim::report::report_limits limits;
  limits.max_blocks = 3;
  auto m = read_sequence(approved_trace("tour"), limits);
  CHECK(m.blocks().size() == 3);
  CHECK(m.dropped_events() > 0);
  CHECK(m.dropped_from() > 0);
}

TEST_CASE("a row's label is escaped, fitted to its room, and whole in its tooltip") {
  sim::report::seq_row row;
  row.from = "a.test";
  row.to = "b.test";
  row.look = sim::report::tone::perm;
  row.label = "550 5.1.1 <victim@example.com></script><img src=x onerror=alert(1)> " + std::string(200, 'x');
  std::string got = sim::report::sequence_row_svg(row, {"a.test", "b.test", sim::report::dns_lane}, 600);
  CHECK(got.find("<img") == std::string::npos);
  CHECK(got.find("</script>") == std::string::npos);
  CHECK(got.find("&lt;victim@example.com&gt;") != std::string::npos);
  CHECK(got.find("\xE2\x80\xA6<title>") != std::string::npos);  // cut, and the tooltip has it all
  CHECK(got.find("<title>550 5.1.1 &lt;victim@example.com&gt;&lt;/script&gt;&lt;img") != std::string::npos);
  CHECK(got.find("stroke-dasharray") != std::string::npos);  // a reply: dashed
  CHECK(got.find("class=\"a t-perm\"") != std::string::npos);
}

TEST_CASE("the diagram has one lifeline per host, a DNS one, and bands for idle stretches") {
  auto m = read_sequence(approved_trace("tour"));
  auto lanes = sim::report::choose_lanes(m.lanes(), m.lane_activity(), {}, 12);
  std::string html = sim::report::sequence_html(m.blocks(), lanes, {});
  CHECK(count_in_sequence(html, "<g class=\"lifeline host\"") == 4);
  CHECK(count_in_sequence(html, "<g class=\"lifeline dns\"") == 1);
  CHECK(html.find("data-lifelines=\"4\"") != std::string::npos);
  CHECK(html.find("59m58s later") != std::string::npos);
  CHECK(count_in_sequence(html, "<details class=\"blk session\" open>") == 4);
  CHECK(count_in_sequence(html, "<details") == count_in_sequence(html, "</details>"));
  CHECK(count_in_sequence(html, "<svg") == count_in_sequence(html, "</svg>"));
}

TEST_CASE("a PTR question names the address it asks about, IPv4 or IPv6") {
  sim::report::seq_row row;
  auto question = [&](const std::string& name) {
    REQUIRE(sim::report::row_for_event(make_event(0, 0, "mx.test", "dns", "dns.query", {{"name", name}, {"type", "PTR"}}), row));
    return row.label;
  };
  CHECK(question("7.113.0.203.in-addr.arpa") == "PTR? who is 203.0.113.7");
  CHECK(question("5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa") ==
        "PTR? who is 2001:db8:1::25");
  CHECK(question("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.") == "PTR? who is ::1");
  CHECK(question("not.a.reverse.name") == "PTR? who is not.a.reverse.name");
  CHECK(row.from == "mx.test");
  CHECK(row.to == sim::report::dns_lane);
}

TEST_CASE("an IMAP session: commands, untagged data, a tagged NO") {
  sequence_model m({});
  m.add(make_event(0, 0, "pc", "net", "net.connect", {{"session", "s9"}, {"peer", "mx"}, {"port", 143}}));
  m.add(make_event(1, 1, "mx", "imap", "imap.response", {{"session", "s9"}, {"peer", "pc"}, {"line", "* OK ready"}}));
  m.add(make_event(2, 2, "pc", "mua", "imap.command", {{"session", "s9"}, {"peer", "mx"}, {"line", "a1 LOGIN bob ********"}}));
  m.add(make_event(3, 3, "mx", "imap", "imap.response",
                   {{"session", "s9"}, {"peer", "pc"}, {"line", "a1 NO [AUTHENTICATIONFAILED] bad password"}}));
  m.finish();
  REQUIRE(m.blocks().size() == 1);
  const auto& b = m.blocks()[0];
  CHECK(b.protocol == "IMAP");
  CHECK(b.commands == 1);
  CHECK(b.replies == 2);
  CHECK(b.refusals == 1);
  CHECK(b.refusal_tone == sim::report::tone::temp);
  CHECK(b.rows.back().label == "a1 NO [AUTHENTICATIONFAILED] bad password");
}
