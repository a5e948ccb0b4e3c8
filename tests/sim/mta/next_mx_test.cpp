// A soft error from a server that is not the last candidate: Postfix (and
// Exim) try the next MX in the same attempt (Postfix smtp_trouble.c);
// OpenSMTPD and Sendmail defer at once.  Read from whole scenario runs.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace {

using sim::scenario::load_from_string;
// A run with its events recorded.
struct recorded : sim::scenario::run_result {
  std::vector<sim::event> events;
};

recorded run_recorded(const sim::scenario::scenario& s) {
  sim::recording_trace tr;
  recorded out{sim::scenario::run_scenario(s, {}, tr), {}};
  out.events = tr.events();
  return out;
}

std::vector<sim::event> named(const recorded& r, std::string_view name, std::string_view host) {
  std::vector<sim::event> out;
  for (const auto& e : r.events)
    if (e["event"] == name && e["host"] == host) out.push_back(e);
  return out;
}

// mx1 answers RCPT with 450 once; mx2 (the backup) relays to mx1.
std::string primary_450(const std::string& profile, const std::string& limits) {
  return R"({
  "scenario": "next-mx", "title": "next MX", "profile": ")" + profile + R"(",
  "dns": ["example.org MX 10 mx1.example.org", "example.org MX 20 mx2.example.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true,
                          "limits": )" + limits + R"( },
    "mx1.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"] },
    "mx2.example.org": { "ip": "198.51.100.20", "relay_domains": ["example.org"] }
  },
  "timeline": [
    { "at": "0s", "fault": { "host": "mx1.example.org", "kind": "reply", "phase": "rcpt", "code": 450,
                             "enhanced": "4.2.0", "text": "Try again later", "times": 1 } },
    { "at": "1s", "send": { "id": "m", "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "S" } }
  ]})";
}

}  // namespace

TEST_CASE("next MX: under postfix a 450 at RCPT from the primary ends in delivery via the backup in the same attempt") {
  auto got = run_recorded(load_from_string(primary_450("postfix", "{}"), "next-mx.json"));
  REQUIRE(named(got, "queue.attempt", "mail.sender.test").size() == 1);
  CHECK(named(got, "queue.defer", "mail.sender.test").empty());
  auto moved = named(got, "mx.next", "mail.sender.test");
  REQUIRE(moved.size() == 1);
  CHECK(moved[0]["peer"] == "mx1.example.org");
  CHECK(moved[0]["next"] == "mx2.example.org");
  CHECK(moved[0]["reason"] == "host mx1.example.org[198.51.100.10] said: 450 4.2.0 Try again later "
                              "(in reply to RCPT TO command)");
  auto delivered = named(got, "queue.delivered", "mail.sender.test");
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0]["peer"] == "mx2.example.org");
  // mx2 passes it on to mx1, whose fault has been used up.
  CHECK(named(got, "lda.deliver", "mx1.example.org").size() == 1);
}

TEST_CASE("next MX: under opensmtpd the same 450 defers the recipient at once") {
  auto got = run_recorded(load_from_string(primary_450("opensmtpd", "{}"), "next-mx.json"));
  CHECK(named(got, "mx.next", "mail.sender.test").empty());
  auto defers = named(got, "queue.defer", "mail.sender.test");
  REQUIRE(defers.size() == 1);
  CHECK(defers[0]["reason"] == "450 4.2.0 Try again later");
  // The retry 400 s later goes to mx1 again and delivers.
  auto delivered = named(got, "queue.delivered", "mail.sender.test");
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0]["peer"] == "mx1.example.org");
}

TEST_CASE("next MX: mx_session_limit 1 makes the first session the last one, so postfix defers too") {
  auto got = run_recorded(load_from_string(primary_450("postfix", R"({"mx_session_limit": 1})"), "next-mx.json"));
  CHECK(named(got, "mx.next", "mail.sender.test").empty());
  auto defers = named(got, "queue.defer", "mail.sender.test");
  REQUIRE(defers.size() == 1);
  CHECK(defers[0]["reason"].get<std::string>().starts_with("host mx1.example.org[198.51.100.10] said: 450"));
}

namespace {

// mx1's TLS handshake fails; the plaintext reconnection (smtp_tls_security_level
// may) is refused, so the attempt moves on to mx2, which offers STARTTLS.
const char* const plaintext_retry_refused = R"({
  "scenario": "plaintext-retry-refused", "title": "the plaintext retry is for one server",
  "dns": ["example.org MX 10 mx1.example.org", "example.org MX 20 mx2.example.org"],
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"],
                          "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true,
                          "smtp_tls_security_level": "may" },
    "mx1.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                         "tls": "offer" },
    "mx2.example.org": { "ip": "198.51.100.20", "relay_domains": ["example.org"], "tls": "offer" }
  },
  "timeline": [
    { "at": "0s", "fault": { "host": "mx1.example.org", "kind": "tls", "problem": "handshake" } },
    { "at": "1s", "send": { "id": "m", "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "S" } },
    { "at": "1105ms", "fault": { "host": "mx1.example.org", "kind": "refuse" } }
  ]})";

}  // namespace

TEST_CASE("next MX: after a refused plaintext retry the next server is still offered STARTTLS") {
  auto got = run_recorded(load_from_string(plaintext_retry_refused, "plaintext-retry-refused.json"));
  // The handshake with mx1 failed and the reconnection in the clear was refused.
  REQUIRE(named(got, "tls.fail", "mail.sender.test").size() == 1);
  auto moved = named(got, "mx.next", "mail.sender.test");
  REQUIRE(moved.size() == 1);
  CHECK(moved[0]["next"] == "mx2.example.org");
  // mx2 is a new server: opportunistic TLS starts afresh there.
  bool starttls_to_mx2 = false;
  for (const auto& e : named(got, "smtp.command", "mail.sender.test"))
    if (e["peer"] == "mx2.example.org" && e["line"] == "STARTTLS") starttls_to_mx2 = true;
  CHECK(starttls_to_mx2);
  auto delivered = named(got, "queue.delivered", "mail.sender.test");
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0]["peer"] == "mx2.example.org");
}
