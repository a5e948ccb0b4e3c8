// tests/sim/policy/spam_rules_test.cpp - every built-in rule with a message
// that hits it and one that misses it.
#include <catch2/catch.hpp>

#include <fstream>
#include <fmt/format.h>
#include <iterator>

#include "sim/policy/spam_rules.hpp"
#include "spam_mail.hpp"

using namespace sim::policy;
using spam_test::hit;
using spam_test::hits;
using spam_test::mail;

namespace {

void hits_and_misses(const std::string& rule, const std::string& hitting, const std::string& missing,
                     const spam_context& hit_context = {}, const spam_context& miss_context = {}) {
  INFO(rule << " should hit:\n" << hitting);
  CHECK(hit(rule, hitting, hit_context));
  INFO(rule << " should miss:\n" << missing);
  CHECK_FALSE(hit(rule, missing, miss_context));
}

std::string multipart(const std::string& subtype, const std::vector<std::string>& parts,
                      const std::string& boundary = "b1") {
  mail m;
  m.set("MIME-Version", "1.0").set("Content-Type", "multipart/" + subtype + "; boundary=\"" + boundary + "\"");
  std::string body = "This is a multi-part message in MIME format.\r\n";
  for (const auto& p : parts) body += "--" + boundary + "\r\n" + p + "\r\n";
  m.body = body + "--" + boundary + "--\r\n";
  return m.raw();
}

const std::string plain_part = "Content-Type: text/plain; charset=utf-8\r\n\r\nThe report is attached.";
const std::string html_part = "Content-Type: text/html; charset=utf-8\r\n\r\n<p>The report is attached.</p>";

std::string attachment(const std::string& type, const std::string& disposition) {
  return "Content-Type: " + type + "\r\nContent-Disposition: " + disposition +
         "\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAA";
}

std::string addresses(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? ", " : "") + std::string("user") + std::to_string(i) + "@example.net";
  return out;
}

}  // namespace

TEST_CASE("the colleague's plain note hits no built-in rule") { CHECK(hits(mail().raw()).empty()); }

TEST_CASE("rules on required header fields") {
  hits_and_misses("DATE_MISSING", mail().without("Date").raw(), mail().raw());
  hits_and_misses("DATE_MALFORMED", mail().set("Date", "yesterday at noon").raw(),
                  mail().set("Date", "5 Jan 26 09:00 GMT").raw());
  CHECK(hit("DATE_MALFORMED", mail().set("Date", "Tue, 05 Jan 2026 09:00:00 +0000").raw()));  // 5 Jan 2026 is a Monday
  CHECK(hit("DATE_MALFORMED", mail().set("Date", "Mon, 31 Apr 2026 09:00:00 +0000").raw()));
  CHECK(hit("DATE_MALFORMED", mail().add("Date", "Mon, 05 Jan 2026 09:00:01 +0000").raw()));
  CHECK_FALSE(hit("DATE_MALFORMED", mail().set("Date", "Mon, 05 Jan 2026 09:00:00 +0000 (UTC)").raw()));
  CHECK_FALSE(hit("DATE_MISSING", mail().set("Date", "garbage").raw()));

  hits_and_misses("MSGID_MISSING", mail().without("Message-ID").raw(), mail().raw());
  hits_and_misses("MSGID_MALFORMED", mail().set("Message-ID", "20260105.4711@example.org").raw(),
                  mail().set("Message-ID", "<a.b@[192.0.2.1]>").raw());
  CHECK(hit("MSGID_MALFORMED", mail().set("Message-ID", "<no-at-sign>").raw()));
  CHECK(hit("MSGID_MALFORMED", mail().set("Message-ID", "<a@b.example> <c@d.example>").raw()));

  hits_and_misses("FROM_MISSING", mail().without("From").raw(), mail().raw());
  hits_and_misses("FROM_MALFORMED", mail().set("From", "Alice Martin").raw(),
                  mail().set("From", "\"Martin, Alice\" <alice@example.org>").raw());
  CHECK(hit("FROM_MALFORMED", mail().set("From", "alice@").raw()));
  CHECK(hit("FROM_MALFORMED", mail().set("From", "undisclosed-senders:;").raw()));
  CHECK(hit("FROM_MALFORMED", mail().add("From", "mallory@example.org").raw()));
  CHECK_FALSE(hit("FROM_MALFORMED", mail().set("From", "alice@example.org (Alice)").raw()));
}

TEST_CASE("a From display name showing another domain") {
  hits_and_misses("FROM_NAME_OTHER_DOMAIN", mail().set("From", "\"PayPal.com Support\" <service@mailer.evil.test>").raw(),
                  mail().set("From", "\"Example.org Support\" <help@mail.example.org>").raw());
  CHECK(hit("FROM_NAME_OTHER_DOMAIN", mail().set("From", "\"service@paypal.com\" <x@evil.test>").raw()));
  // RFC 2047: "Bank.com Security" in an encoded-word.
  CHECK(hit("FROM_NAME_OTHER_DOMAIN", mail().set("From", "=?UTF-8?B?QmFuay5jb20gU2VjdXJpdHk=?= <a@evil.test>").raw()));
  CHECK_FALSE(hit("FROM_NAME_OTHER_DOMAIN", mail().set("From", "\"J. Smith\" <js@example.org>").raw()));
}

TEST_CASE("subject rules") {
  hits_and_misses("SUBJECT_ALL_CAPS", mail().set("Subject", "WIN A FREE CRUISE TODAY").raw(),
                  mail().set("Subject", "NASA report for the Q3 planning").raw());
  CHECK_FALSE(hit("SUBJECT_ALL_CAPS", mail().set("Subject", "RE: OK").raw()));  // too few letters to judge
  CHECK(hit("SUBJECT_ALL_CAPS", mail().set("Subject", "=?UTF-8?Q?GRATIS_F=C3=9CR_SIE_HEUTE?=").raw()));
  hits_and_misses("SUBJECT_SHOUTING", mail().set("Subject", "Great news!!").raw(),
                  mail().set("Subject", "Done! See you").raw());
  CHECK(hit("SUBJECT_SHOUTING", mail().set("Subject", "Win! Now! Today!").raw()));
}

TEST_CASE("a huge recipient list in To and Cc") {
  hits_and_misses("TO_CC_MANY", mail().set("To", addresses(20)).set("Cc", addresses(5)).raw(),
                  mail().set("To", addresses(24)).raw());
  CHECK_FALSE(hit("TO_CC_MANY", mail().set("To", "undisclosed-recipients:;").raw()));
}

TEST_CASE("money and urgency phrases in the subject or the text") {
  hits_and_misses("MONEY_PHRASES", mail().with_body("Congratulations, you have won a cash prize.\r\n").raw(),
                  mail().with_body("The ticket price is $20, see you there.\r\n").raw());
  CHECK(hit("MONEY_PHRASES", mail().set("Subject", "Claim your reward").raw()));
  CHECK(hit("MONEY_PHRASES", mail().html("<p>Transfer of <b>$1,500,000</b> waiting</p>").raw()));
  hits_and_misses("URGENCY_PHRASES", mail().with_body("ACT NOW before the offer ends.\r\n").raw(),
                  mail().with_body("Let us act on this next week.\r\n").raw());
  CHECK(hit("URGENCY_PHRASES", mail().with_body("Your account will be suspended tomorrow.\r\n").raw()));
  CHECK(hit("URGENCY_PHRASES", mail().set("Subject", "Final notice").raw()));
}

TEST_CASE("HTML rules") {
  hits_and_misses("HTML_ONLY", mail().html("<p>Hello Bob</p>").raw(),
                  multipart("alternative", {plain_part, html_part}));
  CHECK_FALSE(hit("HTML_ONLY", mail().raw()));
  CHECK_FALSE(hit("HTML_ONLY", multipart("mixed", {plain_part, attachment("text/html", "attachment; filename=a.html")})));

  const std::string four_links = "<a href='https://example.org/1'>one</a> <a href='https://example.org/2'>two</a>"
                                 "<a href='https://example.org/3'>three</a> <a href='https://example.org/4'>four</a>";
  hits_and_misses("HTML_LINK_HEAVY", mail().html("<p>See:</p>" + four_links).raw(),
                  mail().html("<p>" + std::string(200, 'x') + " words of a real letter</p>" + four_links).raw());
  CHECK_FALSE(hit("HTML_LINK_HEAVY", mail().html("<a href='https://example.org/1'>1</a>"
                                                 "<a href='https://example.org/2'>2</a>").raw()));
}

TEST_CASE("link rules") {
  hits_and_misses("LINK_TEXT_OTHER_DOMAIN",
                  mail().html("<p>Log in at <a href=\"http://login.evil.test/pp\">www.paypal.com</a></p>").raw(),
                  mail().html("<p>Log in at <a href=\"https://www.paypal.com/signin\">paypal.com</a></p>").raw());
  CHECK(hit("LINK_TEXT_OTHER_DOMAIN",
            mail().html("<a href=\"https://paypal.com@evil.test/\">https://paypal.com/login</a>").raw()));
  CHECK_FALSE(hit("LINK_TEXT_OTHER_DOMAIN", mail().html("<a href=\"http://evil.test/\">Click here</a>").raw()));

  hits_and_misses("URL_SHORTENER", mail().html("<a href=\"https://bit.ly/3xYz\">our offer</a>").raw(),
                  mail().html("<a href=\"https://notbit.ly/3xYz\">our offer</a>").raw());
  CHECK(hit("URL_SHORTENER", mail().with_body("Details: https://tinyurl.com/abc123\r\n").raw()));
  CHECK_FALSE(hit("URL_SHORTENER", mail().with_body("Details: https://example.org/abc123\r\n").raw()));
}

TEST_CASE("attachments with executable types") {
  hits_and_misses("ATTACH_EXECUTABLE",
                  multipart("mixed", {plain_part, attachment("application/octet-stream",
                                                             "attachment; filename=\"invoice.pdf.exe\"")}),
                  multipart("mixed", {plain_part, attachment("application/pdf", "attachment; filename=\"report.pdf\"")}));
  CHECK(hit("ATTACH_EXECUTABLE", multipart("mixed", {plain_part, attachment("application/octet-stream",
                                                                            "attachment; filename*=UTF-8''setup%2Eexe")})));
  CHECK(hit("ATTACH_EXECUTABLE", multipart("mixed", {plain_part, attachment("application/octet-stream",
                                                                            "attachment; filename*0=\"inv\"; filename*1=\"oice.scr\"")})));
  CHECK(hit("ATTACH_EXECUTABLE", multipart("mixed", {plain_part, attachment("application/x-msdownload; name=tool",
                                                                            "attachment")})));
  CHECK(hit("ATTACH_EXECUTABLE", multipart("mixed", {plain_part, attachment("application/octet-stream; name=\"run.JS. \"",
                                                                            "inline")})));
}

TEST_CASE("an empty body") {
  hits_and_misses("BODY_EMPTY", mail().with_body("\r\n   \r\n").raw(), mail().raw());
  CHECK(hit("BODY_EMPTY", mail().html("<p>&nbsp;</p><script>alert('x')</script>").raw()));
  CHECK(hit("BODY_EMPTY", multipart("mixed", {attachment("application/pdf", "attachment; filename=a.pdf")})));
}

TEST_CASE("malformed MIME is scored, never thrown") {
  mail no_boundary;
  no_boundary.set("Content-Type", "multipart/mixed").with_body("--x\r\n\r\nhello\r\n--x--\r\n");
  hits_and_misses("MIME_MALFORMED", no_boundary.raw(), multipart("mixed", {plain_part, html_part}));
  std::string unclosed = multipart("mixed", {plain_part});
  unclosed.erase(unclosed.rfind("--b1--"));
  CHECK(hit("MIME_MALFORMED", unclosed));
  CHECK(hit("MIME_MALFORMED", mail().set("Content-Type", "text").raw()));
  CHECK(hit("MIME_MALFORMED", multipart("mixed", {"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                                                  "SGVsbG8*!"})));
  std::string deep = "Content-Type: text/plain\r\n\r\ndeep";
  for (int i = 0; i < 20; ++i) {
    const std::string b = fmt::format("n{}", i);
    deep = "Content-Type: multipart/mixed; boundary=" + b + "\r\n\r\n--" + b + "\r\n" + deep + "\r\n--" + b + "--";
  }
  CHECK(hit("MIME_MALFORMED", "From: a@example.org\r\n" + deep));
}

TEST_CASE("rules on the client's greeting") {
  spam_context bare, fqdn, literal_other, literal_own, literal_v6;
  bare.helo = "laptop";
  fqdn.helo = "mail.example.org";
  literal_other.helo = "[10.0.0.1]";
  literal_own.helo = "[203.0.113.5]";
  literal_v6.helo = "[IPv6:2001:db8::1]";
  for (auto* c : {&bare, &fqdn, &literal_other, &literal_own}) c->client_ip = parse_ip("203.0.113.5");
  literal_v6.client_ip = parse_ip("2001:db8::1");
  hits_and_misses("HELO_NOT_FQDN", mail().raw(), mail().raw(), bare, fqdn);
  CHECK_FALSE(hit("HELO_NOT_FQDN", mail().raw(), literal_own));
  hits_and_misses("HELO_LITERAL_MISMATCH", mail().raw(), mail().raw(), literal_other, literal_own);
  CHECK_FALSE(hit("HELO_LITERAL_MISMATCH", mail().raw(), literal_v6));
}

TEST_CASE("rules on SPF, DKIM, DMARC and DNSBL results") {
  spam_context fail, softfail, pass;
  fail.spf = spf_result::fail;
  softfail.spf = spf_result::softfail;
  pass.spf = spf_result::pass;
  hits_and_misses("SPF_FAIL", mail().raw(), mail().raw(), fail, pass);
  hits_and_misses("SPF_SOFTFAIL", mail().raw(), mail().raw(), softfail, fail);

  spam_context dkim_bad, dkim_mixed, dkim_unsigned, dkim_none, dkim_good;
  dkim_bad.dkim = std::vector{dkim_result::fail};
  dkim_mixed.dkim = std::vector{dkim_result::fail, dkim_result::pass};
  dkim_unsigned.dkim = std::vector<dkim_result>{};
  dkim_none.dkim = std::vector{dkim_result::none};
  dkim_good.dkim = std::vector{dkim_result::pass};
  hits_and_misses("DKIM_FAIL", mail().raw(), mail().raw(), dkim_bad, dkim_mixed);
  hits_and_misses("DKIM_NONE", mail().raw(), mail().raw(), dkim_unsigned, dkim_good);
  CHECK(hit("DKIM_NONE", mail().raw(), dkim_none));
  CHECK_FALSE(hit("DKIM_NONE", mail().raw(), {}));  // DKIM not checked: no opinion

  spam_context dmarc_fail, dmarc_pass;
  dmarc_fail.dmarc = dmarc_result::fail;
  dmarc_pass.dmarc = dmarc_result::pass;
  hits_and_misses("DMARC_FAIL", mail().raw(), mail().raw(), dmarc_fail, dmarc_pass);

  // The domain's policy counts only for a message that fails DMARC.
  spam_context quarantined = dmarc_fail, rejected = dmarc_fail, policy_none = dmarc_fail, passed_quarantine;
  quarantined.dmarc_policy = dmarc_disposition::quarantine;
  rejected.dmarc_policy = dmarc_disposition::reject;
  policy_none.dmarc_policy = dmarc_disposition::none;
  passed_quarantine.dmarc = dmarc_result::pass;
  passed_quarantine.dmarc_policy = dmarc_disposition::quarantine;
  hits_and_misses("DMARC_QUARANTINE", mail().raw(), mail().raw(), quarantined, policy_none);
  CHECK(hit("DMARC_QUARANTINE", mail().raw(), rejected));
  CHECK_FALSE(hit("DMARC_QUARANTINE", mail().raw(), passed_quarantine));
  CHECK_FALSE(hit("DMARC_QUARANTINE", mail().raw(), dmarc_fail));  // no policy known: no opinion

  spam_context listed;
  listed.dnsbl = {{"zen.example", "127.0.0.2"}};
  hits_and_misses("DNSBL_LISTED", mail().raw(), mail().raw(), listed, {});
}

TEST_CASE("every built-in rule has a hit and a miss case in this file") {
  std::ifstream in(std::string(MAILSIM_SOURCE_DIR) + "/tests/sim/policy/spam_rules_test.cpp");
  REQUIRE(in);
  const std::string source{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  for (const auto& r : builtin_rules()) {
    INFO(r.name);
    CHECK(source.find("hits_and_misses(\"" + std::string(r.name) + "\"") != std::string::npos);
    CHECK(find_builtin_rule(r.name) == &r);
    CHECK(r.score > 0);
    CHECK_FALSE(r.description.empty());
  }
  CHECK(find_builtin_rule("NO_SUCH_RULE") == nullptr);
}
