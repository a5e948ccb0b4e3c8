// tests/sim/scenario/loader_campaign_test.cpp - the `campaign` action and
// the `stats` expectation: every key read, each mistake with its pointer
// (and, for a recipients file, its file and line).
#include <catch2/catch.hpp>

#include "sim/scenario/loader.hpp"
#include "tests/sim/scenario/load_error.hpp"

using namespace sim::scenario;
using testing::error_of;

namespace {

const char* campaign_base = R"({
  "scenario": "t",
  "title": "T",
  "hosts": {
    "mail.sender.test": {"ip": "192.0.2.25", "local_domains": ["sender.test"],
                         "mailboxes": {"news@sender.test": {"password": "pw"}}, "submission": true},
    "mx1.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"]},
    "mx.post.example": {"ip": "198.51.100.20", "local_domains": ["post.example"]}
  },
  "timeline": [
    {"at": "1s", "campaign": {"id": "spring", "from": "news@sender.test", "subject": "Hello {{name}}",
                              "template": "Dear {{ name }},\n", "rate": "50/s",
                              "generate": {"count": 100, "domains": {"example.org": 0.6, "post.example": 0.4},
                                           "unknown": 0.02, "full": 0.01}}}
  ],
  "expect": [ {"stats": {"campaign": "spring", "metric": "delivered_ratio", "min": 0.95}} ]
})";

std::filesystem::path campaign_data_dir() { return std::filesystem::path(MAILSIM_SOURCE_DIR) / "tests/sim/scenario/data"; }

std::string with_campaign(const std::string& pointer, const json& value) {
  return testing::error_with(campaign_base, pointer, value, campaign_data_dir());
}

std::string without_campaign(const std::string& parent, const std::string& key) {
  json doc = json::parse(campaign_base);
  doc[json::json_pointer(parent)].erase(key);
  return error_of(doc, campaign_data_dir());
}

const std::string c = "/timeline/0/campaign";

}  // namespace

TEST_CASE("campaign: every key read") {
  auto s = load_from_string(campaign_base, "x.json", campaign_data_dir());
  auto campaigns = s.campaigns();
  REQUIRE(campaigns.size() == 1);
  const auto& a = *campaigns[0];
  CHECK(a.id == "spring");
  CHECK(a.from == "news@sender.test");
  CHECK(a.is_template);
  CHECK(a.body == "Dear {{ name }},\n");
  CHECK(a.pace->messages == 50);
  CHECK(a.batch == 1);
  REQUIRE(a.generate);
  CHECK(a.generate->count == 100);
  CHECK(a.generate->domains.size() == 2);
  CHECK(a.generate->unknown == 0.02);
  const auto& e = std::get<expect_stats>(s.expect[0].what);
  CHECK(e.metric == "delivered_ratio");
  CHECK(*e.min == 0.95);
}

TEST_CASE("campaign: a recipients file relative to the scenario, with names") {
  json doc = json::parse(campaign_base);
  auto& a = doc["timeline"][0]["campaign"];
  a.erase("generate");
  a["recipients_file"] = "campaign-list.txt";
  auto s = load_from_string(doc.dump(), "x.json", campaign_data_dir());
  const auto& r = s.campaigns()[0]->recipients;
  REQUIRE(r.size() == 2);
  CHECK(r[0].address == "anna@example.org");
  CHECK(r[0].name == "Anna Berg");
}

TEST_CASE("campaign: a recipients file missing, or with a bad line, names the file and line") {
  json doc = json::parse(campaign_base);
  auto& a = doc["timeline"][0]["campaign"];
  a.erase("generate");
  a["recipients_file"] = "no-such-list.txt";
  auto missing = error_of(doc, campaign_data_dir());
  CHECK(missing.starts_with("x.json: /timeline/0/campaign/recipients_file: cannot read "));
  CHECK(missing.find("no-such-list.txt") != std::string::npos);
  a["recipients_file"] = "campaign-bad-list.txt";
  auto bad = error_of(doc, campaign_data_dir());
  CHECK(bad.starts_with("x.json: /timeline/0/campaign/recipients_file: "));
  CHECK(bad.ends_with("campaign-bad-list.txt line 3: \"not\" is not an address (RFC 5321 local@domain)"));
}

TEST_CASE("campaign: mistakes with their JSON pointers") {
  CHECK(with_campaign(c + "/generate/domains/post.example", 0.5) ==
        "x.json: /timeline/0/campaign/generate/domains: the shares sum to 1.1, over 1");
  CHECK(with_campaign(c + "/generate/domains/post.example", -0.1) ==
        "x.json: /timeline/0/campaign/generate/domains/post.example: -0.1 is negative");
  CHECK(with_campaign(c + "/generate/domains/elsewhere.example", 0.1) ==
        "x.json: /timeline/0/campaign/generate/domains/elsewhere.example: no host has \"elsewhere.example\" in its "
        "local_domains (it would receive the mailboxes)");
  CHECK(with_campaign(c + "/rate", "-50/s") == "x.json: /timeline/0/campaign/rate: a rate cannot be negative (\"-50/s\")");
  CHECK(with_campaign(c + "/batch", 10) ==
        "x.json: /timeline/0/campaign/batch: a template is filled per recipient: each message has one (batch 1)");
  CHECK(with_campaign(c + "/template", "Dear {{nmae}}") ==
        "x.json: /timeline/0/campaign/template: unknown field {{nmae}} (fields: name, email, local, domain)");
  CHECK(with_campaign(c + "/recipients", json::array({"bob@example.org"})) ==
        "x.json: /timeline/0/campaign: expected exactly one of \"recipients\", \"recipients_file\" and \"generate\"");
  CHECK(without_campaign(c, "generate") ==
        "x.json: /timeline/0/campaign: expected exactly one of \"recipients\", \"recipients_file\" and \"generate\"");
  CHECK(with_campaign(c + "/generate/count", 0) ==
        "x.json: /timeline/0/campaign/generate/count: 0 is out of range (1 to 1000000)");
  CHECK(with_campaign(c + "/generate/traps", 2) ==
        "x.json: /timeline/0/campaign/generate/traps: 2 traps asked for, but the hosts declare 0 (host key \"spamtraps\")");
  CHECK(with_campaign(c + "/generate/unknown", 1.5) == "x.json: /timeline/0/campaign/generate/unknown: 1.5 is over 1");
  CHECK(with_campaign(c + "/generate/full", 0.99) ==
        "x.json: /timeline/0/campaign/generate/full: unknown and full together are over 1");
  CHECK(with_campaign("/timeline/1", json{{"at", "2s"}, {"send", {{"id", "spring"}, {"from", "news@sender.test"},
                                                             {"to", {"bob@example.org"}}}}}) ==
        "x.json: /timeline/1: id \"spring\" is already used by /timeline/0");
}

TEST_CASE("stats expectation: metric, campaign and bounds checked") {
  CHECK(with_campaign("/expect/0/stats/metric", "delivered_ration") ==
        "x.json: /expect/0/stats/metric: \"delivered_ration\" is not a campaign metric (did you mean \"delivered_ratio\"?)");
  CHECK(with_campaign("/expect/0/stats/campaign", "autumn") == "x.json: /expect/0/stats/campaign: no campaign has the id \"autumn\"");
  CHECK(with_campaign("/expect/0/stats", json{{"metric", "sent"}}) == "x.json: /expect/0/stats: expected \"min\", \"max\" or \"equals\"");
  CHECK(with_campaign("/expect/0/stats", json{{"metric", "sent"}, {"equals", 3}, {"min", 1}}) ==
        "x.json: /expect/0/stats/equals: \"equals\" cannot be combined with \"min\" or \"max\"");
  CHECK(with_campaign("/expect/0/stats/max", 0.5) == "x.json: /expect/0/stats/min: min is larger than max");
  json doc = json::parse(campaign_base);
  doc["timeline"].erase(0);
  CHECK(error_of(doc, campaign_data_dir()) == "x.json: /expect/0/stats: the timeline has no campaign to measure");
}

namespace {

// campaign_base with readers: both receiving hosts offer IMAP.
std::string with_engagement(const std::string& pointer, const json& value, bool imap = true) {
  json doc = json::parse(campaign_base);
  doc["hosts"]["mx1.example.org"]["imap"] = imap;
  doc["hosts"]["mx.post.example"]["imap"] = imap;
  doc["timeline"][0]["campaign"]["engagement"] = json{{"opens", 0.3}};
  if (!pointer.empty()) doc[json::json_pointer(pointer)] = value;
  return error_of(doc, campaign_data_dir());
}

const std::string eng = "/timeline/0/campaign/engagement";

}  // namespace

TEST_CASE("campaign: engagement keys and their defaults") {
  json doc = json::parse(campaign_base);
  doc["hosts"]["mx1.example.org"]["imap"] = true;
  doc["hosts"]["mx.post.example"]["imap"] = true;
  doc["timeline"][0]["campaign"]["engagement"] = json{{"opens", {{"example.org", 0.5}, {"*", 0.2}}}};
  auto s = load_from_string(doc.dump(), "x.json", campaign_data_dir());
  const auto& e = *s.campaigns()[0]->engagement;
  CHECK(e.opens.of("example.org") == 0.5);
  CHECK(e.opens.of("post.example") == 0.2);
  CHECK(e.complaints.of("example.org") == 0);
  CHECK(e.protocol == sim::campaign::reader_protocol::imap);
  CHECK(e.after_low == std::chrono::minutes(10));
  CHECK(e.after_high == std::chrono::hours(4));
  doc["timeline"][0]["campaign"]["engagement"] =
      json{{"opens", 1}, {"complaints", {{"post.example", 0.1}}}, {"after", "1m..2m"}, {"protocol", "imap"}};
  s = load_from_string(doc.dump(), "x.json", campaign_data_dir());
  const auto& f = *s.campaigns()[0]->engagement;
  CHECK(f.opens.of("anything.example") == 1);
  CHECK(f.complaints.of("post.example") == 0.1);
  CHECK(f.complaints.of("example.org") == 0);
  CHECK(f.after_low == std::chrono::minutes(1));
  CHECK(f.after_high == std::chrono::minutes(2));
  CHECK(with_engagement("", nullptr) == "(loaded)");
}

TEST_CASE("campaign: engagement mistakes at their pointers") {
  CHECK(with_engagement(eng + "/opens", 1.5) == "x.json: " + eng + "/opens: 1.5 is over 1");
  CHECK(with_engagement(eng + "/opens", -0.5) == "x.json: " + eng + "/opens: -0.5 is negative");
  CHECK(with_engagement(eng + "/opens", json{{"example.org", 2}}) == "x.json: " + eng + "/opens/example.org: 2 is over 1");
  CHECK(with_engagement(eng + "/opens", json{{"elsewhere.example", 0.5}}) ==
        "x.json: " + eng + "/opens/elsewhere.example: no host has \"elsewhere.example\" in its local_domains "
                           "(\"*\" is every other domain)");
  CHECK(with_engagement(eng + "/opens", "half") == "x.json: " + eng + "/opens: expected a number, got a string");
  CHECK(with_engagement(eng + "/complaints", 1.01) == "x.json: " + eng + "/complaints: 1.01 is over 1");
  CHECK(with_engagement(eng + "/after", "4h..10m") == "x.json: " + eng + "/after: the range's low end is above its high end");
  CHECK(with_engagement(eng + "/after", "soon") ==
        "x.json: " + eng + "/after: expected a duration (\"1h\") or a range of two (\"10m..4h\")");
  CHECK(with_engagement(eng + "/protocol", "smtp") == "x.json: " + eng + "/protocol: expected \"imap\" or \"pop3\"");
  CHECK(with_engagement(eng + "/opened", 0.2).starts_with("x.json: " + eng + "/opened: unknown key \"opened\""));
  json doc = json::parse(campaign_base);
  doc["timeline"][0]["campaign"]["engagement"] = json{{"complaints", 0.1}};
  CHECK(error_of(doc, campaign_data_dir()).starts_with("x.json: " + eng + ": missing"));
}

TEST_CASE("campaign: engagement readers need IMAP where they read, and POP3 readers cannot complain") {
  CHECK(with_engagement("", nullptr, false) ==
        "x.json: " + eng + ": readers of example.org fetch over IMAP from mx1.example.org, which does not offer it "
                           "(give it \"imap\": true, or use \"protocol\": \"pop3\")");
  CHECK(with_engagement(eng + "/protocol", "pop3", false) == "(loaded)");
  json doc = json::parse(campaign_base);
  doc["timeline"][0]["campaign"]["engagement"] = json{{"opens", 0.3}, {"complaints", 0.1}, {"protocol", "pop3"}};
  CHECK(error_of(doc, campaign_data_dir()) ==
        "x.json: " + eng + "/complaints: a POP3 reader cannot mark mail as spam (POP3 has no folders): use "
                           "\"protocol\": \"imap\"");
}
