// tests/sim/scenario_run/engagement_run_test.cpp - a campaign's readers
// through the real world: the analytics' opens and complaints agree with
// the trace, the same seed gives the same trace, IMAP readers leave \Seen
// and move their complaints into Junk, POP3 readers open and leave the
// mail on the server, and nobody opens what the filter put in Junk.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "sim/core/trace_recorder.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

using namespace sim::scenario;
using namespace std::chrono_literals;

namespace {

struct read_run {
  run_result result;
  std::vector<sim::event> events;
};

read_run run_recorded(const scenario& s, run_options options = {}) {
  sim::recording_trace tr;
  auto result = run_scenario(s, options, tr);
  return {std::move(result), tr.events()};
}

std::string domain_part_of(const std::string& a) { return a.substr(a.find('@') + 1); }

const char* readers_text = R"({
  "scenario": "readers",
  "title": "T",
  "hosts": {
    "mail.shop.test": {"ip": "192.0.2.25", "local_domains": ["shop.test"],
                       "mailboxes": {"news@shop.test": {"password": "pw"}}, "submission": true},
    "mx.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "imap": true,
                       "mailboxes": {"anna@example.org": {"password": "a"}, "bob@example.org": {"password": "b"},
                                     "carl@example.org": {"password": "c"}}}
  },
  "dns": ["example.org MX 10 mx.example.org"],
  "timeline": [
    {"at": "1s", "campaign": {"id": "hello", "from": "news@shop.test", "subject": "Hello", "body": "Hi.\n",
                              "recipients": ["anna@example.org", "bob@example.org", "carl@example.org"],
                              "engagement": {"opens": 1, "complaints": {"example.org": 0, "*": 1}, "after": "1h"}}}
  ]
})";

scenario readers_scenario(const std::function<void(json&)>& change) {
  json doc = json::parse(readers_text);
  change(doc);
  return load_from_string(doc.dump(), "readers.json", ".");
}

}  // namespace

TEST_CASE("engagement run: opens and complaints agree with the trace of the starter scenario") {
  auto s = load(MAILSIM_SOURCE_DIR "/scenarios/newsletter-engagement.json");
  auto r = run_recorded(s);
  REQUIRE(r.result.campaigns.size() == 1);
  const auto& got = r.result.campaigns[0];
  std::set<std::string> ids;
  std::map<std::string, sim::event> filed;  // mailbox -> its lda.deliver
  std::set<std::string> opened, complained;
  std::map<std::string, std::uint64_t> opens_per_domain;
  for (const auto& e : r.events) {
    std::string name = e["event"];
    if (name == "mua.compose" && e["message"] == "july") ids.insert(e["message_id"].get<std::string>());
    if (name == "lda.deliver" && ids.count(e["message_id"].get<std::string>())) filed[e["mailbox"]] = e;
    if (name == "mua.open" && ids.count(e["message_id"].get<std::string>())) {
      std::string user = e["user"];
      REQUIRE(filed.count(user));
      const auto& d = filed[user];
      CHECK_FALSE(d.contains("folder"));  // filed in INBOX: nobody opens Junk
      auto waited = e["t"].get<std::int64_t>() - d["t"].get<std::int64_t>();
      CHECK(waited >= 10 * 60 * 1000);
      CHECK(waited <= 4 * 3600 * 1000 + 1000);
      CHECK(e["protocol"] == "imap");
      CHECK(e["host"] == "readers." + domain_part_of(user));
      if (opened.insert(user).second) ++opens_per_domain[domain_part_of(user)];
    }
    if (name == "mua.complaint" && ids.count(e["message_id"].get<std::string>())) {
      CHECK(opened.count(e["user"].get<std::string>()));
      CHECK(e["folder"] == "Junk");
      complained.insert(e["user"].get<std::string>());
    }
  }
  CHECK(got.total.opens == opened.size());
  CHECK(got.total.complaints == complained.size());
  CHECK(got.total.opens > 0);
  CHECK(got.total.complaints > 0);
  for (const auto& d : got.domains) CHECK(d.opens == opens_per_domain[d.domain]);
  CHECK(opens_per_domain["post.example"] == 0);  // filed in Junk
  for (const auto& x : r.result.expectations) CHECK(x.passed);
}

TEST_CASE("engagement run: the same seed gives the same trace and another seed other readers") {
  auto s = load(MAILSIM_SOURCE_DIR "/scenarios/newsletter-engagement.json");
  auto opens = [](const std::vector<sim::event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
      if (e["event"] == "mua.open") out.push_back(e["user"].get<std::string>() + "@" + std::to_string(e["t"].get<long>()));
    return out;
  };
  auto a = run_recorded(s), b = run_recorded(s);
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) REQUIRE(a.events[i].dump() == b.events[i].dump());
  run_options other;
  other.seed = 12;
  CHECK(opens(run_recorded(s, other).events) != opens(a.events));
}

TEST_CASE("engagement run: IMAP readers set seen and move their complaints into Junk") {
  auto s = readers_scenario([](json&) {});
  run_options o;
  std::map<std::string, std::pair<std::size_t, std::size_t>> seen;  // mailbox -> (INBOX seen, Junk seen)
  o.inspect = [&seen](const world& w) {
    auto* boxes = w.mailboxes_of("mx.example.org");
    for (const char* a : {"anna@example.org", "bob@example.org", "carl@example.org"}) {
      auto count = [&](const char* folder) {
        std::size_t n = 0;
        for (const auto& m : boxes->folder_messages(a, folder)) n += m.flags == sim::imap::flag_list{"\\Seen"};
        return n;
      };
      seen[a] = {count("INBOX"), count("Junk")};
    }
  };
  auto r = run_recorded(s, o);
  // example.org's share of complaints is 0: every reader opens, nobody complains.
  for (const auto& [box, n] : seen) CHECK(n == std::make_pair(std::size_t{1}, std::size_t{0}));
  CHECK(r.result.campaigns[0].total.opens == 3);
  CHECK(r.result.campaigns[0].total.complaints == 0);

  auto complaining = readers_scenario([](json& d) { d["timeline"][0]["campaign"]["engagement"]["complaints"] = 1; });
  r = run_recorded(complaining, o);
  for (const auto& [box, n] : seen) CHECK(n == std::make_pair(std::size_t{0}, std::size_t{1}));
  CHECK(r.result.campaigns[0].total.complaints == 3);
  std::size_t moves = 0;
  for (const auto& e : r.events)
    if (e["event"] == "imap.command" && e["line"].get<std::string>().find("UID MOVE") != std::string::npos) ++moves;
  CHECK(moves == 3);
}

TEST_CASE("engagement run: POP3 readers open and leave the mail on the server") {
  auto s = readers_scenario([](json& d) {
    auto& e = d["timeline"][0]["campaign"]["engagement"];
    e["protocol"] = "pop3";
    e.erase("complaints");
  });
  run_options o;
  std::size_t left = 0;
  o.inspect = [&left](const world& w) {
    for (const char* a : {"anna@example.org", "bob@example.org", "carl@example.org"})
      left += w.mailboxes_of("mx.example.org")->messages(a).size();
  };
  auto r = run_recorded(s, o);
  CHECK(left == 3);
  CHECK(r.result.campaigns[0].total.opens == 3);
  std::size_t opens = 0, retr = 0, dele = 0;
  for (const auto& e : r.events) {
    if (e["event"] == "mua.open") {
      CHECK(e["protocol"] == "pop3");
      ++opens;
    }
    if (e["event"] == "pop3.command" && e["line"].get<std::string>().starts_with("RETR")) ++retr;
    if (e["event"] == "pop3.command" && e["line"].get<std::string>().starts_with("DELE")) ++dele;
  }
  CHECK(opens == 3);
  CHECK(retr == 3);
  CHECK(dele == 0);
}
