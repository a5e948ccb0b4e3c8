// Tests for sim/report/svg (text fitting), glossary (term links) and sha256 (the page's script hash).
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "sim/report/glossary.hpp"
#include "sim/report/sha256.hpp"
#include "sim/report/svg.hpp"

namespace svg = sim::report::svg;

namespace {

std::string hex(const std::array<std::uint8_t, 32>& digest) {
  std::string out;
  for (auto b : digest) out += fmt::format("{:02x}", b);
  return out;
}

std::size_t count_in_text(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("monospace widths are exact: 0.602 em a character, whatever the bytes") {
  CHECK(svg::text_width("abcd", 10, true) == Approx(24.08));
  CHECK(svg::text_width("\xC3\xA9t\xC3\xA9", 10, true) == Approx(3 * 6.02));  // "été": 3 characters, 5 bytes
  CHECK(svg::text_width("", 12, false) == 0);
  CHECK(svg::text_width("mail", 12, false, true) > svg::text_width("mail", 12, false));
}

TEST_CASE("fit keeps what fits and cuts the rest with an ellipsis, never inside a character") {
  CHECK(svg::fit("short", 100, 10, true) == "short");
  std::string cut = svg::fit("RCPT TO:<reader01@example.org>", 60, 10, true);
  CHECK(cut.ends_with("\xE2\x80\xA6"));
  CHECK(svg::text_width(cut, 10, true) <= 60);
  CHECK(cut.starts_with("RCPT TO"));
  // Two-byte characters are never split: what is left is valid UTF-8 followed by the ellipsis.
  std::string accents = svg::fit("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 20, 10, true);
  CHECK(accents == "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
  CHECK(svg::fit("anything", 3, 10, true).empty());
}

TEST_CASE("numbers and durations are written for people and for SVG") {
  CHECK(svg::num(12) == "12");
  CHECK(svg::num(12.04) == "12");
  CHECK(svg::num(12.36) == "12.4");
  CHECK(svg::num(-3.5) == "-3.5");
  CHECK(svg::human_duration(250) == "250ms");
  CHECK(svg::human_duration(12'400) == "12s");
  CHECK(svg::human_duration(299'000) == "4m59s");
  CHECK(svg::human_duration(300'000) == "5m");
  CHECK(svg::human_duration(6'900'000) == "1h55m");
  CHECK(svg::human_duration(183'600'000) == "2d3h");
  CHECK(svg::human_duration(-5) == "0ms");
}

TEST_CASE("glossary terms are linked once, and never inside names or addresses") {
  std::string got = sim::report::link_terms("MX for example.org, tried in this order: 10 mx1.example.org; MX again");
  CHECK(got.starts_with("<a class=\"g\" href=\"#g-mx\">MX</a> for example.org"));
  CHECK(count_in_text(got, "href=\"#g-mx\"") == 1);
  CHECK(got.find("mx1.example.org") != std::string::npos);

  // The longest term wins; case-insensitive terms match lower-case narration.
  CHECK(sim::report::link_terms("the backup MX holds it").find("#g-backup-mx\">backup MX</a>") != std::string::npos);
  CHECK(sim::report::link_terms("policy check greylist: defer").find("#g-greylisting\">greylist</a>") != std::string::npos);
  CHECK(sim::report::link_terms("Received-SPF: pass").find("#g-spf\">Received-SPF</a>") != std::string::npos);

  // Not part of a host name, an address or another word.
  for (const char* inside : {"spf-tag.example", "user@SMTP.example", "MXes", "mx.example.org", "MX.example.org"}) {
    INFO(inside);
    CHECK(sim::report::link_terms(inside).find("<a") == std::string::npos);
  }
  CHECK(sim::report::link_terms("the MX.").find("#g-mx") != std::string::npos);
}

TEST_CASE("text around the links is escaped") {
  std::string got = sim::report::link_terms("<script>alert(1)</script> DSN & \"SPF\"");
  CHECK(got.find("<script>") == std::string::npos);
  CHECK(got.starts_with("&lt;script&gt;alert(1)&lt;/script&gt; <a class=\"g\" href=\"#g-dsn\">DSN</a> &amp; &quot;"));
}

TEST_CASE("the glossary has every term the issue asks for, each with an anchor") {
  std::string html = sim::report::glossary_html();
  for (const char* id : {"mua", "msa", "mta", "mx", "lda", "envelope", "return-path", "received", "dsn", "spf", "dkim",
                         "dmarc", "dnsbl", "greylisting", "backup-mx", "null-mx"}) {
    INFO(id);
    CHECK(html.find(std::string("<dt id=\"g-") + id + "\">") != std::string::npos);
  }
}

TEST_CASE("SHA-256 gives the FIPS 180-4 example digests") {
  CHECK(hex(sim::report::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(sim::report::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sim::report::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(sim::report::sha256(std::string(1'000'000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
