// tests/sim/scenario/loader_test.cpp - scenario files that load: the
// example of scenario-format.md with its defaults, comments, dns_files, and
// the line and column of JSON syntax errors.
#include <catch2/catch.hpp>

#include "sim/scenario/loader.hpp"

using namespace sim::scenario;
using namespace std::chrono_literals;

namespace {

const std::string data_dir = std::string(MAILSIM_SOURCE_DIR) + "/tests/sim/scenario/data/";

std::string error_of(std::string_view text) {
  try {
    load_from_string(text, "x.json");
  } catch (const load_error& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST_CASE("the example of scenario-format.md loads with the format's defaults") {
  scenario s = load(data_dir + "backup-mx.json");
  CHECK(s.id == "backup-mx");
  CHECK(s.description == "RFC 5321 section 5.1: try MX hosts in order of preference.");
  CHECK(s.seed == 1);
  CHECK(sim::format_rfc3339(s.start) == "2026-01-05T09:00:00Z");
  CHECK_FALSE(s.until);
  REQUIRE(s.dns.size() == 2);
  CHECK(s.dns[1].text == "example.org MX 20 mx2.example.org");
  CHECK(s.dns[1].record.preference == 20);
  CHECK(s.dns[1].record.data == "mx2.example.org");

  REQUIRE(s.hosts.size() == 3);  // ordered by name
  CHECK(s.hosts[0].name == "mail.sender.test");
  CHECK(s.hosts[1].name == "mx1.example.org");
  CHECK(s.hosts[2].name == "mx2.example.org");
  const host& sender = s.hosts[0];
  CHECK(sender.ip == "192.0.2.25");
  CHECK(sender.publish);
  CHECK(sender.submission);
  // alice, then the implicit postmaster mailbox of the first local domain (RFC 5321 4.5.1).
  REQUIRE(sender.mailboxes.size() == 2);
  CHECK(sender.mailboxes[0].address == "alice@sender.test");
  CHECK(sender.mailboxes[0].password == "pw");
  CHECK_FALSE(sender.mailboxes[0].quota);
  CHECK_FALSE(sender.mailboxes[0].implicit);
  CHECK(sender.postmaster == "postmaster@sender.test");
  CHECK(sender.mailboxes[1].address == "postmaster@sender.test");
  CHECK(sender.mailboxes[1].implicit);
  const host& backup = s.hosts[2];
  CHECK(backup.is_mta());
  CHECK(backup.relay_domains == std::vector<std::string>{"example.org"});
  CHECK(backup.policy.spf == spf_mode::off);
  CHECK(backup.policy.max_message_size == 10 * 1024 * 1024);
  CHECK_FALSE(backup.policy.greylist);
  CHECK(backup.profile == "postfix");
  CHECK(backup.dns_cache);
  // No profile named: postfix's words, the format's queue defaults.
  CHECK(backup.profile == "postfix");
  CHECK_FALSE(backup.profile_named);
  CHECK(backup.queue.algorithm == sim::mta::retry_algorithm::doubling);
  CHECK(backup.queue.min_backoff == 5min);
  CHECK(backup.queue.max_backoff == 1h);
  CHECK(backup.queue.run_delay == 0s);
  CHECK(backup.queue.lifetime == std::chrono::days{5});
  CHECK(backup.queue.bounce_lifetime == std::chrono::days{5});
  CHECK(backup.queue.delay_warning == 4h);
  CHECK(backup.limits.delivery == sim::mta::delivery_settings{.mx_address_limit = 5, .mx_session_limit = 2, .next_mx_on_soft_error = true});  // DATA after the RCPT replies
  CHECK(backup.limits.connect_timeout == 30s);
  CHECK(backup.limits.command_timeout == 5min);
  CHECK(backup.limits.data_timeout == 10min);
  CHECK(backup.limits.max_recipients == 100);
  CHECK(backup.limits.max_hops == 50);

  REQUIRE(s.timeline.size() == 4);
  CHECK(s.timeline[0].at == sim::at_millis(0));
  auto& fault = std::get<host_fault>(s.timeline[0].what);
  CHECK(fault.host == "mx1.example.org");
  CHECK(fault.kind == fault_kind::refuse);
  CHECK(fault.as_written.dump() == R"({"host":"mx1.example.org","kind":"refuse"})");
  auto& send = std::get<send_action>(s.timeline[1].what);
  CHECK(send.id == "hello");
  CHECK(send.subject == "Hello");
  CHECK(send.body.empty());
  CHECK_FALSE(send.via);
  CHECK(s.submission_host_for(send.from)->name == "mail.sender.test");
  CHECK(std::get<heal_action>(s.timeline[2].what).name == "mx1.example.org");
  auto& fetch = std::get<fetch_action>(s.timeline[3].what);
  CHECK(fetch.from == "mx1.example.org");
  CHECK(fetch.delete_messages);
  CHECK(s.timeline[3].at == sim::at_millis(86'400'000));

  REQUIRE(s.expect.size() == 5);
  auto& delivered = std::get<expect_delivered>(s.expect[0].what);
  CHECK(delivered.via == std::vector<std::string>{"mail.sender.test", "mx2.example.org", "mx1.example.org"});
  REQUIRE(delivered.headers.size() == 1);
  CHECK(delivered.headers[0].value == "<alice@sender.test>");
  auto& trace = std::get<expect_trace>(s.expect[1].what);
  CHECK(trace.pattern.dump() ==
        R"({"event":"net.connect.refused","host":"mail.sender.test","peer":"mx1.example.org"})");
  CHECK(trace.range.holds(1));
  CHECK_FALSE(trace.range.holds(0));
  CHECK(s.expect[2].kind() == "no_bounce");
  CHECK(s.expect[4].kind() == "queue_empty");
  CHECK_FALSE(std::get<expect_queue_empty>(s.expect[4].what).host);
}

TEST_CASE("the timeline runs in order of at, ties in file order, keeping file indexes") {
  scenario s = load_from_string(R"({"scenario": "t", "title": "T",
    "hosts": {"m.test": {"ip": "192.0.2.1", "local_domains": ["m.test"], "mailboxes": ["a@m.test"]}},
    "timeline": [
      {"at": "2s", "crash": "m.test"},
      {"at": "1s", "fetch": {"user": "a@m.test", "id": "first"}},
      {"at": "3s", "restart": "m.test"},
      {"at": "1s", "fetch": {"user": "a@m.test", "delete": false}}
    ]})",
                                "x.json");
  REQUIRE(s.timeline.size() == 4);
  std::vector<std::size_t> got;
  for (const auto& e : s.timeline) got.push_back(e.index);
  CHECK(got == std::vector<std::size_t>{1, 3, 0, 2});
  CHECK_FALSE(std::get<fetch_action>(s.timeline[1].what).delete_messages);
}

TEST_CASE("comments are allowed and strings keep their slashes") {
  scenario s = load_from_string(R"(// a scenario
{
  /* the id */ "scenario": "c", // trailing
  "title": "http://example.org/* not a comment */ // nor this",
  "hosts": { /* none are MTAs */ "pc.test": {"ip": "192.0.2.9"} }
})",
                                "x.json");
  CHECK(s.title == "http://example.org/* not a comment */ // nor this");
  CHECK_FALSE(s.hosts[0].is_mta());
}

TEST_CASE("every field of a host is read") {
  scenario s = load_from_string(R"({"scenario": "h", "title": "T", "seed": 42, "until": "2d",
    "start": "2025-12-31T23:59:59Z", "description": "d",
    "hosts": {"mx.example.org": {"ip": "2001:DB8::1", "publish": false, "local_domains": ["Example.ORG"],
      "mailboxes": {"Bob@EXAMPLE.org": {"quota": "1MB"}, "carol@example.org": {}},
      "relay_domains": ["other.test"], "smarthost": "relay.test", "mynetworks": ["192.0.2.77/24", "2001:db8::/32"],
      "policy": {"dnsbl": ["bl.test"], "spf": "reject", "greylist": "5m", "whitelist": ["10.0.0.1"],
                 "antivirus": true, "max_message_size": "512"},
      "queue": {"min_backoff": "1m", "max_backoff": "10m", "lifetime": "1d", "bounce_lifetime": "2d",
                "delay_warning": "0s"},
      "limits": {"connect_timeout": "10s", "command_timeout": "1m", "data_timeout": "2m",
                 "max_recipients": 1, "max_hops": 1000}},
     "relay.test": {"ip": "192.0.2.2", "mynetworks": ["0.0.0.0/0"]}}})",
                                "x.json");
  CHECK(s.seed == 42);
  CHECK(s.until == std::chrono::days{2});
  CHECK(sim::format_rfc3339(s.start) == "2025-12-31T23:59:59Z");
  const host& h = *s.find_host("mx.example.org");
  CHECK(h.ip == "2001:db8::1");
  CHECK_FALSE(h.publish);
  CHECK(h.local_domains == std::vector<std::string>{"example.org"});
  CHECK(h.mailboxes[0].address == "Bob@example.org");
  CHECK(h.mailboxes[0].quota == 1024 * 1024);
  CHECK_FALSE(h.mailboxes[1].password);
  CHECK(h.find_mailbox("bob@example.org"));
  CHECK(h.smarthost == "relay.test");
  CHECK(sim::policy::contains(h.mynetworks[0], *dns::parse_ip("192.0.2.200")));
  CHECK_FALSE(sim::policy::contains(h.mynetworks[0], *dns::parse_ip("192.0.3.1")));
  CHECK(sim::policy::contains(h.mynetworks[1], *dns::parse_ip("2001:db8:ffff::1")));
  CHECK_FALSE(sim::policy::contains(h.mynetworks[1], *dns::parse_ip("192.0.2.1")));
  REQUIRE(h.policy.dnsbl.size() == 1);
  CHECK(h.policy.dnsbl[0].zone == "bl.test");
  CHECK_FALSE(h.policy.dnsbl[0].reply);
  CHECK(h.policy.spf == spf_mode::reject);
  REQUIRE(h.policy.greylist);
  CHECK(h.policy.greylist->delay == 5min);
  CHECK(h.policy.whitelist[0].prefix_length == 32);
  CHECK(h.policy.antivirus);
  CHECK(h.policy.max_message_size == 512);
  CHECK(h.queue.delay_warning == 0s);
  CHECK(h.queue.bounce_lifetime == std::chrono::days{2});
  CHECK(h.limits.max_recipients == 1);
  CHECK(h.limits.max_hops == 1000);
  CHECK(s.find_host("relay.test")->is_mta());
  CHECK(sim::policy::contains(s.find_host("relay.test")->mynetworks[0], *dns::parse_ip("203.0.113.1")));
}

TEST_CASE("every timeline action and its keys are read") {
  scenario s = load_from_string(R"({"scenario": "a", "title": "T",
    "hosts": {"mx.example.org": {"ip": "192.0.2.1", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"]},
              "pc.test": {"ip": "192.0.2.2"}},
    "timeline": [
      {"at": "0s", "send": {"from": "<>", "to": ["bob@example.org"], "cc": ["x@y.test"], "bcc": ["z@y.test"],
        "subject": "S", "body": "B", "headers": {"X-B": "2", "X-A": "1"}, "size": "10KB", "eicar": true,
        "via": "mx.example.org", "port": 25, "client": "pc.test", "id": "m"}},
      {"at": "1s", "fault": {"host": "mx.example.org", "kind": "reply", "phase": "rcpt", "code": 550,
        "enhanced": "5.1.1", "text": "no", "match": "bob@example.org", "times": 2}},
      {"at": "1s", "fault": {"host": "mx.example.org", "kind": "slow", "delay": "30s"}},
      {"at": "1s", "fault": {"host": "mx.example.org", "kind": "timeout", "port": 25}},
      {"at": "1s", "fault": {"host": "mx.example.org", "kind": "reset", "phase": "dot"}},
      {"at": "1s", "fault": {"host": "mx.example.org", "kind": "mailbox_full", "mailbox": "bob@example.org"}},
      {"at": "1s", "fault": {"dns": "Example.org", "type": "MX", "rcode": "timeout"}},
      {"at": "2s", "heal": {"dns": "example.org"}},
      {"at": "3s", "dns": {"add": ["example.org A 192.0.2.1"], "remove": ["example.org MX 10 mx.example.org"]}}
    ]})",
                                "x.json");
  auto& send = std::get<send_action>(s.timeline[0].what);
  CHECK(send.from.empty());
  CHECK(send.recipients() == std::vector<std::string>{"bob@example.org", "x@y.test", "z@y.test"});
  CHECK(send.headers == std::vector<std::pair<std::string, std::string>>{{"X-B", "2"}, {"X-A", "1"}});
  CHECK(send.size == 10240);
  CHECK(send.eicar);
  CHECK(send.port == 25);
  CHECK(send.client == "pc.test");
  auto& reply = std::get<host_fault>(s.timeline[1].what);
  CHECK(reply.phase == smtp_phase::rcpt);
  CHECK(reply.code == 550);
  CHECK(reply.enhanced == "5.1.1");
  CHECK(reply.match == "bob@example.org");
  CHECK(reply.times == 2);
  CHECK(std::get<host_fault>(s.timeline[2].what).delay == 30s);
  CHECK_FALSE(std::get<host_fault>(s.timeline[2].what).phase);
  CHECK(std::get<host_fault>(s.timeline[3].what).port == 25);
  CHECK(std::get<host_fault>(s.timeline[4].what).phase == smtp_phase::dot);
  CHECK(std::get<host_fault>(s.timeline[5].what).mailbox == "bob@example.org");
  auto& dns_f = std::get<dns_fault>(s.timeline[6].what);
  CHECK(dns_f.name == "example.org");
  CHECK(dns_f.type == dns::rr_type::MX);
  CHECK(dns_f.rcode == dns::rcode::timeout);
  CHECK(dns_f.as_written.dump() == R"({"dns":"Example.org","type":"MX","rcode":"timeout"})");
  CHECK(std::get<heal_action>(s.timeline[7].what).on == heal_action::target::dns);
  auto& change = std::get<dns_change>(s.timeline[8].what);
  CHECK(change.add[0].record.type == dns::rr_type::A);
  CHECK(change.remove[0].text == "example.org MX 10 mx.example.org");
}

TEST_CASE("dns_files are resolved next to the scenario and their records join dns") {
  scenario s = load(data_dir + "with-zone.json");
  REQUIRE(s.dns_files.size() == 1);
  CHECK(s.dns_files[0] == data_dir + "example.zone");
  REQUIRE(s.dns.size() == 4);
  CHECK(s.dns[0].text == "example.org MX 20 mx2.example.org");
  CHECK(s.dns[1].record.type == dns::rr_type::MX);
  CHECK(s.dns[1].record.data == "mx1.example.org");
  CHECK(s.dns[3].record.name == "www.example.org");
  CHECK(s.dns[3].record.ttl == 600);
}

TEST_CASE("a missing file and a missing dns file are load errors") {
  CHECK_THROWS_WITH(load(data_dir + "nope.json"), data_dir + "nope.json: cannot be read");
  CHECK_THROWS_WITH(load_from_string(R"({"scenario": "z", "title": "T", "dns_files": ["nope.zone"],
                                         "hosts": {"a.test": {"ip": "192.0.2.1"}}})",
                                     "x.json", data_dir),
                    "x.json: /dns_files/0: \"nope.zone\": no such file (" + data_dir + "nope.zone)");
}

TEST_CASE("JSON syntax errors give the line and column") {
  CHECK(error_of("{\n  \"scenario\": \"x\",\n  \"title\": tru\n}") ==
        "x.json:3:15: syntax error: invalid literal; last read: '\"title\": tru<U+000A>' (while parsing value)");
  CHECK(error_of("{\"a\": 1\n \"b\": 2}") ==
        "x.json:2:2: syntax error: unexpected string literal; expected '}' (while parsing object)");
  CHECK(error_of("") == "x.json:1:1: syntax error: unexpected end of input; expected '[', '{', or a literal (while parsing value)");
  CHECK(error_of("{} /* open") == "x.json:1:11: syntax error: invalid comment; missing closing '*/'; last read: "
                                  "'{} /* open'; expected end of input (while parsing value)");
  CHECK(error_of("{\"a\" 12}") ==
        "x.json:1:6: syntax error: unexpected number literal; expected ':' (while parsing object separator)");
  CHECK(error_of("{\n\"a\": 1,\n}") ==
        "x.json:3:1: syntax error: unexpected '}'; expected string literal (while parsing object key)");
  CHECK(error_of("{\"a\": \"x\\\"y\" \"b\"}") ==
        "x.json:1:14: syntax error: unexpected string literal; expected '}' (while parsing object)");
  CHECK(error_of("[1]") == "x.json: top level: expected an object, got an array");
}

TEST_CASE("the content filter, the host's lists and a mailbox's lists are read") {
  scenario s = load_from_string(R"({"scenario": "s", "title": "T",
    "hosts": {"mx.example.org": {"ip": "192.0.2.1", "local_domains": ["example.org"],
      "mailboxes": {"bob@example.org": {"allow": ["carol@partner.example"], "block": ["coupons.example", "<>"]},
                    "eve@example.org": {}},
      "policy": {"dnsbl": ["bl.test"], "dnsbl_action": "score", "allow": ["partner.example", "192.0.2.0/24"],
                 "block": [".spam.example"],
                 "spam": {"tag_at": 4, "junk_at": 6.5, "reject_at": 12, "builtin": false,
                          "rules": [{"name": "PHARMA", "body": true, "pattern": "(?i)cheap meds", "score": 4,
                                     "describe": "medicine"},
                                    {"name": "MAILER", "header": "X-Mailer", "pattern": "^bulk", "score": -0.5}]}}},
     "plain.example.org": {"ip": "192.0.2.2", "local_domains": ["plain.test"], "policy": {"spam": true}}}})",
                                "x.json");
  const host& h = *s.find_host("mx.example.org");
  CHECK(h.policy.dnsbl_listed == dnsbl_action::score);
  REQUIRE(h.policy.spam);
  CHECK(h.policy.spam->tag_at == 4.0);
  CHECK(h.policy.spam->junk_at == 6.5);
  CHECK(h.policy.spam->reject_at == 12.0);
  CHECK_FALSE(h.policy.spam->builtin);
  REQUIRE(h.policy.spam->rules.size() == 2);
  CHECK(h.policy.spam->rules[0].name == "PHARMA");
  CHECK(h.policy.spam->rules[0].body);
  CHECK(h.policy.spam->rules[0].describe == "medicine");
  CHECK(h.policy.spam->rules[1].header == "X-Mailer");
  CHECK(h.policy.spam->rules[1].score == -0.5);
  CHECK(h.policy.access.allow.size() == 2);
  CHECK(h.policy.access.block.size() == 1);
  CHECK(h.find_mailbox("bob@example.org")->lists.allow.size() == 1);
  CHECK(h.find_mailbox("bob@example.org")->lists.block.size() == 2);
  CHECK(h.find_mailbox("eve@example.org")->lists.empty());
  const host& plain = *s.find_host("plain.example.org");
  REQUIRE(plain.policy.spam);
  CHECK(plain.policy.spam->junk_at == 5.0);
  CHECK(plain.policy.spam->builtin);
  CHECK(plain.policy.dnsbl_listed == dnsbl_action::reject);
  CHECK_FALSE(s.hosts.empty());
}

TEST_CASE("fetch: the client is the one named, else the owner's machine from a send, else named after the owner") {
  scenario s = load_from_string(R"({"scenario": "t", "title": "T",
    "hosts": {"m.test": {"ip": "192.0.2.1", "local_domains": ["m.test"], "mailboxes": ["a@m.test", "B.C+x@m.test"]},
              "a-pc.m.test": {"ip": "192.0.2.9"},
              "kiosk.m.test": {"ip": "192.0.2.10"}},
    "timeline": [
      {"at": "1s", "send": {"from": "a@m.test", "to": ["a@m.test"], "client": "a-pc.m.test"}},
      {"at": "2s", "fetch": {"user": "a@m.test"}},
      {"at": "3s", "fetch": {"user": "a@m.test", "client": "kiosk.m.test"}},
      {"at": "4s", "fetch": {"user": "B.C+x@m.test"}}
    ]})",
                                "x.json");
  REQUIRE(s.timeline.size() == 4);
  CHECK(fetching_client(s, std::get<fetch_action>(s.timeline[1].what)) == "a-pc.m.test");
  CHECK(fetching_client(s, std::get<fetch_action>(s.timeline[2].what)) == "kiosk.m.test");
  CHECK(fetching_client(s, std::get<fetch_action>(s.timeline[3].what)) == "b-c-x-mua.m.test");
  CHECK(error_of(R"({"scenario": "t", "title": "T",
    "hosts": {"m.test": {"ip": "192.0.2.1", "local_domains": ["m.test"], "mailboxes": ["a@m.test"]}},
    "timeline": [{"at": "1s", "fetch": {"user": "a@m.test", "client": "nowhere.test"}}]})")
            .find("/timeline/0/fetch/client") != std::string::npos);
}

TEST_CASE("fetch: a scenario host named like the owner's machine is not taken for it") {
  scenario s = load_from_string(R"({"scenario": "t", "title": "T",
    "hosts": {"m.test": {"ip": "192.0.2.1", "local_domains": ["m.test"], "mailboxes": ["a@m.test"]},
              "a-mua.m.test": {"ip": "192.0.2.9"}},
    "timeline": [{"at": "2s", "fetch": {"user": "a@m.test"}}]})",
                                "x.json");
  CHECK(fetching_client(s, std::get<fetch_action>(s.timeline[0].what)) == "a-mua.client.invalid");
}
