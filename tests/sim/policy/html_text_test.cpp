// tests/sim/policy/html_text_test.cpp - visible text and links of HTML, and
// the link helpers (hosts, domains shown in text, shorteners).
#include <catch2/catch.hpp>

#include "sim/policy/html_text.hpp"
#include "sim/policy/links.hpp"

using namespace sim::policy;

TEST_CASE("HTML to visible text") {
  CHECK(html_to_text("<p>Hello <b>Bob</b>,</p><p>see\r\n   you</p>").text == "Hello Bob,\nsee you\n");
  CHECK(html_to_text("a<br>b<br/>c").text == "a\nb\nc\n");
  CHECK(html_to_text("<table><tr><td>1</td><td>2</td></tr></table>").text == "1 2\n");
  CHECK(html_to_text("<head><title>T</title><style>p{}</style></head><script>x<y</script>body").text == "body\n");
  CHECK(html_to_text("<SCRIPT>never</script >shown").text == "shown\n");
  CHECK(html_to_text("a<!-- hidden <b>x</b> -->b<!DOCTYPE html>c").text == "abc\n");
  CHECK(html_to_text("1 < 2 &amp;&amp; 3 &gt; 2 &nbsp;&#65;&#x42;&eacute;&unknown").text == "1 < 2 && 3 > 2 AB&eacute;&unknown\n");
  CHECK(html_to_text("&#0;&#xD800;&#1114112;").text == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n");
  CHECK(html_to_text("&#x20AC;").text == "\xe2\x82\xac\n");
  CHECK(html_to_text("").text.empty());
  CHECK(html_to_text("<p>unclosed <b").text == "unclosed\n");
  CHECK(html_to_text("<script>no end").text.empty());
}

TEST_CASE("HTML links with their visible text") {
  const html_content c = html_to_text(
      "<a href=\"https://bit.ly/x\">Claim <b>now</b></a> and <A HREF='http://a.example/?q=1&amp;r=2'>www.b.example</A>"
      "<area href=https://c.example/map><a name=top>anchor</a><a href=\"mailto:x@y\">mail</a><a href=\"/relative\">rel");
  REQUIRE(c.links.size() == 5);
  CHECK(c.links[0].href == "https://bit.ly/x");
  CHECK(c.links[0].text == "Claim now");
  CHECK(c.links[1].href == "http://a.example/?q=1&r=2");
  CHECK(c.links[1].text == "www.b.example");
  CHECK(c.links[2].href == "https://c.example/map");
  CHECK(c.links[3].href == "mailto:x@y");
  CHECK(c.links[4].text == "rel");  // closed at the end of the document

  std::string many;
  for (int i = 0; i < 300; ++i) many += "<a href=\"https://x.example/\">x</a>";
  CHECK(html_to_text(many).links.size() == html_max_links);
}

TEST_CASE("URL hosts") {
  CHECK(url_host("https://Www.Example.COM/path?q") == "www.example.com");
  CHECK(url_host("http://paypal.com@evil.test/login") == "evil.test");
  CHECK(url_host("http://user:pw@evil.test:8080/") == "evil.test");
  CHECK(url_host("HTTP://example.org.") == "example.org");
  CHECK(url_host("https://example.org\\@evil.test") == "example.org");
  CHECK(url_host("http://[2001:db8::1]/") == "[2001:db8::1]");
  CHECK(url_host("ftp://files.example/a") == "files.example");
  CHECK_FALSE(url_host("mailto:a@b.example"));
  CHECK_FALSE(url_host("/relative/path"));
  CHECK_FALSE(url_host("https:///nohost"));
  CHECK_FALSE(url_host("javascript:alert(1)"));
}

TEST_CASE("URLs in plain text") {
  CHECK(urls_in_text("see https://bit.ly/a, and HTTP://x.example/b\n<http://y.example/c>", 10) ==
        std::vector<std::string>{"https://bit.ly/a,", "HTTP://x.example/b", "http://y.example/c"});
  CHECK(urls_in_text("http://a.example http://b.example http://c.example", 2).size() == 2);
  CHECK(urls_in_text("no links here", 10).empty());
}

TEST_CASE("domains a reader sees in text") {
  CHECK(domains_in_text("Log in at www.PayPal.com or https://paypal.com/login, support@paypal.com") ==
        std::vector<std::string>{"www.paypal.com", "paypal.com"});
  CHECK(domains_in_text("sender.test and mail.example.org.") == std::vector<std::string>{"sender.test", "mail.example.org"});
  CHECK(domains_in_text("bank.co.uk") == std::vector<std::string>{"bank.co.uk"});
  CHECK(domains_in_text("index.html v1.2 J.Smith e.g. 3.14 file.pdf Click here").empty());
  CHECK(domains_in_text("-bad-.com a..b.com").empty());
}

TEST_CASE("same site and shorteners") {
  CHECK(same_site("example.org", "example.org"));
  CHECK(same_site("www.example.org", "example.org"));
  CHECK(same_site("example.org", "mail.example.org"));
  CHECK_FALSE(same_site("notexample.org", "example.org"));
  CHECK_FALSE(same_site("example.org.evil.test", "example.org"));
  CHECK(is_url_shortener("bit.ly"));
  CHECK(is_url_shortener("go.bit.ly"));
  CHECK_FALSE(is_url_shortener("notbit.ly"));
  CHECK_FALSE(is_url_shortener("ly"));
  CHECK(std::is_sorted(url_shortener_domains.begin(), url_shortener_domains.end()));
}
