// The content filter and the host's allow and block lists at
// mx.example.org, told as stories of clients: what they are answered, what
// is filed where, and what the trace says.
#include <catch2/catch.hpp>

#include "tests/sim/mta/agent_world.hpp"

using namespace sim::mta;
using namespace sim::mta::test;

namespace {

sim::policy::access_list lists(std::vector<std::string> allow, std::vector<std::string> block) {
  sim::policy::access_list out;
  REQUIRE(sim::policy::parse_access_lists(allow, block, out).empty());
  return out;
}

const std::string clean_message =
    "From: Carol <carol@partner.example>\r\nTo: bob@example.org\r\nSubject: Minutes of the meeting\r\n"
    "Date: Mon, 05 Jan 2026 09:00:00 +0000\r\nMessage-ID: <1@partner.example>\r\n"
    "X-Spam: Yes\r\nX-Spam-Flag: YES\r\n\r\nHi Bob, the minutes are attached.\r\n.";

const std::string shouting_message =
    "From: Shop <news@shop.example>\r\nTo: bob@example.org\r\nSubject: WIN CASH NOW!!! FINAL NOTICE\r\n"
    "Date: Mon, 05 Jan 2026 09:00:00 +0000\r\nMessage-ID: <2@shop.example>\r\nContent-Type: text/html\r\n\r\n"
    "<p>You have won! Act now: <a href=\"https://bit.ly/x\">claim</a> <a href=\"https://bit.ly/y\">it</a> "
    "<a href=\"https://bit.ly/z\">now</a></p>\r\n.";

// mx.example.org hosts bob@example.org, greylists for 5 minutes and runs
// the content filter with `spam`.
struct filter_world : agent_world {
  explicit filter_world(sim::policy::spam_config spam = {}, sim::policy::access_list access = {}) {
    dns("example.org MX 10 mx.example.org");
    mta_config mx;
    mx.host = "mx.example.org";
    mx.ip = "198.51.100.10";
    mx.local_domains = {"example.org"};
    mx.mynetworks = {*sim::policy::parse_cidr("192.0.2.0/28")};
    mx.policy.greylist = greylist_config{5min, sim::policy::reply_template{451, "4.7.1", {"Greylisted, see RFC 6647; try again in $seconds seconds"}}};
    mx.policy.spam = spam;
    mx.policy.access = std::move(access);
    add_mta(mx, {{"bob@example.org", {}}});
    hosts.at("mx.example.org").lda->set_junk_filing(true);
    add_machine("mail.partner.example", "192.0.2.30");
    add_machine("mail.shop.example", "203.0.113.20");
    add_machine("app.inside.test", "192.0.2.5");
  }

  std::shared_ptr<std::vector<std::string>> deliver(const std::string& from_host, const std::string& sender,
                                                    const std::string& content, int at_ms = 1000) {
    client_spec who{from_host, "mx.example.org", smtp_port, "", std::nullopt, ""};
    return dialogue_at(sim::at_millis(at_ms), who,
                       {"EHLO " + from_host, "MAIL FROM:<" + sender + ">", "RCPT TO:<bob@example.org>", "DATA",
                        content, "QUIT"});
  }

  const sim::lda::message_list& junk() const {
    return hosts.at("mx.example.org").boxes->folder_messages("bob@example.org", "Junk");
  }
  std::vector<sim::event> checks(std::string_view check) const {
    std::vector<sim::event> out;
    for (const auto& e : events("policy.check", "mx.example.org"))
      if (e["check"] == check) out.push_back(e);
    return out;
  }
};

}  // namespace

TEST_CASE("block list: every recipient of a blocked sender is refused at RCPT with 554 5.7.1") {
  filter_world w({}, lists({}, {"shop.example"}));
  auto got = w.deliver("mail.shop.example", "news@shop.example", clean_message);
  w.run();
  REQUIRE(got->size() >= 4);
  CHECK(starts_with((*got)[3], "554 5.7.1 <news@shop.example>: Sender address rejected: Access denied (block list entry shop.example)"));
  REQUIRE(w.checks("access").size() == 1);
  CHECK(w.checks("access")[0]["result"] == "block");
  CHECK(w.checks("greylist").empty());
  CHECK(w.mailbox("mx.example.org", "bob@example.org").empty());
}

TEST_CASE("allow list: an allowed client skips greylisting and the filter; another waits") {
  filter_world w({}, lists({"192.0.2.30"}, {}));
  auto partner = w.deliver("mail.partner.example", "carol@partner.example", clean_message);
  auto shop = w.deliver("mail.shop.example", "news@shop.example", clean_message, 2000);
  w.run();
  REQUIRE(partner->size() == 7);
  CHECK(starts_with((*partner)[3], "250"));
  CHECK(starts_with((*partner)[5], "250 2.0.0 Ok: queued"));
  CHECK(starts_with((*shop)[3], "451 4.7.1"));
  auto spam = w.checks("spam");
  REQUIRE(spam.size() == 1);
  CHECK(spam[0]["result"] == "skipped");
  CHECK(spam[0]["detail"] == "on the allow list (entry 192.0.2.30): not scored");
  // A sender's own X-Spam fields are removed even when nothing is scored.
  const auto& inbox = w.mailbox("mx.example.org", "bob@example.org");
  REQUIRE(inbox.size() == 1);
  CHECK(inbox[0].raw.find("X-Spam") == std::string::npos);
  CHECK(w.junk().empty());
}

TEST_CASE("filter: junk gets X-Spam-Status, X-Spam-Flag and X-Spam: Yes and goes to Junk") {
  filter_world w;  // greylisting answers the first attempt with 451
  auto first = w.deliver("mail.shop.example", "news@shop.example", shouting_message);
  auto retry = w.deliver("mail.shop.example", "news@shop.example", shouting_message, 400'000);
  w.run();
  CHECK(starts_with((*first)[3], "451 4.7.1"));
  REQUIRE(retry->size() == 7);
  CHECK(starts_with((*retry)[5], "250 2.0.0 Ok: queued"));
  REQUIRE(w.junk().size() == 1);
  const std::string& raw = w.junk()[0].raw;
  CHECK(raw.find("X-Spam: Yes\r\n") != std::string::npos);
  CHECK(raw.find("X-Spam-Flag: YES\r\n") != std::string::npos);
  CHECK(raw.find("X-Spam-Status: Yes, score=") != std::string::npos);
  CHECK(w.mailbox("mx.example.org", "bob@example.org").empty());
  auto spam = w.checks("spam");
  REQUIRE(spam.size() == 1);
  CHECK(spam[0]["action"] == "junk");
  CHECK(spam[0]["required"] == 5.0);
  CHECK(spam[0]["score"].get<double>() >= 5.0);
  CHECK(spam[0]["rules"].contains("URL_SHORTENER"));
  CHECK(spam[0]["message_id"] == "<2@shop.example>");
  auto filed = w.events("lda.deliver", "mx.example.org");
  REQUIRE(filed.size() == 1);
  CHECK(filed[0]["folder"] == "Junk");
  CHECK(filed[0]["reason"] == "spam filter verdict junk");
}

TEST_CASE("filter: at reject_at the message is refused after the final dot and filed nowhere") {
  sim::policy::spam_config strict;
  strict.reject_at = 6.0;
  filter_world v(strict);
  auto first = v.deliver("mail.shop.example", "news@shop.example", shouting_message);
  auto retry = v.deliver("mail.shop.example", "news@shop.example", shouting_message, 400'000);
  v.run();
  CHECK(starts_with((*first)[3], "451 4.7.1"));
  REQUIRE(retry->size() == 7);
  CHECK(starts_with((*retry)[5], "550 5.7.1 Message content rejected as spam: score "));
  CHECK((*retry)[5].find(">= 6.0 (") != std::string::npos);
  CHECK(v.junk().empty());
  CHECK(v.mailbox("mx.example.org", "bob@example.org").empty());
  CHECK(v.checks("spam").at(0)["action"] == "reject");
  CHECK(v.checks("spam").at(0)["required"] == 6.0);
}

TEST_CASE("filter: clients in mynetworks are not scored (outgoing mail)") {
  filter_world w;
  auto got = w.deliver("app.inside.test", "app@example.org", shouting_message);
  w.run();
  REQUIRE(got->size() == 7);
  CHECK(starts_with((*got)[5], "250"));
  auto spam = w.checks("spam");
  REQUIRE(spam.size() == 1);
  CHECK(spam[0]["result"] == "skipped");
  CHECK(w.junk().empty());
  CHECK(w.mailbox("mx.example.org", "bob@example.org").size() == 1);
}

TEST_CASE("dnsbl_action score: a listed client is not refused and DNSBL_LISTED adds its points") {
  agent_world w;
  w.dns("example.org MX 10 mx.example.org");
  w.dns("20.113.0.203.bl.test A 127.0.0.2");
  mta_config mx;
  mx.host = "mx.example.org";
  mx.ip = "198.51.100.10";
  mx.local_domains = {"example.org"};
  mx.policy.dnsbl = {sim::policy::dnsbl_zone{"bl.test", std::nullopt}};
  mx.policy.dnsbl_scored = true;
  mx.policy.spam = sim::policy::spam_config{};
  w.add_mta(mx, {{"bob@example.org", {}}});
  w.add_machine("mail.shop.example", "203.0.113.20");
  client_spec who{"mail.shop.example", "mx.example.org", smtp_port, "", std::nullopt, ""};
  auto got = w.dialogue_at(sim::at_millis(1000), who,
                           {"EHLO mail.shop.example", "MAIL FROM:<news@shop.example>", "RCPT TO:<bob@example.org>",
                            "DATA", clean_message, "QUIT"});
  w.run();
  REQUIRE(got->size() == 7);
  CHECK(starts_with((*got)[3], "250"));
  bool scored = false;
  for (const auto& e : w.events("policy.check", "mx.example.org")) {
    if (e["check"] == "dnsbl") CHECK(e["detail"].get<std::string>().find("scored by the content filter") != std::string::npos);
    if (e["check"] == "spam") scored = e["rules"].contains("DNSBL_LISTED") && e["rules"]["DNSBL_LISTED"] == 2.5;
  }
  CHECK(scored);
}
