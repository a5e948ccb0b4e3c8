// Mailboxes, paths, MAIL/RCPT parameters, xtext, base64 and replies.
#include <catch2/catch.hpp>

#include "sim/smtp/base64.hpp"
#include "sim/smtp/capabilities.hpp"
#include "sim/smtp/command.hpp"
#include "sim/smtp/mailbox.hpp"
#include "sim/smtp/reply.hpp"
#include "sim/smtp/xtext.hpp"

using namespace sim::smtp;

TEST_CASE("paths: valid forms") {
  struct example {
    std::string text, want;
  };
  for (auto& [text, want] : std::vector<example>{
           {"<alice@example.org>", "alice@example.org"},
           {"<Alice.B+tag@EXAMPLE.org>", "Alice.B+tag@example.org"},
           {"<\"john doe\"@example.org>", "\"john doe\"@example.org"},
           {"<\"a\\\"b\"@x.test>", "\"a\\\"b\"@x.test"},
           {"<\"plain\"@x.test>", "plain@x.test"},
           {"<u@[192.0.2.1]>", "u@[192.0.2.1]"},
           {"<u@[IPv6:2001:db8::1]>", "u@[IPv6:2001:db8::1]"},
           {"<u@[ipv6:::ffff:192.0.2.1]>", "u@[IPv6:::ffff:192.0.2.1]"},
           {"<u@[IPv6:1:2:3:4:5:6:7:8]>", "u@[IPv6:1:2:3:4:5:6:7:8]"},
           {"<@a.test,@b.test:user@d.test>", "user@d.test"},
       }) {
    auto got = parse_path(text, path_kind::forward);
    INFO(text);
    REQUIRE(got.ok());
    REQUIRE(got.box->text() == want);
  }
  REQUIRE(parse_path("<>", path_kind::reverse).ok());
  REQUIRE_FALSE(parse_path("<>", path_kind::reverse).box);
  REQUIRE(parse_path("<PostMaster>", path_kind::forward).box->is_bare_postmaster());
}

TEST_CASE("paths: invalid forms") {
  for (std::string text : {"alice@example.org", "<alice@example.org", "<alice>", "<@example.org>", "<a..b@x.test>",
                           "<.a@x.test>", "<a@-x.test>", "<a@x..test>", "<a@[192.0.2.256]>", "<a@[IPv6:1::2::3]>",
                           "<a@[IPv6:1:2:3:4:5:6:7]>", "<a b@x.test>", "<@a.test:>", "<a@x_y.test>"}) {
    INFO(text);
    REQUIRE_FALSE(parse_path(text, path_kind::forward).ok());
  }
  REQUIRE_FALSE(parse_path("<>", path_kind::forward).ok());
  REQUIRE_FALSE(parse_path("<postmaster>", path_kind::reverse).ok());
}

TEST_CASE("path limits at and past their boundary") {
  std::string local64(64, 'l'), local65(65, 'l');
  REQUIRE(parse_path("<" + local64 + "@x.test>", path_kind::forward).ok());
  REQUIRE(parse_path("<" + local65 + "@x.test>", path_kind::forward).error == path_error::local_part_too_long);
  // A 255-octet domain of 63-octet labels; the path is then too long (RFC 5321 4.5.3.1.3).
  std::string label(63, 'd');
  std::string domain255 = label + "." + label + "." + label + "." + label;
  REQUIRE(domain255.size() == 255);
  REQUIRE(is_domain(domain255));
  REQUIRE_FALSE(is_domain(domain255 + "d"));
  REQUIRE(parse_path("<a@" + domain255 + ">", path_kind::forward).error == path_error::too_long);
  // 256 octets including the brackets pass, 257 do not.
  std::string dom = label + "." + label + "." + label + ".";
  std::string local = std::string(256 - 2 - 1 - dom.size() - 4, 'p');
  std::string path256 = "<" + local + "@" + dom + "test>";
  REQUIRE(path256.size() == 256);
  REQUIRE(parse_path(path256, path_kind::forward).ok());
  REQUIRE(parse_path("<" + local + "p@" + dom + "test>", path_kind::forward).error == path_error::too_long);
}

TEST_CASE("MAIL parameters") {
  auto got = parse_mail("FROM:<a@x.test> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=QQ+2B1 AUTH=<>");
  REQUIRE(got.value);
  REQUIRE(got.value->params.size == 1000u);
  REQUIRE(got.value->params.body == body_type::eight_bit_mime);
  REQUIRE(got.value->params.ret == dsn_ret::hdrs);
  REQUIRE(got.value->params.envid == "QQ+1");
  REQUIRE(got.value->params.auth == "<>");
  REQUIRE(format_mail(*got.value) == "MAIL FROM:<a@x.test> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=QQ+2B1 AUTH=<>");
  REQUIRE(parse_mail("from: <>").value);                  // case and a space are tolerated
  REQUIRE(parse_mail("FROM:<> SMTPUTF8").value->params.smtputf8);
  REQUIRE(parse_mail("FROM:<a@x.test> body=7bit").value->params.body == body_type::seven_bit);
  REQUIRE(parse_mail("FROM:<a@x.test> XFOO=1").error.code == 555);
  for (std::string bad : {"FROM:<a@x.test> SIZE=abc", "FROM:<a@x.test> SIZE=1 SIZE=2", "FROM:<a@x.test> BODY=9BIT",
                          "FROM:<a@x.test> RET=ALL", "FROM:<a@x.test> ENVID=a+zz", "FROM:<a@x.test>SIZE=1",
                          "TO:<a@x.test>", "FROM:a@x.test", "FROM:<a@x.test> SIZE="}) {
    INFO(bad);
    auto r = parse_mail(bad);
    REQUIRE_FALSE(r.value);
    REQUIRE(r.error.code == 501);
  }
  REQUIRE(parse_mail("FROM:<bad>").error.enhanced == "5.1.7");
  REQUIRE(parse_mail("FROM:<a@x.test> ENVID=" + std::string(100, 'e')).value);
  REQUIRE_FALSE(parse_mail("FROM:<a@x.test> ENVID=" + std::string(101, 'e')).value);
}

TEST_CASE("RCPT parameters") {
  auto got = parse_rcpt("TO:<b@y.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2By@y.test");
  REQUIRE(got.value);
  REQUIRE(got.value->params.notify->success);
  REQUIRE(got.value->params.notify->failure);
  REQUIRE_FALSE(got.value->params.notify->delay);
  REQUIRE(got.value->params.orcpt->address == "b+y@y.test");
  REQUIRE(format_rcpt(*got.value) == "RCPT TO:<b@y.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2By@y.test");
  REQUIRE(parse_rcpt("TO:<b@y.test> NOTIFY=NEVER").value->params.notify->never);
  for (std::string bad : {"TO:<b@y.test> NOTIFY=NEVER,DELAY", "TO:<b@y.test> NOTIFY=SOMETIMES",
                          "TO:<b@y.test> NOTIFY=DELAY,DELAY", "TO:<b@y.test> ORCPT=b@y.test", "TO:<b@y.test> ORCPT=rfc822;"}) {
    INFO(bad);
    REQUIRE(parse_rcpt(bad).error.code == 501);
  }
  REQUIRE(parse_rcpt("TO:<bad>").error.enhanced == "5.1.3");
  REQUIRE(parse_rcpt("TO:<b@y.test> SIZE=1").error.code == 555);
}

TEST_CASE("MAIL SIZE: up to 20 digits is a size (RFC 1870 size-value), past 2^64 - 1 held at the maximum") {
  REQUIRE(parse_mail("FROM:<a@x.test> SIZE=18446744073709551615").value->params.size == UINT64_MAX);
  REQUIRE(parse_mail("FROM:<a@x.test> SIZE=18446744073709551616").value->params.size == UINT64_MAX);
  REQUIRE(parse_mail("FROM:<a@x.test> SIZE=99999999999999999999").value->params.size == UINT64_MAX);
  REQUIRE(parse_mail("FROM:<a@x.test> SIZE=00000000000000000042").value->params.size == 42);
  REQUIRE(parse_mail("FROM:<a@x.test> SIZE=100000000000000000000").error.code == 501);  // 21 digits
}

TEST_CASE("ORCPT and ENVID: a control octet once decoded (NUL, CR, LF) is refused, never carried into a DSN") {
  for (std::string bad : {"TO:<b@y.test> ORCPT=rfc822;b+00c@y.test", "TO:<b@y.test> ORCPT=rfc822;b@y.test+0D+0ABcc:+20x",
                          "TO:<b@y.test> ORCPT=rfc822;b+7F@y.test", "TO:<b@y.test> ORCPT=rfc822;+09b@y.test"}) {
    INFO(bad);
    auto r = parse_rcpt(bad);
    REQUIRE_FALSE(r.value);
    REQUIRE(r.error.code == 501);
    REQUIRE(r.error.text() == "Bad ORCPT parameter syntax");
  }
  REQUIRE(parse_rcpt("TO:<b@y.test> ORCPT=rfc822;john+20doe@y.test").value->params.orcpt->address == "john doe@y.test");
  REQUIRE(parse_mail("FROM:<a@x.test> ENVID=QQ+00").error.code == 501);
  REQUIRE(parse_mail("FROM:<a@x.test> ENVID=QQ+0A").error.code == 501);
}

TEST_CASE("commands: verbs are case-insensitive, AUTH is masked") {
  REQUIRE(parse_command("ehlo client.test").what == verb::ehlo);
  REQUIRE(parse_command("MaIl FROM:<>").what == verb::mail);
  REQUIRE(parse_command("XYZZY").what == verb::unknown);
  REQUIRE(parse_command("RCPT TO:<a@b.c>").argument == "TO:<a@b.c>");
  REQUIRE(mask_auth_line("AUTH PLAIN AGFsaWNlAHB3") == "AUTH PLAIN ********");
  REQUIRE(mask_auth_line("AUTH LOGIN") == "AUTH LOGIN");
  REQUIRE(mask_auth_line("MAIL FROM:<>") == "MAIL FROM:<>");
  REQUIRE(has_control_bytes(std::string("NO\0OP", 5)));
  REQUIRE(has_control_bytes("NO\rOP"));
  REQUIRE_FALSE(has_control_bytes("NOOP\tx"));
}

TEST_CASE("xtext and base64 round trips") {
  for (std::string raw : std::vector<std::string>{"", "plain", "a+b=c", "sp ace", std::string("\0\x7f\xff", 3)}) {
    REQUIRE(xtext_decode(xtext_encode(raw)) == raw);
    REQUIRE(base64_decode(base64_encode(raw)) == raw);
  }
  REQUIRE(xtext_encode("a+b=c d") == "a+2Bb+3Dc+20d");
  REQUIRE_FALSE(xtext_decode("a+2b"));  // RFC 3461: upper-case hex only
  REQUIRE_FALSE(xtext_decode("a+2"));
  REQUIRE(base64_encode(std::string("\0alice\0pw", 9)) == "AGFsaWNlAHB3");
  REQUIRE_FALSE(base64_decode("AGFsaWNlAHB"));
  REQUIRE_FALSE(base64_decode("AG=saWNl"));
  REQUIRE_FALSE(base64_decode("!!!!"));
}

TEST_CASE("replies: format single and multiline") {
  REQUIRE(format_reply(reply{250, "2.1.0", "Ok"}) == "250 2.1.0 Ok\r\n");
  REQUIRE(format_reply(reply{250, "", std::vector<std::string>{"mx.test", "PIPELINING", "SIZE 10"}}) ==
          "250-mx.test\r\n250-PIPELINING\r\n250 SIZE 10\r\n");
  REQUIRE(format_reply(reply{550, "5.1.1", std::vector<std::string>{"No such user", "see the list"}}) ==
          "550-5.1.1 No such user\r\n550 5.1.1 see the list\r\n");
  REQUIRE(format_reply(reply{334, "", ""}) == "334 \r\n");
}

TEST_CASE("reply parser at every split, multiline and enhanced codes") {
  std::string input = "250-mx.test Hello\r\n250-PIPELINING\r\n250 SIZE 1000\r\n550 5.1.1 No such user\r\n"
                      "250 2.0.0\r\n354 End data\n421-4.7.0 too\r\n421 4.7.0 busy\r\n";
  std::vector<reply> want{
      reply{250, "", std::vector<std::string>{"mx.test Hello", "PIPELINING", "SIZE 1000"}},
      reply{550, "5.1.1", "No such user"}, reply{250, "2.0.0", ""}, reply{354, "", "End data"},
      reply{421, "4.7.0", std::vector<std::string>{"too", "busy"}}};
  for (std::size_t cut = 0; cut <= input.size(); ++cut) {
    reply_parser p;
    std::vector<reply> got;
    for (std::string_view chunk : {std::string_view(input).substr(0, cut), std::string_view(input).substr(cut)}) {
      while (!chunk.empty()) {
        chunk.remove_prefix(p.feed(chunk));
        if (p.state() == reply_parser::status::complete) got.push_back(p.take());
        REQUIRE(p.state() != reply_parser::status::malformed);
      }
    }
    REQUIRE(got == want);
  }
  auto caps = parse_capabilities(want[0]);
  REQUIRE(caps.pipelining);
  REQUIRE(caps.size == 1000u);
}

TEST_CASE("reply parser: malformed lines and the 512-octet limit") {
  for (std::string bad : {"hello\r\n", "25\r\n", "250x\r\n", "250-a\r\n251 b\r\n", "650 x\r\n"}) {
    reply_parser p;
    p.feed(bad);
    if (p.state() == reply_parser::status::complete) p.feed(bad.substr(p.feed(bad)));
    INFO(bad);
    REQUIRE(p.state() == reply_parser::status::malformed);
  }
  std::string at = "250 " + std::string(506, 'x') + "\r\n", past = "250 " + std::string(507, 'x') + "\r\n";
  reply_parser ok;
  ok.feed(at);
  REQUIRE(ok.state() == reply_parser::status::complete);
  reply_parser too_long;
  too_long.feed(past);
  REQUIRE(too_long.state() == reply_parser::status::malformed);
}
