// tests/sim/scenario/loader_auth_test.cpp - the mail authentication keys of a
// scenario: host `dkim` and `rewrite`, policy `dkim`, `dmarc`,
// `dmarc_reject_text`, and `delivered.auth`; each mistake with its pointer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/auth/keygen.hpp"
#include "sim/scenario/loader.hpp"
#include "tests/sim/scenario/load_error.hpp"

using namespace sim::scenario;

namespace {

const char* auth_base = R"({
  "scenario": "t",
  "title": "T",
  "hosts": {
    "mail.sender.test": {"ip": "192.0.2.25", "local_domains": ["sender.test"],
                         "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true,
                         "dkim": [{"domain": "sender.test", "selector": "s1"}]},
    "mx1.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                        "policy": {"dkim": "verify", "dmarc": "enforce"}},
    "pc.client.test": {"ip": "203.0.113.5"}
  },
  "timeline": [
    {"at": "1s", "send": {"id": "m1", "from": "alice@sender.test", "to": ["bob@example.org"]}}
  ],
  "expect": [ {"delivered": {"to": "bob@example.org", "auth": {"dkim": "pass", "dmarc": "pass"}}} ]
})";

std::filesystem::path test_dir() {
  auto dir = std::filesystem::temp_directory_path() / "mailsim-loader-auth-test";
  std::filesystem::create_directories(dir);
  return dir;
}

std::string with_auth(const std::string& pointer, const json& value) {
  return testing::error_with(auth_base, pointer, value, test_dir());
}

const host& find_host(const scenario& s, std::string_view name) {
  for (const auto& h : s.hosts)
    if (h.name == name) return h;
  throw std::runtime_error("no host");
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("dkim signers and policies load with the format's defaults") {
  auto s = load_from_string(auth_base, "x.json", test_dir());
  const host& sender = find_host(s, "mail.sender.test");
  REQUIRE(sender.dkim.size() == 1);
  CHECK(sender.dkim[0].domain == "sender.test");
  CHECK(sender.dkim[0].selector == "s1");
  CHECK(sender.dkim[0].algorithm == sim::auth::dkim_algorithm::rsa_sha256);
  CHECK(sender.dkim[0].bits == 2048);
  CHECK(sender.dkim[0].canonicalization.header == sim::auth::canonicalization::relaxed);
  CHECK(sender.dkim[0].canonicalization.body == sim::auth::canonicalization::relaxed);
  CHECK(sender.dkim[0].headers == sim::auth::default_signed_headers());
  CHECK_FALSE(sender.dkim[0].private_key_pem);
  CHECK(sender.policy.dkim == dkim_mode::off);
  CHECK(sender.policy.dmarc == dmarc_mode::off);
  const host& mx = find_host(s, "mx1.example.org");
  CHECK(mx.policy.dkim == dkim_mode::verify);
  CHECK(mx.policy.dmarc == dmarc_mode::enforce);
  CHECK(mx.policy.dmarc_reject_text == default_dmarc_reject_text);
  CHECK_FALSE(mx.rewrite.any());
  const auto& e = std::get<expect_delivered>(s.expect[0].what);
  REQUIRE(e.auth.size() == 2);
  CHECK(e.auth[0] == std::pair<std::string, std::string>{"dkim", "pass"});
  CHECK(e.auth[1] == std::pair<std::string, std::string>{"dmarc", "pass"});
  CHECK_FALSE(e.auth_host);
}

TEST_CASE("every signer key is read") {
  json doc = json::parse(auth_base);
  doc["hosts"]["mail.sender.test"]["dkim"] = json::parse(R"([
    {"domain": "Sender.Test", "selector": "E1", "algorithm": "ed25519-sha256", "canonicalization": "simple/simple",
     "headers": ["From", "Subject"]},
    {"domain": "sender.test", "selector": "r1", "bits": 1024, "canonicalization": "relaxed"}])");
  doc["hosts"]["mx1.example.org"]["policy"]["dmarc"] = "report";
  doc["hosts"]["mx1.example.org"]["policy"]["dmarc_reject_text"] = "Go away, {domain}";
  doc["hosts"]["mx1.example.org"]["rewrite"] = json::parse(R"({"subject_prefix": "[team] ", "footer": "list"})");
  auto s = load_from_string(doc.dump(), "x.json", test_dir());
  const host& sender = find_host(s, "mail.sender.test");
  REQUIRE(sender.dkim.size() == 2);
  CHECK(sender.dkim[0].domain == "sender.test");
  CHECK(sender.dkim[0].selector == "e1");
  CHECK(sender.dkim[0].algorithm == sim::auth::dkim_algorithm::ed25519_sha256);
  CHECK(sender.dkim[0].canonicalization.body == sim::auth::canonicalization::simple);
  CHECK(sender.dkim[0].headers == std::vector<std::string>{"From", "Subject"});
  CHECK(sender.dkim[1].bits == 1024);
  // RFC 6376 section 3.5 c=: one name is the header's; the body's is simple.
  CHECK(sender.dkim[1].canonicalization.header == sim::auth::canonicalization::relaxed);
  CHECK(sender.dkim[1].canonicalization.body == sim::auth::canonicalization::simple);
  const host& mx = find_host(s, "mx1.example.org");
  CHECK(mx.policy.dmarc == dmarc_mode::report);
  CHECK(mx.policy.dmarc_reject_text == "Go away, {domain}");
  CHECK(mx.rewrite.subject_prefix == "[team] ");
  CHECK(mx.rewrite.footer == "list");
}

TEST_CASE("a private_key is read relative to the scenario file") {
  auto key = sim::auth::derive_key("loader test", sim::auth::dkim_algorithm::ed25519_sha256);
  write_file(test_dir() / "ed.pem", key.to_pem());
  write_file(test_dir() / "junk.pem", "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
  json doc = json::parse(auth_base);
  doc["hosts"]["mail.sender.test"]["dkim"][0]["algorithm"] = "ed25519-sha256";
  doc["hosts"]["mail.sender.test"]["dkim"][0]["private_key"] = "ed.pem";
  auto s = load_from_string(doc.dump(), "x.json", test_dir());
  const host& sender = find_host(s, "mail.sender.test");
  REQUIRE(sender.dkim[0].private_key_pem);
  CHECK(*sender.dkim[0].private_key_pem == key.to_pem());
  CHECK(sender.dkim_key_files[0] == (test_dir() / "ed.pem").lexically_normal().string());

  const std::string p = "/hosts/mail.sender.test/dkim/0/private_key";
  CHECK(with_auth(p, "missing.pem").starts_with("x.json: " + p + ": \"missing.pem\": no such file ("));
  CHECK(with_auth(p, "").starts_with("x.json: " + p + ": expected a file name"));
  CHECK(with_auth(p, "junk.pem").starts_with("x.json: " + p + ": "));
  CHECK(with_auth(p, "junk.pem") != "(loaded)");
  // An Ed25519 PEM for an rsa-sha256 signer.
  CHECK(with_auth(p, "ed.pem").starts_with("x.json: " + p + ": "));
  CHECK(with_auth(p, "ed.pem") != "(loaded)");
}

TEST_CASE("bad dkim entries name their pointer") {
  const std::string d = "/hosts/mail.sender.test/dkim";
  CHECK(with_auth(d, "yes") == "x.json: " + d + ": expected an array, got a string");
  CHECK(with_auth(d + "/0/algorithm", "rsa-sha1") ==
        "x.json: " + d + "/0/algorithm: \"rsa-sha1\" is not a DKIM signing algorithm (\"rsa-sha256\" or \"ed25519-sha256\")");
  CHECK(with_auth(d + "/0/bits", 100) == "x.json: " + d + "/0/bits: 100 is out of range (512 to 4096)");
  CHECK(with_auth(d + "/0/bits", 1000) == "x.json: " + d + "/0/bits: 1000 is not a multiple of 16 from 512 to 4096");
  CHECK(with_auth(d + "/0/canonicalization", "loose/simple").starts_with(
      "x.json: " + d + "/0/canonicalization: \"loose/simple\" is not a canonicalization"));
  CHECK(with_auth(d + "/0/headers", json::array({"Subject"})) ==
        "x.json: " + d + "/0/headers: From must be signed (RFC 6376 section 5.4)");
  CHECK(with_auth(d + "/0/headers", json::array()) == "x.json: " + d + "/0/headers: expected at least the From field");
  CHECK(with_auth(d + "/0/selector", "a b") == "x.json: " + d + "/0/selector: \"a b\" is not a selector");
  CHECK(with_auth(d + "/0/colour", "red") .starts_with("x.json: " + d + "/0/colour: unknown key \"colour\""));
  CHECK(with_auth(d + "/1", json::parse(R"({"domain": "sender.test", "selector": "S1"})")) ==
        "x.json: " + d + "/1: selector \"s1\" of sender.test is listed twice");
  json ed = json::parse(R"({"domain": "sender.test", "selector": "e1", "algorithm": "ed25519-sha256", "bits": 2048})");
  CHECK(with_auth(d + "/1", ed) == "x.json: " + d + "/1/bits: bits applies to rsa-sha256 only");
  CHECK(with_auth("/hosts/pc.client.test/dkim", json::parse(R"([{"domain": "client.test", "selector": "s"}])"))
            .starts_with("x.json: /hosts/pc.client.test/dkim: this host runs no MTA"));
}

TEST_CASE("bad policy, rewrite and delivered.auth values name their pointer") {
  const std::string p = "/hosts/mx1.example.org/policy";
  CHECK(with_auth(p + "/dkim", "on") == "x.json: " + p + "/dkim: \"on\" is not a DKIM mode (\"off\" or \"verify\")");
  CHECK(with_auth(p + "/dmarc", "reject") ==
        "x.json: " + p + "/dmarc: \"reject\" is not a DMARC mode (\"off\", \"report\" or \"enforce\")");
  CHECK(with_auth(p + "/dmarc_reject_text", "") == "x.json: " + p + "/dmarc_reject_text: expected a reply text, got \"\"");
  CHECK(with_auth(p + "/dmarc_reject_text", "two\nlines") ==
        "x.json: " + p + "/dmarc_reject_text: a reply text is one line without control characters");
  CHECK(with_auth("/hosts/mx1.example.org/rewrite", json::parse(R"({"prefix": "x"})"))
            .starts_with("x.json: /hosts/mx1.example.org/rewrite/prefix: unknown key \"prefix\""));
  CHECK(with_auth("/hosts/pc.client.test/rewrite", json::parse(R"({"footer": "x"})")) ==
        "x.json: /hosts/pc.client.test/rewrite: this host runs no MTA, so it passes no mail on");
  const std::string a = "/expect/0/delivered/auth";
  CHECK(with_auth(a + "/dkim", "ok") == "x.json: " + a +
                                       "/dkim: \"ok\" is not a dkim result (\"none\", \"pass\", \"fail\", \"policy\", "
                                       "\"neutral\", \"temperror\", \"permerror\")");
  CHECK(with_auth(a, json::object()) == "x.json: " + a + ": expected at least one of spf, dkim, dmarc");
  CHECK(with_auth(a + "/host", "nowhere.test").starts_with("x.json: " + a + "/host: "));
  CHECK(with_auth(a + "/arc", "pass").starts_with("x.json: " + a + "/arc: unknown key \"arc\""));
}
