// Tests for sim/report/narrate: one line of plain words per meaningful event.
#include <catch2/catch.hpp>

#include "sim/report/narrate.hpp"
#include "sim/report/timeline.hpp"
#include "support.hpp"

using report_test::make_event;
using sim::report::describe;
using sim::report::narrate_line;

namespace {

std::string words(const sim::event& e) { return describe(e, false).value_or("(no line)"); }

}  // namespace

TEST_CASE("smtp.command is the line as sent, with the client's arrow") {
  auto e = make_event(5, 1200, "mail.sender.test", "mta", "smtp.command",
                      {{"session", "s1"}, {"peer", "mx1.example.org"}, {"line", "MAIL FROM:<alice@sender.test>"}});
  CHECK(words(e) == ">>> MAIL FROM:<alice@sender.test>");
  std::string want = "+00:00:01.200  mail.sender.test       mta   [s1] >>> MAIL FROM:<alice@sender.test>";
  CHECK(narrate_line(e, {}) == want);
}

TEST_CASE("the session id comes first, so interleaved dialogues can be told apart, events of no session have none") {
  auto in_session = make_event(7, 0, "mx", "mta", "smtp.reply",
                               {{"session", "s12"}, {"code", 250}, {"enhanced", nullptr}, {"text", "Ok"}, {"lines", {"250 Ok"}}});
  CHECK(narrate_line(in_session, {})->ends_with("mta   [s12] <<< 250 Ok"));
  auto queue = make_event(8, 0, "mx", "mta", "queue.remove", {{"queue_id", "Q1"}});
  CHECK(narrate_line(queue, {})->ends_with("mta   Q1 leaves the queue: nothing left to do"));
  auto hostile = make_event(9, 0, "mx", "mta", "smtp.reply", {{"session", "s1\n+00:00:00 fake"}, {"code", 250}});
  CHECK(narrate_line(hostile, {})->find('\n') == std::string::npos);
}

TEST_CASE("dns.change is narrated without --verbose, with the records as written") {
  auto e = make_event(3, 60'000, "dns", "sim", "dns.change",
                      {{"add", {"example.org MX 5 mx0.example.org"}}, {"remove", {"example.org MX 10 mx1.example.org"}}});
  CHECK(words(e) == "DNS records changed: added example.org MX 5 mx0.example.org; removed example.org MX 10 mx1.example.org");
  auto only_added = make_event(3, 0, "dns", "sim", "dns.change",
                               {{"add", {"a.test A 192.0.2.1", "b.test A 192.0.2.2"}}, {"remove", sim::event::array()}});
  CHECK(words(only_added) == "DNS records changed: added a.test A 192.0.2.1 | b.test A 192.0.2.2");
}

TEST_CASE("mailsim world's readiness events are narrated") {
  auto wait = make_event(1, 0, "sim", "sim", "world.wait",
                         {{"variable", "MAILSIM_READY_FD"}, {"fd", 3}, {"timeout", "30s"}});
  CHECK(words(wait) == "waiting up to 30s for COMMAND to write READY to MAILSIM_READY_FD (fd 3)");
  auto ready = make_event(2, 0, "sim", "sim", "world.ready", {{"waited", 2150}});
  CHECK(words(ready) == "COMMAND is ready after 2150 ms; the timeline starts");
  auto fail = make_event(2, 0, "sim", "sim", "world.ready.fail", {{"reason", "COMMAND exited with status 1"}});
  CHECK(words(fail) == "COMMAND never said READY: COMMAND exited with status 1");
}

TEST_CASE("a command with CR LF inside stays one line") {
  auto e = make_event(5, 0, "client", "mua", "smtp.command", {{"line", "RCPT TO:<a@b>\r\nRSET"}});
  auto got = narrate_line(e, {});
  REQUIRE(got);
  CHECK(got->find('\n') == std::string::npos);
  CHECK(got->find('\r') == std::string::npos);
  CHECK(words(e) == ">>> RCPT TO:<a@b>\\r\\nRSET");
}

TEST_CASE("smtp.reply shows a single line as sent") {
  auto e = make_event(6, 1300, "mx1.example.org", "mta", "smtp.reply",
                      {{"session", "s1"}, {"code", 250}, {"enhanced", "2.0.0"}, {"text", "Ok: queued as 4F2A1"},
                       {"lines", {"250 2.0.0 Ok: queued as 4F2A1"}}});
  CHECK(words(e) == "<<< 250 2.0.0 Ok: queued as 4F2A1");
}

TEST_CASE("smtp.reply shows every line of a multiline reply with its continuation marks") {
  auto e = make_event(3, 200, "mx1.example.org", "mta", "smtp.reply",
                      {{"code", 250}, {"enhanced", nullptr}, {"text", "mx1.example.org"},
                       {"lines", {"250-mx1.example.org", "250-PIPELINING", "250-SIZE 10240000", "250 DSN"}}});
  CHECK(words(e) == "<<< 250-mx1.example.org | 250-PIPELINING | 250-SIZE 10240000 | 250 DSN");
}

TEST_CASE("smtp.reply without lines falls back to code, enhanced status and text") {
  auto e = make_event(3, 0, "mx", "mta", "smtp.reply", {{"code", 451}, {"enhanced", "4.7.1"}, {"text", "greylisted"}});
  CHECK(words(e) == "<<< 451 4.7.1 greylisted");
  auto bare = make_event(3, 0, "mx", "mta", "smtp.reply", {{"code", 354}, {"enhanced", nullptr}, {"text", ""}});
  CHECK(words(bare) == "<<< 354");
}

TEST_CASE("mx.select lists the hosts in the order they will be tried") {
  sim::event candidates = sim::event::array();
  candidates.push_back({{"preference", 10}, {"host", "mx1.example.org"}, {"ip", "198.51.100.10"}});
  candidates.push_back({{"preference", 20}, {"host", "mx2.example.org"}, {"ip", "198.51.100.20"}});
  auto e = make_event(9, 400, "mail.sender.test", "mta", "mx.select",
                      {{"domain", "example.org"}, {"candidates", candidates}, {"implicit", false}});
  CHECK(words(e) ==
        "MX for example.org, tried in this order: 10 mx1.example.org [198.51.100.10], 20 mx2.example.org "
        "[198.51.100.20]");
}

TEST_CASE("mx.select explains an implicit MX") {
  sim::event candidates = sim::event::array();
  candidates.push_back({{"preference", 0}, {"host", "example.net"}, {"ip", "203.0.113.5"}});
  auto e = make_event(9, 400, "mail.sender.test", "mta", "mx.select",
                      {{"domain", "example.net"}, {"candidates", candidates}, {"implicit", true}});
  CHECK(words(e) == "no MX for example.net, so its own address is used (implicit MX, RFC 5321 5.1): "
                    "example.net [203.0.113.5]");
}

TEST_CASE("queue.defer gives the reason and when the next attempt is") {
  auto e = make_event(20, 60'000, "mail.sender.test", "mta", "queue.defer",
                      {{"queue_id", "4F2A1"}, {"rcpt", "bob@example.org"}, {"reason", "451 4.7.1 greylisted"},
                       {"retry_at", 960'000}});
  CHECK(words(e) == "deferred <bob@example.org>: 451 4.7.1 greylisted; next attempt at +00:16:00 (in 15m)");
  auto line = narrate_line(e, {});
  REQUIRE(line);
  CHECK(line->starts_with("+00:01:00      mail.sender.test       mta   deferred"));
}

TEST_CASE("net.connect.refused names the host, address and port") {
  auto e = make_event(11, 500, "mail.sender.test", "net", "net.connect.refused",
                      {{"peer", "mx1.example.org"}, {"ip", "198.51.100.10"}, {"port", 25}});
  CHECK(words(e) == "connection to mx1.example.org [198.51.100.10]:25 refused");
  auto unknown = make_event(11, 500, "h", "net", "net.connect.timeout",
                            {{"peer", "192.0.2.9"}, {"ip", "192.0.2.9"}, {"port", 25}});
  CHECK(words(unknown) == "connection to [192.0.2.9]:25 timed out (no answer)");
}

TEST_CASE("dns.answer says what NXDOMAIN, SERVFAIL and timeout mean") {
  auto e = make_event(4, 50, "mail.sender.test", "dns", "dns.answer",
                      {{"name", "nosuch.example"}, {"type", "MX"}, {"rcode", "NXDOMAIN"},
                       {"records", sim::event::array()}});
  CHECK(words(e) == "DNS answer for nosuch.example MX: NXDOMAIN (no such name)");
  e["rcode"] = "SERVFAIL";
  CHECK(words(e) == "DNS answer for nosuch.example MX: SERVFAIL (the DNS server failed; a temporary error)");
  e["rcode"] = "timeout";
  CHECK(words(e) == "DNS answer for nosuch.example MX: timeout (no answer in time; a temporary error)");
}

TEST_CASE("dns.answer shows records without the repeated owner, TTL and type") {
  auto e = make_event(4, 50, "mail.sender.test", "dns", "dns.answer",
                      {{"name", "example.org"}, {"type", "MX"}, {"rcode", "NOERROR"},
                       {"records", {"example.org. 300 IN MX 10 mx1.example.org.",
                                    "example.org. 300 IN MX 20 mx2.example.org."}}});
  CHECK(words(e) == "DNS answer for example.org MX: 10 mx1.example.org. | 20 mx2.example.org.");
  e["type"] = "A";
  e["name"] = "www.example.org";
  e["records"] = {"www.example.org. 60 IN CNAME web.example.org.", "web.example.org. 60 IN A 198.51.100.80"};
  CHECK(words(e) == "DNS answer for www.example.org A: CNAME web.example.org. | web.example.org. A 198.51.100.80");
  e["records"] = sim::event::array();
  CHECK(words(e) == "DNS answer for www.example.org A: no records of that type (NODATA)");
}

TEST_CASE("queue, bounce and delivery events read as sentences") {
  CHECK(words(make_event(1, 0, "mx", "mta", "queue.enqueue",
                         {{"queue_id", "Q1"}, {"from", ""}, {"rcpts", {"a@x.test", "b@y.test"}}, {"size", 812}})) ==
        "queued Q1 from <> to <a@x.test>, <b@y.test> (812 bytes)");
  CHECK(words(make_event(1, 0, "mx", "mta", "queue.bounce",
                         {{"queue_id", "Q1"}, {"rcpt", "b@y.test"}, {"status", "5.1.1"},
                          {"reason", "550 5.1.1 no such user"}})) ==
        "gave up on <b@y.test>: 5.1.1 550 5.1.1 no such user");
  CHECK(words(make_event(1, 0, "mx", "mta", "bounce.create",
                         {{"queue_id", "Q2"}, {"original_queue_id", "Q1"}, {"to", "a@x.test"},
                          {"rcpts", {"b@y.test"}}, {"action", "failed"}})) ==
        "bounce (DSN) Q2 to <a@x.test> about <b@y.test> (original Q1)");
  CHECK(words(make_event(1, 0, "mx", "lda", "lda.deliver",
                         {{"mailbox", "bob@example.org"}, {"size", 900}, {"return_path", "alice@sender.test"}})) ==
        "filed into mailbox bob@example.org (900 bytes, Return-Path <alice@sender.test>)");
}

TEST_CASE("the content filter and the folder are told in words") {
  CHECK(words(make_event(1, 0, "mx", "lda", "lda.deliver",
                         {{"mailbox", "bob@example.org"}, {"folder", "Junk"}, {"reason", "spam filter verdict junk"},
                          {"size", 900}, {"return_path", "a@x.test"}})) ==
        "filed into mailbox bob@example.org, folder Junk (spam filter verdict junk) (900 bytes, Return-Path <a@x.test>)");
  // INBOX is named only when a rule chose it.
  CHECK(words(make_event(1, 0, "mx", "lda", "lda.deliver",
                         {{"mailbox", "bob@example.org"}, {"folder", "INBOX"}, {"size", 900}, {"return_path", "a@x.test"}})) ==
        "filed into mailbox bob@example.org (900 bytes, Return-Path <a@x.test>)");
  CHECK(words(make_event(1, 0, "mx", "lda", "lda.deliver",
                         {{"mailbox", "bob@example.org"}, {"folder", "INBOX"}, {"reason", "allow list entry a@x.test"},
                          {"size", 900}, {"return_path", "a@x.test"}})) ==
        "filed into mailbox bob@example.org, folder INBOX (allow list entry a@x.test) (900 bytes, Return-Path <a@x.test>)");
  CHECK(words(make_event(1, 0, "mx", "mta", "policy.check",
                         {{"check", "spam"}, {"result", "junk"}, {"detail", "junk: score 7.0 >= 5.0: HTML_ONLY 1.5"}})) ==
        "content filter: junk: score 7.0 >= 5.0: HTML_ONLY 1.5");
  CHECK(words(make_event(1, 0, "mx", "mta", "policy.check",
                         {{"check", "spam"}, {"result", "skipped"}, {"detail", "authenticated client: outgoing mail is not scored"}})) ==
        "content filter: skipped, authenticated client: outgoing mail is not scored");
}

TEST_CASE("events nobody needs to read get a line only when verbose") {
  auto e = make_event(2, 10, "mail.sender.test", "dns", "dns.query", {{"name", "example.org"}, {"type", "MX"}});
  CHECK_FALSE(describe(e, false));
  CHECK_FALSE(narrate_line(e, {}));
  CHECK(describe(e, true) == "dns.query name=example.org type=MX");
  CHECK(narrate_line(e, {true, false}));
}

TEST_CASE("invalid UTF-8 in a field does not stop verbose narration") {
  auto e = make_event(2, 10, "h", "mta", "custom.event", {{"detail", std::string("bad \xff byte")}, {"n", 3}});
  auto got = describe(e, true);
  REQUIRE(got);
  CHECK(got->starts_with("custom.event detail=bad "));
  CHECK(got->ends_with(" byte n=3"));
}

TEST_CASE("fault.on shows the fault's own fields") {
  auto e = make_event(1, 0, "mx1.example.org", "sim", "fault.on", {{"kind", "refuse"}, {"port", 25}});
  CHECK(words(e) == "fault begins: kind=refuse port=25");
}

TEST_CASE("colours only when asked") {
  auto e = make_event(1, 0, "mx1.example.org", "mta", "queue.remove", {{"queue_id", "Q1"}});
  auto plain = narrate_line(e, {false, false});
  auto coloured = narrate_line(e, {false, true});
  REQUIRE(plain);
  REQUIRE(coloured);
  CHECK(plain->find('\x1b') == std::string::npos);
  CHECK(coloured->find("\x1b[36m") != std::string::npos);
  CHECK(coloured->find("Q1 leaves the queue") != std::string::npos);
}

TEST_CASE("timeline_lines keeps only the meaningful events, in order") {
  std::vector<sim::event> events{
      make_event(0, 0, "sim", "sim", "sim.start", {{"scenario", "tour"}, {"seed", 7}}),
      make_event(1, 10, "a", "dns", "dns.query", {{"name", "x.test"}, {"type", "MX"}}),
      make_event(2, 20, "sim", "sim", "sim.end", {{"scenario", "tour"}, {"seed", 7}})};
  auto got = sim::report::timeline_lines(events);
  REQUIRE(got.size() == 2);
  CHECK(got[0].ends_with("scenario tour starts (seed 7)"));
  CHECK(got[1].ends_with("scenario tour ends"));
  CHECK(sim::report::timeline_lines(events, {true, false}).size() == 3);
}

TEST_CASE("host.restart counts damaged queue files, and queue.corrupt is a warning naming both places") {
  auto plain = make_event(1, 0, "mx1.example.org", "sim", "host.restart", {{"recovered", 2}});
  CHECK(words(plain) == "host restarted; 2 queued message(s) found on disk");
  auto damaged = make_event(1, 0, "mx1.example.org", "sim", "host.restart", {{"recovered", 0}, {"corrupt", 1}});
  CHECK(words(damaged) == "host restarted; 0 queued message(s) found on disk; 1 damaged queue file(s) moved to corrupt/");
  auto e = make_event(1, 0, "mx1.example.org", "mta", "queue.corrupt",
                      {{"file", "queue/4F2A1C0B9D"}, {"moved_to", "corrupt/queue/4F2A1C0B9D"},
                       {"reason", "checksum mismatch (damaged or cut short)"}});
  CHECK(words(e) == "WARNING: damaged queue file queue/4F2A1C0B9D (checksum mismatch (damaged or cut short)) moved to "
                    "corrupt/queue/4F2A1C0B9D; its message is not delivered");
}

TEST_CASE("the error tarpit and its limits are told in words") {
  auto penalty = make_event(1, 0, "mx1.example.org", "mta", "smtp.penalty",
                            {{"session", "s3"}, {"peer", "client.invalid"}, {"errors", 12}, {"delay", 3000}});
  CHECK(words(penalty) == "the client has made 12 errors: this reply waits 3s (error tarpit)");
  auto junk = make_event(1, 0, "mx1.example.org", "mta", "smtp.limit",
                         {{"session", "s3"}, {"limit", "junk_commands"}, {"count", 101}, {"max", 100}});
  CHECK(words(junk) == "101 commands that move no mail (NOOP, RSET, VRFY, HELP), over the limit of 100: each further one "
                       "counts as an error");
  auto errors = make_event(1, 0, "mx1.example.org", "mta", "smtp.limit",
                           {{"session", "s3"}, {"limit", "errors"}, {"count", 20}, {"max", 20}});
  CHECK(words(errors) == "20 errors, the limit: the server says 421 and closes the connection");
}

TEST_CASE("a TLS handshake and its failure are narrated with the peer") {
  auto ok = make_event(4, 0, "mx.example.org", "mta", "tls.handshake",
                       {{"session", "s2"}, {"peer", "mail.sender.test"}, {"protocol", "TLSv1.3"},
                        {"cipher", "TLS_AES_256_GCM_SHA384"}, {"bits", 256}});
  CHECK(words(ok) == "TLS with mail.sender.test: TLSv1.3, TLS_AES_256_GCM_SHA384 (256 bits)");
  auto failed = make_event(5, 0, "mail.sender.test", "mta", "tls.fail",
                           {{"session", "s2"}, {"peer", "mx.example.org"}, {"reason", "certificate has expired"}});
  CHECK(words(failed) == "TLS with mx.example.org failed: certificate has expired");
}

TEST_CASE("a failed fetch is narrated with its error - a fetch without one as before") {
  auto refused = make_event(6, 0, "pc.example.test", "mua", "mua.fetch",
                            {{"user", "dave@example.test"}, {"count", 0},
                             {"error", "-ERR [AUTH] Plaintext authentication disallowed"}});
  CHECK(words(refused) == "fetch for dave@example.test failed after 0 message(s): -ERR [AUTH] Plaintext authentication disallowed");
  auto fine = make_event(7, 0, "pc.example.test", "mua", "mua.fetch",
                         {{"user", "dave@example.test"}, {"count", 1}, {"tls", "TLSv1.3"}});
  CHECK(words(fine) == "fetched 1 message(s) for dave@example.test");
}
