// tests/sim/scenario/loader_errors_test.cpp - each kind of mistake in a
// scenario file gives one message with the right JSON pointer.
#include <catch2/catch.hpp>

#include "sim/scenario/loader.hpp"
#include "tests/sim/scenario/load_error.hpp"

using namespace sim::scenario;

namespace {

const char* base_text = R"({
  "scenario": "t",
  "title": "T",
  "hosts": {
    "mail.sender.test": {"ip": "192.0.2.25", "local_domains": ["sender.test"],
                         "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true},
    "mx1.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"]},
    "pc.client.test": {"ip": "203.0.113.5"}
  },
  "timeline": [
    {"at": "1s", "send": {"id": "m1", "from": "alice@sender.test", "to": ["bob@example.org"]}}
  ],
  "expect": [ {"delivered": {"to": "bob@example.org"}} ]
})";

using testing::error_of;

// The base scenario with the value at `pointer` set (or removed).
std::string with(const std::string& pointer, const json& value) { return testing::error_with(base_text, pointer, value); }

std::string without(const std::string& parent, const std::string& key) {
  json doc = json::parse(base_text);
  doc[json::json_pointer(parent)].erase(key);
  return error_of(doc);
}

std::string with_action(const json& entry) { return with("/timeline/1", entry); }
std::string with_expect(const json& entry) { return with("/expect/1", entry); }

}  // namespace

TEST_CASE("the base scenario of these tests loads") { CHECK(error_of(json::parse(base_text)) == "(loaded)"); }

TEST_CASE("top-level keys: unknown, missing, wrong type, bad values") {
  CHECK(with("/titel", "x") == R"(x.json: /titel: unknown key "titel" (did you mean "title"?))");
  CHECK(with("/colour", "x") == R"(x.json: /colour: unknown key "colour")");
  CHECK(without("", "title") == R"(x.json: top level: missing required key "title")");
  CHECK(without("", "hosts") == R"(x.json: top level: missing required key "hosts")");
  CHECK(with("/scenario", "Bad_ID") ==
        R"(x.json: /scenario: "Bad_ID" is not a scenario id (lower-case letters, digits and '-'))");
  CHECK(with("/scenario", "") == R"(x.json: /scenario: "" is not a scenario id (lower-case letters, digits and '-'))");
  CHECK(with("/title", "two\nlines") == "x.json: /title: the title must be one non-empty line");
  CHECK(with("/seed", "1") == "x.json: /seed: expected a non-negative integer, got a string");
  CHECK(with("/seed", -1) == "x.json: /seed: -1 is negative");
  CHECK(with("/seed", 1.5) == "x.json: /seed: expected a non-negative integer, got a fractional number");
  CHECK(with("/description", 3) == "x.json: /description: expected a string, got an integer");
  CHECK(with("/start", "2026-13-01T00:00:00Z") ==
        R"(x.json: /start: "2026-13-01T00:00:00Z" is not an RFC 3339 UTC time ("2026-01-05T09:00:00Z"))");
  CHECK(with("/until", "5x") ==
        R"(x.json: /until: "5x" is not a duration (<number><unit> parts, unit ms, s, m, h or d: "30s", "1h30m"))");
  CHECK(with("/until", "0s") == "x.json: /until: the stop time must be after the start");
  CHECK(with("/dns", json::array({"example.org MX ten mx1.example.org"})).rfind("x.json: /dns/0: record ", 0) == 0);
  CHECK(with("/dns", "example.org A 192.0.2.1") == "x.json: /dns: expected an array, got a string");
  CHECK(with("/dns_files", json::array({""})) == R"(x.json: /dns_files/0: expected a file name, got "")");
  CHECK(with("/hosts", json::object()) == "x.json: /hosts: a scenario needs at least one host");
}

TEST_CASE("a key given twice is an error at its pointer") {
  auto error_of_text = [](const char* text) {
    try {
      load_from_string(text, "x.json");
    } catch (const load_error& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  CHECK(error_of_text(R"({"scenario": "a", "scenario": "b"})") == R"(x.json: /scenario: duplicate key "scenario")");
  CHECK(error_of_text(R"({"title": "T", "hosts": {"a.test": {"ip": "192.0.2.1"}},
      "timeline": [{"at": "1s", "crash": "a.test"}, {"at": "2s", "fetch": {"user": "u@a.test", "user": "v@a.test"}}]})") ==
        R"(x.json: /timeline/1/fetch/user: duplicate key "user")");
  CHECK(error_of_text(R"({"dns": [["x"], {"a/b": 1, "a/b": 2}]})") == R"(x.json: /dns/1/a~1b: duplicate key "a/b")");
}

TEST_CASE("sizes at and past their limits") {
  const std::string q = "/hosts/mail.sender.test/mailboxes/alice@sender.test/quota";
  for (const char* good : {"512", "10KB", "1MB", "1GB", "1099511627776"}) CHECK(with(q, good) == "(loaded)");
  CHECK(with(q, 2048) == "(loaded)");
  for (const char* bad : {"1TB", "", "KB", "1kb", "-1"})
    CHECK(with(q, bad) == "x.json: " + q + ": \"" + bad + "\" is not a size (\"512\", \"10KB\", \"1MB\")");
  // Numbers a size cannot hold are too large, not malformed: never wrapped.
  for (const char* big : {"1099511627777", "17179869184GB", "99999999999999999999999KB"})
    CHECK(with(q, big) == "x.json: " + q + ": \"" + big + "\" is too large a size");
  CHECK(with(q, "17179869183GB") == "(loaded)");  // (2^34 - 1) GB still fits in 64 bits
}

TEST_CASE("hosts: addresses, names, mailboxes, references") {
  CHECK(with("/hosts/mx1.example.org/ip", "300.1.2.3") ==
        R"(x.json: /hosts/mx1.example.org/ip: "300.1.2.3" is not an IPv4 or IPv6 address)");
  CHECK(with("/hosts/mx1.example.org/ip", "192.0.2.25") ==
        R"(x.json: /hosts/mx1.example.org/ip: "192.0.2.25" is already the address of mail.sender.test)");
  CHECK(without("/hosts/mx1.example.org", "ip") == R"(x.json: /hosts/mx1.example.org: missing required key "ip")");
  CHECK(with("/hosts/mx1.example.org/loacl_domains", json::array()) ==
        R"(x.json: /hosts/mx1.example.org/loacl_domains: unknown key "loacl_domains" (did you mean "local_domains"?))");
  CHECK(with("/hosts/bad_host!", json::object({{"ip", "192.0.2.99"}})) ==
        R"(x.json: /hosts/bad_host!: "bad_host!" is not a host name)");
  CHECK(with("/hosts/MX2.example.org", json::object({{"ip", "192.0.2.99"}})) ==
        R"(x.json: /hosts/MX2.example.org: "MX2.example.org": write host names in lower case)");
  CHECK(with("/hosts/mx1.example.org/mailboxes/1", "bob@other.test") ==
        R"(x.json: /hosts/mx1.example.org/mailboxes/1: "bob@other.test" is not in the local_domains of mx1.example.org (["example.org"]))");
  CHECK(with("/hosts/mx1.example.org/mailboxes/1", "BOB@example.org") ==
        R"(x.json: /hosts/mx1.example.org/mailboxes/1: "BOB@example.org" is listed twice)");
  CHECK(with("/hosts/mail.sender.test/mailboxes/alice", json::object()) ==
        R"(x.json: /hosts/mail.sender.test/mailboxes/alice: "alice" is not an RFC 5321 mailbox (local@domain))");
  CHECK(with("/hosts/mail.sender.test/mailboxes/alice@sender.test/pasword", "x") ==
        R"(x.json: /hosts/mail.sender.test/mailboxes/alice@sender.test/pasword: unknown key "pasword" (did you mean "password"?))");
  CHECK(with("/hosts/mail.sender.test/mailboxes/alice@sender.test/quota", "1 MB") ==
        R"(x.json: /hosts/mail.sender.test/mailboxes/alice@sender.test/quota: "1 MB" is not a size ("512", "10KB", "1MB"))");
  CHECK(with("/hosts/mail.sender.test/smarthost", "relay.test") ==
        R"(x.json: /hosts/mail.sender.test/smarthost: no host named "relay.test")");
  CHECK(with("/hosts/mail.sender.test/smarthost", "mail.sender.test") ==
        "x.json: /hosts/mail.sender.test/smarthost: a host cannot be its own smarthost");
  CHECK(with("/hosts/mx1.example.org/relay_domains", json::array({"EXAMPLE.org"})) ==
        R"(x.json: /hosts/mx1.example.org/relay_domains/0: "example.org" is already in local_domains)");
  CHECK(with("/hosts/mx1.example.org/local_domains/0", "example..org") ==
        R"(x.json: /hosts/mx1.example.org/local_domains/0: "example..org" is not a domain name)");
  CHECK(with("/hosts/mx1.example.org/submission", "yes") ==
        "x.json: /hosts/mx1.example.org/submission: expected true or false, got a string");
}

TEST_CASE("hosts: networks, policy, queue and limits at and past their boundaries") {
  const std::string h = "/hosts/mx1.example.org";
  CHECK(with(h + "/mynetworks", json::array({"192.0.2.0/32", "2001:db8::/128"})) == "(loaded)");
  CHECK(with(h + "/mynetworks", json::array({"192.0.2.0/33"})) ==
        R"(x.json: /hosts/mx1.example.org/mynetworks/0: "192.0.2.0/33": the prefix length must be 0 to 32)");
  CHECK(with(h + "/mynetworks", json::array({"2001:db8::/129"})) ==
        R"(x.json: /hosts/mx1.example.org/mynetworks/0: "2001:db8::/129": the prefix length must be 0 to 128)");
  CHECK(with(h + "/mynetworks", json::array({"192.0.2.0/"})) ==
        R"(x.json: /hosts/mx1.example.org/mynetworks/0: "192.0.2.0/": the prefix length must be 0 to 32)");
  CHECK(with(h + "/policy/whitelist", json::array({"example.org"})) ==
        R"(x.json: /hosts/mx1.example.org/policy/whitelist/0: "example.org" is not a network ("192.0.2.0/24", "2001:db8::/32" or an address))");
  CHECK(with(h + "/policy/spf", "on") ==
        R"(x.json: /hosts/mx1.example.org/policy/spf: "on" is not an SPF mode ("off", "tag" or "reject"))");
  CHECK(with(h + "/policy/greylist", "5 minutes").rfind(
            R"(x.json: /hosts/mx1.example.org/policy/greylist: "5 minutes" is not a duration)", 0) == 0);
  CHECK(with(h + "/policy/max_message_size", "0") ==
        "x.json: /hosts/mx1.example.org/policy/max_message_size: must be larger than 0");
  CHECK(with(h + "/policy/max_message_size", "10KiB") ==
        R"(x.json: /hosts/mx1.example.org/policy/max_message_size: "10KiB" is not a size ("512", "10KB", "1MB"))");
  CHECK(with(h + "/policy/dnsbl", json::array({"zen spamhaus"})) ==
        R"(x.json: /hosts/mx1.example.org/policy/dnsbl/0: "zen spamhaus" is not a domain name)");
  CHECK(with(h + "/queue", json::object({{"min_backoff", "2h"}})) ==
        "x.json: /hosts/mx1.example.org/queue: max_backoff (1h) is shorter than min_backoff (2h)");
  CHECK(with(h + "/queue/lifetime", "0s") == "x.json: /hosts/mx1.example.org/queue/lifetime: must be longer than 0s");
  CHECK(with(h + "/queue/delay_warning", "0s") == "(loaded)");
  CHECK(with(h + "/limits/max_recipients", 1) == "(loaded)");
  CHECK(with(h + "/limits/max_recipients", 0) ==
        "x.json: /hosts/mx1.example.org/limits/max_recipients: 0 is out of range (1 to 1000000)");
  CHECK(with(h + "/limits/max_hops", 1000) == "(loaded)");
  CHECK(with(h + "/limits/max_hops", 1001) ==
        "x.json: /hosts/mx1.example.org/limits/max_hops: 1001 is out of range (1 to 1000)");
  CHECK(with(h + "/limits/max_hop", 10) ==
        R"(x.json: /hosts/mx1.example.org/limits/max_hop: unknown key "max_hop" (did you mean "max_hops"?))");
}

TEST_CASE("addresses: RFC 5321 mailboxes at their length limits") {
  const std::string local64(64, 'a');
  CHECK(with("/timeline/0/send/to/0", local64 + "@example.org") == "(loaded)");
  CHECK(with("/timeline/0/send/to/0", local64 + "a@example.org") ==
        "x.json: /timeline/0/send/to/0: \"" + local64 + "a@example.org\" is not an RFC 5321 mailbox (local@domain)");
  const std::string label63(63, 'b');
  CHECK(with("/timeline/0/send/to/0", "x@" + label63 + ".test") == "(loaded)");
  CHECK(with("/timeline/0/send/to/0", "x@" + label63 + "b.test").find("is not an RFC 5321 mailbox") != std::string::npos);
  CHECK(with("/timeline/0/send/to/0", "\"odd name\"@example.org") == "(loaded)");
  CHECK(with("/timeline/0/send/to/0", "x@[192.0.2.1]") == "(loaded)");
  CHECK(with("/timeline/0/send/to/0", "x@[IPv6:2001:db8::1]") == "(loaded)");
  for (const char* bad : {"a..b@example.org", ".a@example.org", "a@", "@example.org", "a b@example.org", "a@-x.org", "<a@b.org>"})
    CHECK(with("/timeline/0/send/to/0", bad).find("is not an RFC 5321 mailbox") != std::string::npos);
  CHECK(with("/timeline/0/send/to/0", "<>") ==
        R"(x.json: /timeline/0/send/to/0: "<>": the null reverse path is not allowed here; expected local@domain)");
}

TEST_CASE("timeline entries: at, one action each") {
  CHECK(with_action({{"at", "1s"}, {"send", json::object()}, {"crash", "mx1.example.org"}}) ==
        R"(x.json: /timeline/1: two actions ("send" and "crash"): give each its own entry)");
  CHECK(with_action({{"at", "1s"}}) ==
        "x.json: /timeline/1: no action: expected one of send, fault, heal, crash, restart, fetch, dns, campaign");
  CHECK(with_action({{"at", "1s"}, {"sned", json::object()}}) ==
        R"(x.json: /timeline/1/sned: unknown key "sned" (did you mean "send"?))");
  CHECK(with_action({{"crash", "mx1.example.org"}}) == R"(x.json: /timeline/1: missing required key "at")");
  CHECK(with_action({{"at", "-1s"}, {"crash", "mx1.example.org"}}).rfind("x.json: /timeline/1/at: \"-1s\" is not a duration", 0) == 0);
  CHECK(with_action({{"at", "30d"}, {"crash", "mx1.example.org"}}) == "(loaded)");
  CHECK(with_action({{"at", "30d1ms"}, {"crash", "mx1.example.org"}}) ==
        R"(x.json: /timeline/1/at: "30d1ms" is after the stop time (30d))");
  json doc = json::parse(base_text);
  doc["until"] = "1h";
  doc["timeline"][0]["at"] = "2h";
  CHECK(error_of(doc) == R"(x.json: /timeline/0/at: "2h" is after the stop time (1h))");
  CHECK(with("/timeline/0", "send") == "x.json: /timeline/0: expected an object, got a string");
}

TEST_CASE("send: required keys, addresses, references, ids") {
  const std::string s = "/timeline/0/send";
  CHECK(without(s, "to") == R"(x.json: /timeline/0/send: missing required key "to")");
  CHECK(with(s + "/to", json::array()) == "x.json: /timeline/0/send/to: a message needs at least one recipient");
  CHECK(with(s + "/from", "alice") == R"(x.json: /timeline/0/send/from: "alice" is not an RFC 5321 mailbox (local@domain))");
  CHECK(with(s + "/from", "<>") == R"(x.json: /timeline/0/send/from: a message from the null reverse path needs "via")");
  CHECK(with(s + "/via", "mx1.example.or") ==
        R"(x.json: /timeline/0/send/via: no host named "mx1.example.or" (did you mean "mx1.example.org"?))");
  CHECK(with(s + "/via", "pc.client.test") ==
        R"(x.json: /timeline/0/send/via: "pc.client.test" runs no MTA (it has none of local_domains, relay_domains, submission, mynetworks, smarthost))");
  CHECK(with(s + "/client", "nowhere.test") == R"(x.json: /timeline/0/send/client: no host named "nowhere.test")");
  CHECK(with(s + "/port", 0) == "x.json: /timeline/0/send/port: 0 is out of range (1 to 65535)");
  CHECK(with(s + "/port", 65535) == "(loaded)");
  CHECK(with(s + "/port", 65536) == "x.json: /timeline/0/send/port: 65536 is out of range (1 to 65535)");
  CHECK(with(s + "/headers", json::object({{"Bad Name", "v"}})) ==
        R"(x.json: /timeline/0/send/headers/Bad Name: "Bad Name" is not a header field name (RFC 5322 3.6.8))");
  CHECK(with(s + "/headers", json::object({{"A/B~C", 5}})) ==
        "x.json: /timeline/0/send/headers/A~1B~0C: expected a string, got an integer");
  CHECK(with(s + "/eicar", 1) == "x.json: /timeline/0/send/eicar: expected true or false, got an integer");
  CHECK(with(s + "/subjet", "x") == R"(x.json: /timeline/0/send/subjet: unknown key "subjet" (did you mean "subject"?))");
  CHECK(with_action({{"at", "2s"}, {"send", {{"id", "m1"}, {"from", "alice@sender.test"}, {"to", {"bob@example.org"}}}}}) ==
        R"(x.json: /timeline/1: id "m1" is already used by /timeline/0)");
}

TEST_CASE("fault: kinds, their own keys, phases, codes") {
  auto fault = [](json f) { return with_action({{"at", "0s"}, {"fault", std::move(f)}}); };
  const std::string mx = "mx1.example.org";
  CHECK(fault({{"host", mx}, {"kind", "explode"}}) ==
        R"(x.json: /timeline/1/fault/kind: "explode" is not a fault kind (refuse, timeout, reset, reply, slow, mailbox_full, tls))");
  CHECK(fault({{"host", mx}, {"kind", "tls"}, {"problem", "expired"}, {"port", 25}}) == "(loaded)");
  CHECK(fault({{"host", mx}, {"kind", "tls"}, {"problem", "revoked"}}) ==
        R"(x.json: /timeline/1/fault/problem: "revoked" is not a TLS problem (handshake, expired, wrong_name))");
  CHECK(fault({{"host", mx}}) == R"(x.json: /timeline/1/fault: missing required key "kind")");
  CHECK(fault({{"kind", "refuse"}}) == R"(x.json: /timeline/1/fault: missing required key "host")");
  CHECK(fault({{"host", "mx9.example.org"}, {"kind", "refuse"}}) ==
        R"(x.json: /timeline/1/fault/host: no host named "mx9.example.org" (did you mean "mx1.example.org"?))");
  CHECK(fault({{"host", mx}, {"kind", "reply"}, {"phase", "rcpt"}, {"code", 550}, {"delay", "1s"}}) ==
        R"(x.json: /timeline/1/fault/delay: a fault of kind "reply" takes no "delay" (its keys: host, kind, phase, code, enhanced, text, match, times))");
  CHECK(fault({{"host", mx}, {"kind", "refuse"}, {"prot", 25}}) ==
        R"(x.json: /timeline/1/fault/prot: unknown key "prot" (did you mean "port"?))");
  CHECK(fault({{"host", mx}, {"kind", "reply"}, {"code", 550}}) == R"(x.json: /timeline/1/fault: missing required key "phase")");
  CHECK(fault({{"host", mx}, {"kind", "reset"}, {"phase", "helo"}}) ==
        R"(x.json: /timeline/1/fault/phase: "helo" is not a phase (connect, ehlo, mail, rcpt, data, dot, accepted, quit))");
  CHECK(fault({{"host", mx}, {"kind", "reply"}, {"phase", "rcpt"}, {"code", 199}}) ==
        "x.json: /timeline/1/fault/code: 199 is out of range (200 to 599)");
  CHECK(fault({{"host", mx}, {"kind", "reply"}, {"phase", "rcpt"}, {"code", 599}}) == "(loaded)");
  CHECK(fault({{"host", mx}, {"kind", "reply"}, {"phase", "rcpt"}, {"code", 600}}) ==
        "x.json: /timeline/1/fault/code: 600 is out of range (200 to 599)");
  CHECK(fault({{"host", mx}, {"kind", "reply"}, {"phase", "rcpt"}, {"code", 550}, {"enhanced", "4.7.1"}}) ==
        R"(x.json: /timeline/1/fault/enhanced: "4.7.1" does not match the class of reply code 550)");
  CHECK(fault({{"host", mx}, {"kind", "reply"}, {"phase", "rcpt"}, {"code", 550}, {"enhanced", "5.1234.1"}}) ==
        R"(x.json: /timeline/1/fault/enhanced: "5.1234.1" is not an enhanced status code (RFC 3463: "5.7.1"))");
  CHECK(fault({{"host", mx}, {"kind", "reply"}, {"phase", "rcpt"}, {"code", 550}, {"enhanced", "5.123.123"}}) == "(loaded)");
  CHECK(fault({{"host", mx}, {"kind", "reply"}, {"phase", "rcpt"}, {"code", 550}, {"times", 0}}) ==
        "x.json: /timeline/1/fault/times: 0 is out of range (1 to 1000000)");
  CHECK(fault({{"host", mx}, {"kind", "slow"}}) == R"(x.json: /timeline/1/fault: missing required key "delay")");
  CHECK(fault({{"host", "pc.client.test"}, {"kind", "reset"}, {"phase", "dot"}}) ==
        R"(x.json: /timeline/1/fault/host: "pc.client.test" runs no SMTP server for a reset fault)");
  CHECK(fault({{"host", mx}, {"kind", "mailbox_full"}, {"mailbox", "alice@sender.test"}}) ==
        R"(x.json: /timeline/1/fault/mailbox: mx1.example.org has no mailbox "alice@sender.test")");
  CHECK(fault({{"dns", "example.org"}, {"rcode", "REFUSED"}}) ==
        R"(x.json: /timeline/1/fault/rcode: "REFUSED" is not a DNS fault ("SERVFAIL", "NXDOMAIN" or "timeout"))");
  CHECK(fault({{"dns", "example.org"}, {"type", "MXX"}, {"rcode", "SERVFAIL"}}).rfind("x.json: /timeline/1/fault/type: ", 0) == 0);
  CHECK(fault({{"host", mx}, {"dns", "example.org"}}) ==
        R"(x.json: /timeline/1/fault: expected one of "host" (a host fault) and "dns" (a DNS fault), not both)");
  CHECK(fault(json::object()) == R"(x.json: /timeline/1/fault: expected "host" (a host fault) or "dns" (a DNS fault))");
  CHECK(fault({{"dns", "example.org"}, {"type", "A"}}) == R"(x.json: /timeline/1/fault: missing required key "rcode")");
}

TEST_CASE("imap: a host key that needs local domains, a fetch over IMAP and from a folder") {
  CHECK(with("/hosts/pc.client.test/imap", true) ==
        "x.json: /hosts/pc.client.test/imap: a host offers IMAP for its mailboxes: it needs local_domains");
  CHECK(with("/hosts/mx1.example.org/imap", "yes") == "x.json: /hosts/mx1.example.org/imap: expected true or false, got a string");
  json doc = json::parse(base_text);
  doc["hosts"]["mx1.example.org"]["imap"] = true;
  doc["timeline"].push_back({{"at", "2s"}, {"fetch", {{"user", "bob@example.org"}, {"protocol", "imap"}, {"folder", "Junk"}}}});
  doc["timeline"].push_back({{"at", "3s"}, {"fetch", {{"user", "bob@example.org"}, {"protocol", "imap"}, {"folder", ""}}}});
  CHECK(error_of(doc) == "x.json: /timeline/2/fetch/folder: expected a folder name");
  doc["timeline"][2]["fetch"] = {{"user", "bob@example.org"}, {"protocol", "imap"}, {"move_to", "Read"}, {"delete", true}};
  CHECK(error_of(doc) == R"(x.json: /timeline/2/fetch/delete: a fetch either deletes or moves ("move_to"))");
  doc["timeline"][2]["fetch"] = {{"user", "bob@example.org"}, {"move_to", "Read"}};
  CHECK(error_of(doc) == R"(x.json: /timeline/2/fetch/move_to: "move_to" needs "protocol": "imap" (POP3 has no folders))");
  doc["timeline"].erase(2);
  auto s = load_from_string(doc.dump(), "x.json");
  CHECK(s.find_host("mx1.example.org")->imap);
  const auto& f = std::get<fetch_action>(s.timeline[1].what);
  CHECK(f.protocol == "imap");
  CHECK(f.folder == "Junk");
  CHECK_FALSE(f.delete_messages);  // IMAP leaves the mail on the server unless told
}

TEST_CASE("heal, crash, restart, fetch, dns changes") {
  auto action = [](const char* key, json v) { return with_action({{"at", "2s"}, {key, std::move(v)}}); };
  CHECK(action("heal", {{"host", "mx1.example.org"}, {"dns", "example.org"}}) ==
        R"(x.json: /timeline/1/heal: expected exactly one of "host" and "dns")");
  CHECK(action("heal", json::object()) == R"(x.json: /timeline/1/heal: expected exactly one of "host" and "dns")");
  CHECK(action("crash", "mx2.example.org") ==
        R"(x.json: /timeline/1/crash: no host named "mx2.example.org" (did you mean "mx1.example.org"?))");
  CHECK(action("crash", json::object()) == "x.json: /timeline/1/crash: expected a string, got an object");
  CHECK(action("restart", "mx1.example.org") == "x.json: /timeline/1: mx1.example.org is not crashed at that time");
  CHECK(action("fetch", {{"user", "carol@example.org"}}) ==
        R"(x.json: /timeline/1/fetch/user: no host has the mailbox "carol@example.org")");
  CHECK(action("fetch", {{"user", "bob@example.org"}, {"from", "mail.sender.test"}}) ==
        R"(x.json: /timeline/1/fetch/from: mail.sender.test has no mailbox "bob@example.org")");
  CHECK(action("fetch", {{"user", "bob@example.org"}, {"delete", "no"}}) ==
        "x.json: /timeline/1/fetch/delete: expected true or false, got a string");
  CHECK(action("fetch", {{"user", "bob@example.org"}, {"protocol", "imap"}}) ==
        R"(x.json: /timeline/1/fetch/protocol: mx1.example.org does not offer IMAP (give it "imap": true))");
  CHECK(action("fetch", {{"user", "bob@example.org"}, {"protocol", "smtp"}}) ==
        R"(x.json: /timeline/1/fetch/protocol: expected "pop3" or "imap")");
  CHECK(action("fetch", {{"user", "bob@example.org"}, {"folder", "Junk"}}) ==
        R"(x.json: /timeline/1/fetch/folder: "folder" needs "protocol": "imap" (POP3 reads INBOX only))");
  CHECK(action("dns", json::object()) == R"(x.json: /timeline/1/dns: expected "add" or "remove" (or both))");
  CHECK(action("dns", {{"add", {"bad record"}}}).rfind("x.json: /timeline/1/dns/add/0: record ", 0) == 0);
  CHECK(action("dns", {{"remove", {"example.org A 192.0.2.1"}}}) == "(loaded)");
}

TEST_CASE("expectations: one kind each, fields, references, bounds") {
  CHECK(with_expect({{"no_bounce", json::object()}, {"queue_empty", true}}) ==
        R"(x.json: /expect/1: two expectations ("no_bounce" and "queue_empty"): give each its own entry)");
  CHECK(with_expect(json::object()).rfind("x.json: /expect/1: empty expectation: expected one of delivered", 0) == 0);
  CHECK(with_expect({{"deliverd", json::object()}}) ==
        R"(x.json: /expect/1/deliverd: unknown key "deliverd" (did you mean "delivered"?))");
  CHECK(with_expect({{"delivered", {{"to", "bob@example.org"}, {"message", "m2"}}}}) ==
        R"(x.json: /expect/1/delivered/message: no message has the id "m2" (give its send an "id"))");
  CHECK(with_expect({{"delivered", {{"to", "carol@example.org"}}}}) ==
        R"(x.json: /expect/1/delivered/to: no host has the mailbox "carol@example.org")");
  CHECK(with_expect({{"delivered", {{"to", "bob@example.org"}, {"host", "mail.sender.test"}}}}) ==
        R"(x.json: /expect/1/delivered/host: mail.sender.test has no mailbox "bob@example.org")");
  CHECK(with_expect({{"delivered", {{"to", "bob@example.org"}, {"via", {"mail.sender.test", "mx2.example.org"}}}}}) ==
        R"(x.json: /expect/1/delivered/via/1: no host named "mx2.example.org" (did you mean "mx1.example.org"?))");
  CHECK(with_expect({{"delivered", {{"to", "bob@example.org"}, {"headers", {{"X-A", 1}}}}}}) ==
        R"(x.json: /expect/1/delivered/headers/X-A: expected the field's value (a string), true for "present", or an object with "equals", "matches", "count", "min", "max"; got an integer)");
  CHECK(with_expect({{"delivered", {{"to", "bob@example.org"}, {"within", "1 h"}}}}).rfind("x.json: /expect/1/delivered/within: \"1 h\" is not a duration", 0) == 0);
  for (const char* good : {"5.", "5.1.", "5.1.1", "4.", "2.0.0"})
    CHECK(with_expect({{"bounced", {{"recipient", "x@example.org"}, {"status", good}}}}) == "(loaded)");
  for (const char* bad : {"5", "5.1", "6.1.1", "5..", "5.1.1.", "5.1234.1"})
    CHECK(with_expect({{"bounced", {{"recipient", "x@example.org"}, {"status", bad}}}}) ==
          std::string("x.json: /expect/1/bounced/status: \"") + bad +
              R"(" is not a status ("5.1.1", or a prefix such as "5." or "5.1."))");
  CHECK(with_expect({{"deferred", {{"recipient", "bob@example.org"}, {"count", 1}, {"min", 1}}}}) ==
        R"(x.json: /expect/1/deferred/count: "count" cannot be combined with "min" or "max")");
  CHECK(with_expect({{"deferred", {{"recipient", "bob@example.org"}, {"min", 3}, {"max", 2}}}}) ==
        "x.json: /expect/1/deferred/min: min (3) is larger than max (2)");
  CHECK(with_expect({{"rejected", {{"host", "mx1.example.org"}, {"code", 250}}}}) ==
        "x.json: /expect/1/rejected/code: 250 is out of range (400 to 599)");
  CHECK(with_expect({{"rejected", {{"host", "mx1.example.org"}, {"phase", "RCPT"}}}}) ==
        R"(x.json: /expect/1/rejected/phase: "RCPT" is not a phase (connect, ehlo, mail, rcpt, data, dot, quit))");
  CHECK(with_expect({{"fetched", {{"user", "bob@example.org"}, {"count", -2}}}}) ==
        "x.json: /expect/1/fetched/count: -2 is negative");
  CHECK(with_expect({{"trace", {{"count", 2}}}}) ==
        R"(x.json: /expect/1/trace: an event pattern needs at least one field, such as "event")");
  CHECK(with_expect({{"trace", {{"event", 5}}}}) == "x.json: /expect/1/trace/event: expected an event name (a string)");
  CHECK(with_expect({{"trace", {{"event", "x"}, {"count", 1}, {"max", 2}}}}) ==
        R"(x.json: /expect/1/trace/count: "count" cannot be combined with "min" or "max")");
  CHECK(with_expect({{"sequence", json::array()}}) == "x.json: /expect/1/sequence: expected at least one event pattern");
  CHECK(with_expect({{"sequence", {"net.connect"}}}) ==
        "x.json: /expect/1/sequence/0: expected an event pattern (an object), got a string");
  CHECK(with_expect({{"queue_empty", false}}) == "x.json: /expect/1/queue_empty: expected true or a host name, got a boolean");
  CHECK(with_expect({{"queue_empty", "mx1.example.org"}}) == "(loaded)");
  CHECK(with("/expect", json::object()) == "x.json: /expect: expected an array, got an object");
}

TEST_CASE("a number too large for a double is a load error at its pointer, not a crash") {
  auto error_of_text = [](const char* text) {
    try {
      load_from_string(text, "x.json");
    } catch (const load_error& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  CHECK(error_of_text(R"({"scenario": "t", "seed": 1e400})") ==
        "x.json: /seed: a number out of range (larger than a double can hold)");
  CHECK(error_of_text(R"({"hosts": {"a.test": {"limits": {"max_hops": -1e999}}}})") ==
        "x.json: /hosts/a.test/limits/max_hops: a number out of range (larger than a double can hold)");
  CHECK(error_of_text(R"({"dns": ["a", 2, 3e5000]})") ==
        "x.json: /dns/2: a number out of range (larger than a double can hold)");
  CHECK(error_of_text("1e400") == "x.json: top level: a number out of range (larger than a double can hold)");
}

TEST_CASE("send.size: at most 100MB, so a typo cannot ask for terabytes") {
  const std::string size = "/timeline/0/send/size";
  CHECK(with(size, "100MB") == "(loaded)");
  CHECK(with(size, "104857601") == "x.json: " + size + ": 104857601 octets is over the limit of 104857600 (100MB) for a generated message");
  CHECK(with(size, "1GB") == "x.json: " + size + ": 1073741824 octets is over the limit of 104857600 (100MB) for a generated message");
  CHECK(with(size, "16000000000GB").find("is over the limit of 104857600") != std::string::npos);
}

TEST_CASE("send.headers: one field name once, in any case (each replaces the composed field)") {
  const std::string h = "/timeline/0/send/headers";
  CHECK(with(h, json{{"From", "CEO <ceo@brand.test>"}, {"X-Tag", "1"}}) == "(loaded)");
  CHECK(with(h, json::parse(R"({"From": "a@b.test", "from": "c@d.test"})")) ==
        "x.json: " + h + "/from: \"from\" is already given as \"From\"");
}

TEST_CASE("postmaster: an address, a local one must be a mailbox of the host or postmaster itself") {
  const std::string pm = "/hosts/mx1.example.org/postmaster";
  CHECK(with(pm, "bob@example.org") == "(loaded)");
  CHECK(with(pm, "postmaster@example.org") == "(loaded)");
  CHECK(with(pm, "abuse@elsewhere.test") == "(loaded)");
  CHECK(with(pm, "carol@example.org") ==
        "x.json: " + pm + ": \"carol@example.org\" is in the local_domains of mx1.example.org but not one of its mailboxes");
  CHECK(with(pm, "nobody") == "x.json: " + pm + ": \"nobody\" is not an RFC 5321 mailbox (local@domain)");
  CHECK(with_action({{"at", "2s"}, {"fetch", {{"user", "postmaster@example.org"}}}}) ==
        "x.json: /timeline/1/fetch/user: \"postmaster@example.org\" is the implicit postmaster mailbox of "
        "mx1.example.org: list it in its mailboxes to fetch from it");
}

TEST_CASE("limits: the error tarpit's keys and their bounds") {
  const std::string l = "/hosts/mx1.example.org/limits";
  CHECK(with(l, json{{"hard_error_limit", 5}, {"soft_error_limit", 2}, {"error_sleep", "20ms"}, {"junk_command_limit", 0}}) ==
        "(loaded)");
  CHECK(with(l, json{{"hard_error_limit", 5}, {"soft_error_limit", 6}}) ==
        "x.json: " + l + ": soft_error_limit (6) is above hard_error_limit (5)");
  CHECK(with(l, json{{"error_sleep", "2m"}}) == "x.json: " + l + "/error_sleep: must be at most 1m");
  CHECK(with(l, json{{"hard_error_limit", 0}}) == "x.json: " + l + "/hard_error_limit: 0 is out of range (1 to 1000)");
}

TEST_CASE("limits.tls_handshake_timeout: 10s by default - positive - at most 5m") {
  const std::string l = "/hosts/mx1.example.org/limits";
  CHECK(load_from_string(base_text, "x.json").find_host("mx1.example.org")->limits.tls_handshake_timeout ==
        std::chrono::seconds(10));
  json doc = json::parse(base_text);
  doc["hosts"]["mx1.example.org"]["limits"] = {{"tls_handshake_timeout", "1s"}};
  CHECK(load_from_string(doc.dump(), "x.json").find_host("mx1.example.org")->limits.tls_handshake_timeout ==
        std::chrono::seconds(1));
  CHECK(with(l, json{{"tls_handshake_timeout", "6m"}}) == "x.json: " + l + "/tls_handshake_timeout: must be at most 5m");
  CHECK(with(l, json{{"tls_handshake_timeout", "0s"}}).rfind("x.json: " + l + "/tls_handshake_timeout: ", 0) == 0);
}

TEST_CASE("profiles, DNS caching, configurable replies and the new expectation keys load; mistakes name their pointer") {
  json doc = json::parse(base_text);
  doc["profile"] = "exim";
  doc["dns_cache"] = false;
  auto& mx = doc["hosts"]["mx1.example.org"];
  mx["profile"] = "opensmtpd";
  mx["dns_cache"] = true;
  mx["queue"] = {{"run_delay", "1s"}, {"min_backoff", "5s"}};
  mx["limits"] = {{"mx_address_limit", 3}, {"mx_session_limit", 0}};
  mx["policy"] = {{"dnsbl", json::array({"bl.test", {{"zone", "zen.test"}, {"code", 550}, {"enhanced", "5.7.1"},
                                                      {"text", json::array({"Listed at $rbl_domain", "See $rbl_reason"})}}})},
                  {"greylist", {{"delay", "2m"}, {"code", 451}, {"text", "Try later"}}}};
  doc["timeline"].push_back({{"at", "0s"}, {"fault", {{"host", "mx1.example.org"}, {"kind", "reply"}, {"phase", "dot"},
                                                      {"code", 550}, {"enhanced", "5.7.26"},
                                                      {"text", json::array({"Unauthenticated", "See the guidelines"})}}}});
  doc["expect"].push_back({{"delay_warned", {{"recipient", "bob@example.org"}, {"status", "4."}}}});
  doc["expect"].push_back({{"bounced", {{"recipient", "bob@example.org"}, {"diagnostic", "550"}, {"remote", "mx1.example.org"}}}});
  doc["expect"].push_back({{"deferred", {{"to", "bob@example.org"}}}});
  doc["expect"].push_back({{"rejected", {{"host", "mx1.example.org"}, {"enhanced", "5.7."}, {"text", "Unauth"}}}});
  scenario s = load_from_string(doc.dump(), "x.json");
  const host& sender = *s.find_host("mail.sender.test");
  CHECK(sender.profile == "exim");  // the top-level default
  CHECK_FALSE(sender.dns_cache);
  CHECK(sender.queue.algorithm == sim::mta::retry_algorithm::exim);
  CHECK(sender.queue.delay_warning == std::chrono::hours(24));
  const host& h = *s.find_host("mx1.example.org");
  CHECK(h.profile == "opensmtpd");
  CHECK(h.dns_cache);
  CHECK(h.queue.algorithm == sim::mta::retry_algorithm::opensmtpd);  // the profile's, under the keys given
  CHECK(h.queue.run_delay == std::chrono::seconds(1));
  CHECK(h.queue.min_backoff == std::chrono::seconds(5));
  CHECK(h.queue.lifetime == std::chrono::hours(96));
  CHECK(h.limits.delivery.mx_address_limit == 3);
  CHECK(h.limits.delivery.mx_session_limit == 0);
  CHECK_FALSE(h.limits.delivery.next_mx_on_soft_error);
  REQUIRE(h.policy.dnsbl.size() == 2);
  CHECK_FALSE(h.policy.dnsbl[0].reply);
  REQUIRE(h.policy.dnsbl[1].reply);
  CHECK(h.policy.dnsbl[1].reply->code == 550);
  CHECK(h.policy.dnsbl[1].reply->lines == std::vector<std::string>{"Listed at $rbl_domain", "See $rbl_reason"});
  REQUIRE(h.policy.greylist);
  CHECK(h.policy.greylist->delay == std::chrono::minutes(2));
  CHECK(h.policy.greylist->reply.code == 451);
  CHECK(h.policy.greylist->reply.enhanced == "4.7.1");  // the profile's, of the same class as the code given
  CHECK(h.policy.greylist->reply.lines == std::vector<std::string>{"Try later"});
  CHECK(s.expect[1].kind() == "delay_warned");
  CHECK(std::get<expect_deferred>(s.expect[3].what).recipient == "bob@example.org");
  CHECK(std::get<expect_rejected>(s.expect[4].what).enhanced == "5.7.");

  CHECK(with("/profile", "qmail") == R"(x.json: /profile: "qmail" is not an MTA profile (postfix, exim, sendmail, opensmtpd))");
  CHECK(with("/hosts/mx1.example.org/policy", {{"greylist", {{"code", 550}}}}) ==
        "x.json: /hosts/mx1.example.org/policy/greylist/code: 550 is out of range (400 to 499)");
  CHECK(with("/hosts/mx1.example.org/policy", {{"dnsbl", json::array({{{"zone", "bl.test"}, {"text", json::array()}}})}}) ==
        "x.json: /hosts/mx1.example.org/policy/dnsbl/0/text: a reply needs at least one line");
  CHECK(with_expect({{"deferred", {{"to", "bob@example.org"}, {"recipient", "bob@example.org"}}}}) ==
        R"(x.json: /expect/1/deferred/to: give "recipient" or its alias "to", not both)");
}

TEST_CASE("send: the RFC 3461 keys notify, ret, envid and orcpt, and their mistakes") {
  json doc = json::parse(base_text);
  doc["timeline"][0]["send"]["cc"] = {"carol@example.org"};
  doc["timeline"][0]["send"]["notify"] = {"failure", "DELAY"};
  doc["timeline"][0]["send"]["ret"] = "HDRS";
  doc["timeline"][0]["send"]["envid"] = "QQ314159";
  doc["timeline"][0]["send"]["orcpt"] = {{"Bob@example.org", "robert@old.example.org"}};
  scenario s = load_from_string(doc.dump(), "x.json");
  const auto& send = std::get<send_action>(s.timeline[0].what);
  CHECK(send.notify == std::vector<std::string>{"FAILURE", "DELAY"});
  CHECK(send.ret == "HDRS");
  CHECK(send.envid == "QQ314159");
  REQUIRE(send.orcpt.size() == 1);
  CHECK(send.orcpt[0] == std::pair<std::string, std::string>{"bob@example.org", "robert@old.example.org"});
  doc["timeline"][0]["send"]["orcpt"] = "list@example.org";
  s = load_from_string(doc.dump(), "x.json");
  CHECK(std::get<send_action>(s.timeline[0].what).orcpt.size() == 2);  // every recipient

  const std::string at = "/timeline/0/send/";
  CHECK(with(at + "notify", {"NEVER", "FAILURE"}) ==
        "x.json: /timeline/0/send/notify: \"NEVER\" cannot be combined with other keywords (RFC 3461 section 4.1)");
  CHECK(with(at + "notify", {"SOMETIMES"}) == "x.json: /timeline/0/send/notify/0: \"SOMETIMES\" is not a NOTIFY keyword "
                                             "(\"NEVER\", \"SUCCESS\", \"FAILURE\", \"DELAY\")");
  CHECK(with(at + "notify", {"DELAY", "delay"}) == "x.json: /timeline/0/send/notify/1: \"DELAY\" is given twice");
  CHECK(with(at + "notify", json::array()).find("NOTIFY needs") != std::string::npos);
  CHECK(with(at + "ret", "BODY") == R"(x.json: /timeline/0/send/ret: "BODY" is not RET value ("FULL" or "HDRS"))");
  CHECK(with(at + "envid", std::string(101, 'x')) ==
        "x.json: /timeline/0/send/envid: an ENVID has 1 to 100 characters (RFC 3461 section 4.4)");
  CHECK(with(at + "envid", "caf\xc3\xa9") == "x.json: /timeline/0/send/envid: an ENVID is printable US-ASCII (RFC 3461 section 4.4)");
  CHECK(with(at + "orcpt", {{"dave@example.org", "x@example.org"}}) ==
        R"(x.json: /timeline/0/send/orcpt/dave@example.org: "dave@example.org" is not a recipient of this message)");
  CHECK(with(at + "orcpt", 5).rfind("x.json: /timeline/0/send/orcpt: ", 0) == 0);
}

TEST_CASE("delivered.headers: present, the first value, or equals / matches with count over every instance") {
  json doc = json::parse(base_text);
  doc["expect"][0]["delivered"]["headers"] = {{"Return-Path", "<alice@sender.test>"},
                                              {"Delivered-To", true},
                                              {"Received", {{"matches", "^from [a-z.]+ "}, {"count", 2}}},
                                              {"X-Spam", {{"equals", "yes"}, {"max", 0}}}};
  scenario s = load_from_string(doc.dump(), "x.json");
  const auto& headers = std::get<expect_delivered>(s.expect[0].what).headers;
  REQUIRE(headers.size() == 4);
  // In file order.
  CHECK(headers[0].value == "<alice@sender.test>");
  CHECK(headers[1].name == "Delivered-To");
  CHECK(headers[1].present_only());
  CHECK(headers[2].name == "Received");
  CHECK(headers[2].matches == "^from [a-z.]+ ");
  CHECK(headers[2].range.count == 2u);
  CHECK(headers[3].equals == "yes");
  CHECK(headers[3].range.max == 0u);

  const std::string at = "/expect/0/delivered/headers/";
  CHECK(with(at + "Received", {{"matches", "(unclosed"}}).rfind("x.json: /expect/0/delivered/headers/Received/matches: not a regular expression: at offset", 0) == 0);
  CHECK(with(at + "Received", {{"matches", "a"}, {"equals", "b"}}) ==
        R"(x.json: /expect/0/delivered/headers/Received/matches: give "equals" or "matches", not both)");
  CHECK(with(at + "Received", {{"cont", 1}}) ==
        R"(x.json: /expect/0/delivered/headers/Received/cont: unknown key "cont" (did you mean "count"?))");
  CHECK(with(at + "Received", 3).find("expected the field's value (a string), true for \"present\"") != std::string::npos);
}

TEST_CASE("policy.spam and the allow and block lists: each mistake at its pointer") {
  const std::string p = "/hosts/mx1.example.org/policy";
  CHECK(with(p + "/spam", true) == "(loaded)");
  CHECK(with(p + "/spam", false) == "(loaded)");
  CHECK(with(p + "/spam", json::object({{"junk_at", 6}, {"tag_at", 4.5}})) == "(loaded)");
  CHECK(with(p + "/spam", "on") ==
        "x.json: " + p + "/spam: expected true, false or an object (tag_at, junk_at, reject_at, builtin, rules), got a string");
  CHECK(with(p + "/spam", json::object({{"junkat", 6}})) ==
        "x.json: " + p + R"(/spam/junkat: unknown key "junkat" (did you mean "junk_at"?))");
  CHECK(with(p + "/spam", json::object({{"reject_at", -1}})).rfind("x.json: " + p + "/spam/reject_at: ", 0) == 0);
  CHECK(with(p + "/spam", json::object({{"tag_at", "5"}})) == "x.json: " + p + "/spam/tag_at: expected a number, got a string");
  json bad_rule = json::array({json::object({{"name", "OK_RULE"}, {"body", true}, {"pattern", "a"}, {"score", 1}}),
                               json::object({{"name", "BAD"}, {"body", true}, {"pattern", "a**"}, {"score", 1}})});
  CHECK(with(p + "/spam", json::object({{"rules", bad_rule}})).rfind("x.json: " + p + "/spam/rules/1/pattern: invalid regular expression", 0) == 0);
  CHECK(with(p + "/spam", json::object({{"rules", json::array({json::object({{"name", "NEW"}, {"body", true}, {"pattern", "x"}})})}}))
            .rfind("x.json: " + p + "/spam/rules/0", 0) == 0);
  CHECK(with(p + "/spam", json::object({{"rules", json::array({json::object({{"name", "X"}, {"regex", "x"}})})}})) ==
        "x.json: " + p + R"(/spam/rules/0/regex: unknown key "regex")");

  CHECK(with(p + "/allow", json::array({"partner.example", "192.0.2.0/24", "alice@", "<>"})) == "(loaded)");
  CHECK(with(p + "/block", json::array({"ok.example", "300.1.2.3"})).rfind("x.json: " + p + "/block/1: ", 0) == 0);
  CHECK(with(p + "/allow", "partner.example") == "x.json: " + p + "/allow: expected an array, got a string");
  const std::string box = "/hosts/mail.sender.test/mailboxes/alice@sender.test";
  CHECK(with(box + "/allow", json::array({"bob@example.org"})) == "(loaded)");
  CHECK(with(box + "/block", json::array({"@example.org"})).rfind("x.json: " + box + "/block/0: ", 0) == 0);

  CHECK(with(p + "/dnsbl_action", "score") ==
        "x.json: " + p + R"(/dnsbl_action: "score" needs the content filter ("spam") to score the listing)");
  CHECK(with(p + "/dnsbl_action", "drop") == "x.json: " + p + R"(/dnsbl_action: "drop" is not a DNSBL action ("reject" or "score"))");
}

TEST_CASE("delivered: folder, score and rules") {
  auto delivered = [](json extra) {
    json e = json::object({{"to", "bob@example.org"}});
    for (auto& [k, v] : extra.items()) e[k] = v;
    return with_expect(json::object({{"delivered", e}}));
  };
  CHECK(delivered(json::object({{"folder", "Junk"}, {"score", 7.3}, {"rules", json::array({"HTML_ONLY"})}})) == "(loaded)");
  CHECK(delivered(json::object({{"folder", "Spam"}})) ==
        R"(x.json: /expect/1/delivered/folder: "Spam" is not a folder ("INBOX" or "Junk"))");
  CHECK(delivered(json::object({{"score", "7"}})) ==
        "x.json: /expect/1/delivered/score: expected a number (a score such as 7.3), got a string");
  CHECK(delivered(json::object({{"score", 5000}})) == "x.json: /expect/1/delivered/score: 5000 is out of range (-1000 to 1000)");
  CHECK(delivered(json::object({{"rules", json::array({"not a rule"})}})) ==
        R"(x.json: /expect/1/delivered/rules/0: "not a rule" is not a rule name)");
}

TEST_CASE("tls keys: defaults off and none - the top level sets every host's - bad words name their pointer") {
  json doc = json::parse(base_text);
  doc["tls"] = "offer";
  doc["hosts"]["mx1.example.org"]["tls"] = "require";
  doc["hosts"]["mx1.example.org"]["smtp_tls_security_level"] = "verify";
  scenario s = load_from_string(doc.dump(), "x.json");
  CHECK(s.find_host("mail.sender.test")->tls == sim::net::tls_mode::offer);
  CHECK(s.find_host("mail.sender.test")->tls_level == sim::net::tls_level::none);
  CHECK(s.find_host("mx1.example.org")->tls == sim::net::tls_mode::require);
  CHECK(s.find_host("mx1.example.org")->tls_level == sim::net::tls_level::verify);
  scenario plain = load_from_string(base_text, "x.json");
  CHECK(plain.find_host("mx1.example.org")->tls == sim::net::tls_mode::off);
  const std::string h = "/hosts/mx1.example.org";
  CHECK(with(h + "/tls", "on") == "x.json: " + h + "/tls: \"on\" is not a TLS mode (\"off\", \"offer\" or \"require\")");
  CHECK(with(h + "/smtp_tls_security_level", "dane") ==
        "x.json: " + h +
            "/smtp_tls_security_level: \"dane\" is not a TLS security level (\"none\", \"may\", \"encrypt\" or \"verify\")");
}

TEST_CASE("fetch.tls: the reader's STLS / STARTTLS policy - none by default - a bad word names its pointer") {
  json doc = json::parse(base_text);
  doc["timeline"].push_back({{"at", "2s"}, {"fetch", {{"user", "bob@example.org"}, {"tls", "encrypt"}}}});
  doc["timeline"].push_back({{"at", "3s"}, {"fetch", {{"user", "bob@example.org"}}}});
  scenario s = load_from_string(doc.dump(), "x.json");
  CHECK(std::get<fetch_action>(s.timeline[1].what).tls == sim::net::tls_level::encrypt);
  CHECK(std::get<fetch_action>(s.timeline[2].what).tls == sim::net::tls_level::none);
  CHECK(with_action({{"at", "2s"}, {"fetch", {{"user", "bob@example.org"}, {"tls", "always"}}}}) ==
        R"(x.json: /timeline/1/fetch/tls: "always" is not a TLS security level ("none", "may", "encrypt" or "verify"))");
  CHECK(with_action({{"at", "2s"}, {"fetch", {{"user", "bob@example.org"}, {"tls", true}}}}) ==
        "x.json: /timeline/1/fetch/tls: expected a string, got a boolean");
}
