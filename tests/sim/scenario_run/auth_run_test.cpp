// tests/sim/scenario_run/auth_run_test.cpp - mail authentication at the MTA,
// through the real world: signing on the way out, DKIM and DMARC after the
// final dot, Authentication-Results, 5.7.26, quarantine, pct, report mode,
// DNS faults on the key, the published key and a list's rewrite.
#include <catch2/catch.hpp>

#include "sim/auth/auth_results.hpp"
#include "sim/core/trace_recorder.hpp"
#include "sim/message/message.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

using sim::scenario::json;

namespace {

const char* auth_run_base = R"({
  "scenario": "auth-run", "title": "T",
  "dns": ["sender.test MX 10 mail.sender.test", "sender.test TXT \"v=spf1 ip4:192.0.2.25 -all\"",
          "_dmarc.sender.test TXT \"v=DMARC1; p=reject\"", "example.org MX 10 mx.example.org"],
  "hosts": {
    "mail.sender.test": {"ip": "192.0.2.25", "local_domains": ["sender.test"],
                         "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true,
                         "dkim": [{"domain": "sender.test", "selector": "s1"}]},
    "mail.spoofer.test": {"ip": "203.0.113.66", "local_domains": ["spoofer.test"], "mailboxes": ["m@spoofer.test"],
                          "mynetworks": ["203.0.113.0/24"]},
    "pc.spoofer.test": {"ip": "203.0.113.67"},
    "mx.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                       "policy": {"dkim": "verify", "dmarc": "enforce"}}
  },
  "timeline": [
    {"at": "1s", "send": {"id": "m1", "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "Hi",
                          "body": "Hello\n"}}
  ]
})";

// A forged From in sender.test, sent through spoofer.test's own server.
const json spoof = json::parse(R"({"at": "2s", "send": {"id": "spoof", "from": "m@spoofer.test",
  "to": ["bob@example.org"], "headers": {"From": "Alice <alice@sender.test>"}, "subject": "Pay now",
  "via": "mail.spoofer.test", "port": 25, "client": "pc.spoofer.test"}})");

// A run with its events recorded and its mailboxes kept.
struct auth_recorded : sim::scenario::run_result {
  std::vector<sim::event> events;
};

auth_recorded run_auth(const json& doc, std::optional<std::uint64_t> seed = std::nullopt) {
  auto s = sim::scenario::load_from_string(doc.dump(), "auth-run.json");
  sim::scenario::run_options options;
  options.seed = seed;
  options.keep_mailboxes = true;
  sim::recording_trace tr;
  auth_recorded out{sim::scenario::run_scenario(s, options, tr), {}};
  out.events = tr.events();
  return out;
}

std::vector<std::string> messages_of(const auth_recorded& r, std::string_view address) {
  for (const auto& box : r.mailboxes)
    if (box.address == address) return box.messages;
  return {};
}

std::vector<sim::event> checks(const auth_recorded& r, std::string_view check) {
  std::vector<sim::event> out;
  for (const auto& e : r.events)
    if (e["event"] == "policy.check" && e["check"] == check) out.push_back(e);
  return out;
}

std::size_t count_event(const auth_recorded& r, std::string_view name) {
  std::size_t n = 0;
  for (const auto& e : r.events) n += e["event"] == name ? 1 : 0;
  return n;
}

sim::auth::authentication_results results_of(const std::string& raw) {
  auto m = sim::message::message::parse(raw);
  auto value = m.get("Authentication-Results");
  REQUIRE(value);
  auto parsed = sim::auth::parse_authentication_results(*value);
  REQUIRE(parsed.value);
  return *parsed.value;
}

std::string result_of(const sim::auth::authentication_results& ar, std::string_view method) {
  for (const auto& r : ar.results)
    if (r.method == method) return r.result;
  return "(absent)";
}

bool has_reply(const auth_recorded& r, int code, std::string_view enhanced) {
  for (const auto& e : r.events)
    if (e["event"] == "smtp.reply" && e["code"] == code && e["enhanced"] == enhanced) return true;
  return false;
}

}  // namespace

TEST_CASE("auth run: the sending host signs, the receiver verifies and writes Authentication-Results") {
  auto r = run_auth(json::parse(auth_run_base));
  REQUIRE(count_event(r, "dkim.sign") == 1);
  auto boxes = messages_of(r, "bob@example.org");
  REQUIRE(boxes.size() == 1);
  auto m = sim::message::message::parse(boxes[0]);
  CHECK(m.count("DKIM-Signature") == 1);
  auto ar = results_of(boxes[0]);
  CHECK(ar.authserv_id == "mx.example.org");
  CHECK(result_of(ar, "spf") == "pass");
  CHECK(result_of(ar, "dkim") == "pass");
  CHECK(result_of(ar, "dmarc") == "pass");
  auto dkim = checks(r, "dkim");
  REQUIRE(dkim.size() == 1);
  CHECK(dkim[0]["domain"] == "sender.test");
  CHECK(dkim[0]["selector"] == "s1");
  CHECK(dkim[0]["reason"] == "");
  // The SPF check DMARC needs is made after the dot when the host's spf policy is off.
  CHECK(checks(r, "spf").size() == 1);
  // The sending host does not verify its own users' mail.
  for (const auto& e : checks(r, "dkim")) CHECK(e["host"] == "mx.example.org");
}

TEST_CASE("auth run: the same seed signs byte for byte the same, another seed with another key") {
  auto a = messages_of(run_auth(json::parse(auth_run_base)), "bob@example.org");
  auto b = messages_of(run_auth(json::parse(auth_run_base)), "bob@example.org");
  auto c = messages_of(run_auth(json::parse(auth_run_base), 7), "bob@example.org");
  REQUIRE(a.size() == 1);
  REQUIRE(c.size() == 1);
  CHECK(a == b);
  auto sig = [](const std::string& raw) { return *sim::message::message::parse(raw).get("DKIM-Signature"); };
  CHECK(sig(a[0]) != sig(c[0]));
  CHECK(result_of(results_of(c[0]), "dkim") == "pass");
}

TEST_CASE("auth run: enforce rejects a spoofed From with 550 5.7.26 after the final dot") {
  json doc = json::parse(auth_run_base);
  doc["timeline"].push_back(spoof);
  doc["hosts"]["mx.example.org"]["policy"]["dmarc_reject_text"] = "No, {domain} says reject";
  auto r = run_auth(doc);
  CHECK(messages_of(r, "bob@example.org").size() == 1);
  CHECK(has_reply(r, 550, "5.7.26"));
  bool text = false;
  for (const auto& e : r.events) text = text || (e["event"] == "smtp.reply" && e["text"] == "No, sender.test says reject");
  CHECK(text);
  auto dmarc = checks(r, "dmarc");
  REQUIRE(dmarc.size() == 2);
  CHECK(dmarc[1]["result"] == "fail");
  CHECK(dmarc[1]["policy"] == "reject");
  CHECK(dmarc[1]["disposition"] == "reject");
  CHECK(dmarc[1]["reason"].get<std::string>().find("neither SPF nor DKIM is aligned") != std::string::npos);
}

TEST_CASE("auth run: report mode tags the failure and delivers") {
  json doc = json::parse(auth_run_base);
  doc["timeline"].push_back(spoof);
  doc["hosts"]["mx.example.org"]["policy"]["dmarc"] = "report";
  auto r = run_auth(doc);
  auto boxes = messages_of(r, "bob@example.org");
  REQUIRE(boxes.size() == 2);
  CHECK_FALSE(has_reply(r, 550, "5.7.26"));
  CHECK(result_of(results_of(boxes[1]), "dmarc") == "fail");
  CHECK(result_of(results_of(boxes[1]), "dkim") == "none");
}

TEST_CASE("auth run: pct=0 spares the message the full policy: quarantine instead of reject") {
  json doc = json::parse(auth_run_base);
  doc["timeline"].push_back(spoof);
  doc["dns"][2] = "_dmarc.sender.test TXT \"v=DMARC1; p=reject; pct=0\"";
  auto r = run_auth(doc);
  CHECK(messages_of(r, "bob@example.org").size() == 2);
  CHECK_FALSE(has_reply(r, 550, "5.7.26"));
  auto dmarc = checks(r, "dmarc");
  REQUIRE(dmarc.size() == 2);
  CHECK(dmarc[1]["disposition"] == "quarantine");
}

TEST_CASE("auth run: p=quarantine delivers, the disposition in the trace and the field") {
  json doc = json::parse(auth_run_base);
  doc["timeline"].push_back(spoof);
  doc["dns"][2] = "_dmarc.sender.test TXT \"v=DMARC1; p=quarantine\"";
  auto r = run_auth(doc);
  auto boxes = messages_of(r, "bob@example.org");
  REQUIRE(boxes.size() == 2);
  CHECK(checks(r, "dmarc")[1]["disposition"] == "quarantine");
  auto ar = results_of(boxes[1]);
  for (const auto& res : ar.results)
    if (res.method == "dmarc") CHECK(res.comment.find("dis=quarantine") != std::string::npos);
}

TEST_CASE("auth run: a SERVFAIL for the key gives temperror, dkim verify alone leaves DMARC out") {
  json doc = json::parse(auth_run_base);
  doc["hosts"]["mx.example.org"]["policy"]["dmarc"] = "off";
  doc["timeline"].push_back(json::parse(
      R"({"at": "0s", "fault": {"dns": "s1._domainkey.sender.test", "type": "TXT", "rcode": "SERVFAIL"}})"));
  auto r = run_auth(doc);
  auto boxes = messages_of(r, "bob@example.org");
  REQUIRE(boxes.size() == 1);
  auto ar = results_of(boxes[0]);
  CHECK(result_of(ar, "dkim") == "temperror");
  CHECK(result_of(ar, "dmarc") == "(absent)");
  CHECK(result_of(ar, "spf") == "(absent)");
  CHECK(checks(r, "dmarc").empty());
}

TEST_CASE("auth run: a key record the scenario lists replaces the published key") {
  json doc = json::parse(auth_run_base);
  doc["dns"].push_back("s1._domainkey.sender.test TXT \"v=DKIM1; k=ed25519; p=\"");
  auto r = run_auth(doc);
  auto dkim = checks(r, "dkim");
  REQUIRE(dkim.size() == 1);
  CHECK(dkim[0]["result"] == "permerror");
  // SPF is aligned: DMARC still passes.
  CHECK(checks(r, "dmarc")[0]["result"] == "pass");
}

TEST_CASE("auth run: a rewriting relay changes subject and body, and so breaks the signature") {
  json doc = json::parse(auth_run_base);
  doc["dns"][3] = "example.org MX 10 lists.example.org";
  doc["hosts"]["lists.example.org"] = json::parse(R"({"ip": "198.51.100.20", "relay_domains": ["example.org"],
    "smarthost": "mx.example.org", "rewrite": {"subject_prefix": "[team] ", "footer": "the team list"}})");
  doc["hosts"]["mx.example.org"]["policy"]["dmarc"] = "report";
  auto r = run_auth(doc);
  auto boxes = messages_of(r, "bob@example.org");
  REQUIRE(boxes.size() == 1);
  auto m = sim::message::message::parse(boxes[0]);
  CHECK(m.get("Subject") == "[team] Hi");
  CHECK(m.body().ends_with("the team list\r\n"));
  auto dkim = checks(r, "dkim");
  REQUIRE(dkim.size() == 1);
  CHECK(dkim[0]["result"] == "fail");
  CHECK(dkim[0]["reason"] == "body hash did not verify");
}

// The names of a message's fields from the top, as many as asked.
std::vector<std::string> top_fields(const std::string& raw, std::size_t n) {
  std::vector<std::string> out;
  auto m = sim::message::message::parse(raw);
  for (const auto& f : m.fields())
    if (out.size() < n) out.push_back(f.name);
  return out;
}

TEST_CASE("auth run: Authentication-Results under Received and Received-SPF, the body as sent") {
  json doc = json::parse(auth_run_base);
  doc["hosts"]["mx.example.org"]["policy"]["spf"] = "tag";
  auto r = run_auth(doc);
  auto boxes = messages_of(r, "bob@example.org");
  REQUIRE(boxes.size() == 1);
  // The LDA's fields, then what the MX put on top, then the sender's signature.
  CHECK(top_fields(boxes[0], 6) == std::vector<std::string>{"Return-Path", "Delivered-To", "Received", "Received-SPF",
                                                            "Authentication-Results", "DKIM-Signature"});
  CHECK(sim::message::message::parse(boxes[0]).body() == "Hello\r\n");
}

TEST_CASE("auth run: a list that checks and rewrites: results of the message as it came, above the rewrite") {
  json doc = json::parse(auth_run_base);
  doc["dns"][3] = "example.org MX 10 lists.example.org";
  doc["hosts"]["lists.example.org"] = json::parse(R"({"ip": "198.51.100.20", "relay_domains": ["example.org"],
    "smarthost": "mx.example.org", "rewrite": {"subject_prefix": "[team] ", "footer": "the team list"},
    "policy": {"dkim": "verify", "dmarc": "report"}})");
  doc["hosts"]["mx.example.org"]["policy"]["dmarc"] = "report";
  auto r = run_auth(doc);
  auto boxes = messages_of(r, "bob@example.org");
  REQUIRE(boxes.size() == 1);
  auto m = sim::message::message::parse(boxes[0]);
  CHECK(m.get("Subject") == "[team] Hi");
  CHECK(m.body().ends_with("the team list\r\n"));
  // The list verified the signature before it changed the message; the MX after.
  auto dkim = checks(r, "dkim");
  REQUIRE(dkim.size() == 2);
  CHECK(dkim[0]["host"] == "lists.example.org");
  CHECK(dkim[0]["result"] == "pass");
  CHECK(dkim[1]["host"] == "mx.example.org");
  CHECK(dkim[1]["result"] == "fail");
  auto all = m.get_all("Authentication-Results");
  REQUIRE(all.size() == 2);
  CHECK(all[1].find("lists.example.org") == 0);
  CHECK(all[1].find("dkim=pass") != std::string::npos);
  CHECK(top_fields(boxes[0], 7) == std::vector<std::string>{"Return-Path", "Delivered-To", "Received",
                                                            "Authentication-Results", "Received",
                                                            "Authentication-Results", "DKIM-Signature"});
}
