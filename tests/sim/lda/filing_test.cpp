// The LDA's filing rule (sim/lda/filing.hpp): a mailbox's own lists first,
// then the content filter's "X-Spam: Yes", then the host's reputation mark, else INBOX.
#include <catch2/catch.hpp>

#include "sim/lda/filing.hpp"

using namespace sim::lda;

namespace {

std::string message_with(std::string_view extra) {
  return "Received: from mail.partner.example (mail.partner.example [192.0.2.30])\r\n"
         "\tby mx.example.org with ESMTP id 0123456789 for <bob@example.org>;\r\n"
         "\tMon, 5 Jan 2026 09:00:01 +0000\r\n" +
         std::string(extra) +
         "From: Carol <carol@partner.example>\r\nSubject: hello\r\n\r\nX-Spam: Yes in the body is not a field\r\n";
}

sim::policy::access_list lists(std::vector<std::string> allow, std::vector<std::string> block) {
  sim::policy::access_list out;
  REQUIRE(sim::policy::parse_access_lists(allow, block, out).empty());
  return out;
}

}  // namespace

TEST_CASE("filing: with no filter and no lists every message goes to INBOX, silently") {
  auto got = choose_folder(message_with("X-Spam: Yes\r\n"), "carol@partner.example", {});
  CHECK(got.folder == "INBOX");
  CHECK(got.reason.empty());
  CHECK_FALSE(got.by_rule);  // a sender's own X-Spam means nothing without the host's filter
}

TEST_CASE("filing: the host's filter verdict X-Spam: Yes files in Junk") {
  filing_rules rules{true, nullptr};
  auto junk = choose_folder(message_with("X-Spam:  yes \r\n"), "carol@partner.example", rules);
  CHECK(junk.folder == "Junk");
  CHECK(junk.reason == "spam filter verdict junk");
  CHECK(junk.by_rule);
  auto clean = choose_folder(message_with("X-Spam-Status: No, score=0.0 required=5.0 tests=none\r\n"), "", rules);
  CHECK(clean.folder == "INBOX");
  CHECK(clean.reason.empty());
  CHECK(clean.by_rule);
  // Only the header is read: the same words in the body change nothing.
  CHECK(choose_folder(message_with(""), "", rules).folder == "INBOX");
}

TEST_CASE("filing: the mailbox's allow list beats the filter, its block list beats a clean verdict") {
  auto allow = lists({"carol@partner.example"}, {});
  auto got = choose_folder(message_with("X-Spam: Yes\r\n"), "bounce@lists.partner.example", {true, &allow});
  CHECK(got.folder == "INBOX");
  CHECK(got.reason == "allow list entry carol@partner.example");

  auto block = lists({}, {"partner.example"});
  got = choose_folder(message_with(""), "carol@partner.example", {false, &block});
  CHECK(got.folder == "Junk");
  CHECK(got.reason == "block list entry partner.example");
}

TEST_CASE("filing: lists match the From address first, the envelope sender without one, and the client") {
  auto block = lists({}, {"list-owner@"});
  std::string no_from = "Subject: x\r\n\r\nbody\r\n";
  CHECK(choose_folder(no_from, "list-owner@lists.example", {false, &block}).folder == "Junk");
  CHECK(choose_folder(message_with(""), "list-owner@lists.example", {false, &block}).folder == "INBOX");

  auto by_client = lists({}, {"192.0.2.0/24"});
  auto got = choose_folder(message_with(""), "", {false, &by_client});
  CHECK(got.folder == "Junk");
  CHECK(got.reason == "block list entry 192.0.2.0/24");
  auto other = lists({}, {"203.0.113.0/24"});
  CHECK(choose_folder(message_with(""), "", {false, &other}).folder == "INBOX");
}

TEST_CASE("filing: malformed headers never throw and go to INBOX unless a rule says otherwise") {
  auto block = lists({}, {"partner.example"});
  for (std::string content : {"", "\r\n\r\n", "From: <<<\r\nReceived: garbage\r\n\r\n", "no header at all"}) {
    INFO(content);
    CHECK(choose_folder(content, "", {true, &block}).folder == "INBOX");
  }
}

TEST_CASE("filing: the host's reputation mark above its Received files in Junk and says why") {
  filing_rules rules{false, nullptr, true};
  const std::string mark = "X-Reputation: junk (IP address 192.0.2.30: reputation junk (score 0.110))\r\n";
  auto junk = choose_folder(mark + message_with(""), "carol@partner.example", rules);
  CHECK(junk.folder == "Junk");
  CHECK(junk.reason == "sender reputation: IP address 192.0.2.30: reputation junk (score 0.110)");
  CHECK(junk.by_rule);
  // A sender's own field is below the host's Received: not read.
  auto forged = choose_folder(message_with(mark), "carol@partner.example", rules);
  CHECK(forged.folder == "INBOX");
  CHECK_FALSE(forged.by_rule);
  // Without reputation at the host the mark is not read.
  CHECK(choose_folder(mark + message_with(""), "carol@partner.example", {}).folder == "INBOX");
  // The mailbox's allow list wins over it, as over the filter.
  auto allow = lists({"carol@partner.example"}, {});
  auto allowed = choose_folder(mark + message_with(""), "carol@partner.example", {false, &allow, true});
  CHECK(allowed.folder == "INBOX");
}
