// Who a message is for: the same recipient twice is one recipient (as
// Postfix's cleanup(8) merges duplicates), postmaster is always accepted
// (RFC 5321 section 4.5.1), and a quoted local part reaches its mailbox.
#include <catch2/catch.hpp>

#include "sim/smtp/base64.hpp"
#include "tests/sim/mta/agent_world.hpp"

using namespace sim::mta;
using namespace sim::mta::test;

namespace {

// mx.example.org hosts bob, alice and "john doe" at example.org;
// mail.sender.test is a submission host that relays to it.
struct recipients_world : agent_world {
  explicit recipients_world(std::optional<std::string> postmaster = "postmaster@example.org") {
    dns("example.org MX 10 mx.example.org");
    dns("example.net MX 10 mx.example.org");
    mta_config mx;
    mx.host = "mx.example.org";
    mx.ip = "198.51.100.10";
    mx.local_domains = {"example.org", "example.net"};
    mx.postmaster = postmaster;
    std::map<std::string, sim::lda::mailbox_settings> boxes{
        {"bob@example.org", {}}, {"alice@example.org", {}}, {"\"john doe\"@example.org", {}}};
    if (postmaster && *postmaster == "postmaster@example.org") boxes[*postmaster] = {std::nullopt, std::nullopt, false};
    add_mta(mx, boxes);
    mta_config sub;
    sub.host = "mail.sender.test";
    sub.ip = "192.0.2.25";
    sub.local_domains = {"sender.test"};
    sub.submission = true;
    sub.postmaster = "postmaster@sender.test";
    add_mta(sub, {{"carol@sender.test", {"pw", std::nullopt}}, {"postmaster@sender.test", {}}});
    add_machine("bot.outside.test", "203.0.113.66");
    // Redelivering without end shows as lda.deliver events without end:
    // stop the world rather than spin, so that the test fails instead.
    tr.on_event([this](const sim::event_view& e) {
      if (e.name() == "lda.deliver" && ++deliveries > 20) clk.stop();
    });
  }

  std::shared_ptr<std::vector<std::string>> talk(std::vector<std::string> rcpt_lines, std::uint16_t port = smtp_port,
                                                 std::vector<std::string> before = {}) {
    client_spec who{"bot.outside.test", port == smtp_port ? "mx.example.org" : "mail.sender.test", port, "",
                    std::nullopt, ""};
    std::vector<std::string> lines{"EHLO bot.outside.test"};
    lines.insert(lines.end(), before.begin(), before.end());
    lines.push_back("MAIL FROM:<a@b.test>");
    lines.insert(lines.end(), rcpt_lines.begin(), rcpt_lines.end());
    lines.push_back("DATA");
    lines.push_back("Subject: hi\r\n\r\nhello\r\n.");
    lines.push_back("QUIT");
    return dialogue_at(sim::at_millis(1000), who, std::move(lines));
  }

  std::size_t in(const std::string& host, const std::string& box) { return mailbox(host, box).size(); }
  std::size_t deliveries = 0;
};

}  // namespace

TEST_CASE("recipients: the same RCPT twice is one recipient: one delivery, and the queue entry finishes") {
  recipients_world w;
  auto got = w.talk({"RCPT TO:<bob@example.org>", "RCPT TO:<bob@example.org>"});
  w.run(sim::at_millis(3'600'000));
  REQUIRE(got->size() == 8);
  CHECK(starts_with((*got)[3], "250 2.1.5"));
  CHECK(starts_with((*got)[4], "250 2.1.5"));  // accepted, as Postfix accepts it, and merged in the queue file
  CHECK(starts_with((*got)[6], "250 2.0.0 Ok: queued as"));
  CHECK(w.in("mx.example.org", "bob@example.org") == 1);
  REQUIRE(w.count("queue.enqueue") == 1);
  CHECK(w.events("queue.enqueue")[0]["rcpts"] == sim::event::array({"bob@example.org"}));
  CHECK(w.count("queue.remove") == 1);
  CHECK(w.agent("mx.example.org").queue_size() == 0);
}

TEST_CASE("recipients: a source route or another case of the domain is the same recipient too") {
  recipients_world w;
  auto got = w.talk({"RCPT TO:<@x.test:bob@example.org>", "RCPT TO:<bob@EXAMPLE.org>", "RCPT TO:<bob@example.org>",
                     "RCPT TO:<alice@example.org>"});
  w.run(sim::at_millis(3'600'000));
  CHECK(w.in("mx.example.org", "bob@example.org") == 1);
  CHECK(w.in("mx.example.org", "alice@example.org") == 1);
  CHECK(w.events("queue.enqueue")[0]["rcpts"] == sim::event::array({"bob@example.org", "alice@example.org"}));
  CHECK(w.agent("mx.example.org").queue_size() == 0);
}

TEST_CASE("recipients: through submission the duplicate is relayed once, and both queues finish") {
  recipients_world w;
  std::string plain = "AUTH PLAIN " + sim::smtp::base64_encode(std::string("\0carol@sender.test\0pw", 21));
  auto got = w.talk({"RCPT TO:<bob@example.org>", "RCPT TO:<bob@example.org>"}, submission_port, {plain});
  w.run(sim::at_millis(3'600'000));
  REQUIRE(got->size() == 9);
  CHECK(starts_with((*got)[2], "235"));
  CHECK(w.in("mx.example.org", "bob@example.org") == 1);
  CHECK(w.count("queue.enqueue", "mx.example.org") == 1);
  CHECK(w.agent("mail.sender.test").queue_size() == 0);
  CHECK(w.agent("mx.example.org").queue_size() == 0);
}

TEST_CASE("recipients: <postmaster> and postmaster@ every local domain are accepted from anyone") {
  recipients_world w;
  auto got = w.talk({"RCPT TO:<postmaster>", "RCPT TO:<PostMaster@example.net>", "RCPT TO:<postmaster@example.org>"});
  w.run(sim::at_millis(3'600'000));
  REQUIRE(got->size() == 9);
  CHECK(starts_with((*got)[3], "250 2.1.5"));
  CHECK(starts_with((*got)[4], "250 2.1.5"));
  CHECK(starts_with((*got)[5], "250 2.1.5"));
  // All three are the host's postmaster: one recipient, one copy.
  CHECK(w.in("mx.example.org", "postmaster@example.org") == 1);
  auto enqueued = w.events("queue.enqueue");
  REQUIRE(enqueued.size() == 1);
  CHECK(enqueued[0]["rcpts"] == sim::event::array({"postmaster@example.org"}));
  CHECK(w.count("mx.select") == 0);
  CHECK(w.agent("mx.example.org").queue_size() == 0);
}

TEST_CASE("recipients: postmaster may be an alias for a person's mailbox") {
  recipients_world w("alice@example.org");
  auto got = w.talk({"RCPT TO:<postmaster>"});
  w.run(sim::at_millis(3'600'000));
  CHECK(starts_with((*got)[3], "250 2.1.5"));
  auto& filed = w.mailbox("mx.example.org", "alice@example.org");
  REQUIRE(filed.size() == 1);
  CHECK(filed[0].raw.find("Delivered-To: alice@example.org\r\n") != std::string::npos);
}

TEST_CASE("recipients: an authenticated <postmaster> on 587 is the submission host's own, with no MX lookup") {
  recipients_world w;
  std::string plain = "AUTH PLAIN " + sim::smtp::base64_encode(std::string("\0carol@sender.test\0pw", 21));
  auto got = w.talk({"RCPT TO:<postmaster>"}, submission_port, {plain});
  w.run(sim::at_millis(3'600'000));
  CHECK(starts_with((*got)[4], "250 2.1.5"));
  CHECK(w.in("mail.sender.test", "postmaster@sender.test") == 1);
  CHECK(w.count("dns.query") == w.count("dns.query", "mail.sender.test"));
  for (const auto& q : w.events("dns.query")) CHECK(q["type"] != "MX");
  CHECK(w.count("bounce.create") == 0);
}

TEST_CASE("recipients: a host that names no postmaster refuses <postmaster> with 550 5.1.1") {
  recipients_world w(std::nullopt);
  auto got = w.talk({"RCPT TO:<postmaster>"});
  w.run(sim::at_millis(3'600'000));
  CHECK(starts_with((*got)[3], "550 5.1.1"));
  CHECK(w.count("queue.enqueue") == 0);
}

TEST_CASE("recipients: a quoted local part reaches its mailbox at its own MX") {
  recipients_world w;
  auto got = w.talk({"RCPT TO:<\"john doe\"@example.org>"});
  w.run(sim::at_millis(3'600'000));
  CHECK(starts_with((*got)[3], "250 2.1.5"));
  auto& filed = w.mailbox("mx.example.org", "\"john doe\"@example.org");
  REQUIRE(filed.size() == 1);
  CHECK(filed[0].raw.find("Delivered-To: \"john doe\"@example.org\r\n") != std::string::npos);
  CHECK(w.count("bounce.create") == 0);
  CHECK(w.count("lda.reject") == 0);
}
