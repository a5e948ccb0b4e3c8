// Modified UTF-7 and mailbox name safety: nothing a client sends reaches the
// store as "..", an empty level, NUL or a control character.
#include <catch2/catch.hpp>

#include "sim/imap/mailbox_name.hpp"
#include "sim/imap/mutf7.hpp"

using namespace sim::imap;

TEST_CASE("mutf7: the RFC 3501 examples and round trips") {
  // RFC 3501 §5.1.3: "~peter/mail/台北/日本語"
  const std::string utf8 = "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
  CHECK(encode_mutf7(utf8) == "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  CHECK(decode_mutf7("~peter/mail/&U,BTFw-/&ZeVnLIqe-") == utf8);
  CHECK(encode_mutf7("Tom & Jerry") == "Tom &- Jerry");
  CHECK(decode_mutf7("Tom &- Jerry") == "Tom & Jerry");
  // Outside the BMP: a surrogate pair.
  const std::string emoji = "\xf0\x9f\x93\xa7";
  CHECK(decode_mutf7(encode_mutf7(emoji)) == emoji);
  CHECK(encode_mutf7("Entw\xc3\xbcrfe") == "Entw&APw-rfe");
}

TEST_CASE("mutf7: only the canonical spelling is accepted") {
  CHECK_FALSE(decode_mutf7("&AC4ALg-"));       // ".." spelled in base64
  CHECK_FALSE(decode_mutf7("a&AC8-b"));        // "/" in base64
  CHECK(decode_mutf7("&AAA-") == std::string(1, '\0'));  // NUL decodes; the name check refuses it
  CHECK_FALSE(decode_mutf7("&U,BTFw-&ZeVnLIqe-"));  // two shifts in a row
  CHECK_FALSE(decode_mutf7("&U,BTF-"));        // non-zero padding bits
  CHECK_FALSE(decode_mutf7("&2D0-"));          // a lone high surrogate
  CHECK_FALSE(decode_mutf7("&U,BTFw"));        // unterminated
  CHECK_FALSE(decode_mutf7("caf\xc3\xa9"));   // raw 8-bit
  CHECK_FALSE(decode_mutf7("a\tb"));           // raw control
  CHECK_FALSE(decode_mutf7("&Jjo!-"));         // not base64
}

TEST_CASE("mailbox names: safe names pass, tricks do not") {
  CHECK(decode_mailbox("INBOX").name == "INBOX");
  CHECK(decode_mailbox("inbox").name == "INBOX");
  CHECK(decode_mailbox("InBoX/sub").name == "INBOX/sub");
  CHECK(decode_mailbox("Archive/2026").name == "Archive/2026");
  CHECK(decode_mailbox("Entw&APw-rfe").name == "Entw\xc3\xbcrfe");
  CHECK(decode_mailbox(".hidden").name == ".hidden");
  for (std::string_view bad : {"", "..", "a/../b", "./a", "a/.", "/etc", "a//b", "a/", "&AC4ALg-", "a/&AC4ALg-",
                               "&AAA-", "a*", "a%b", "a\\b", "&AAo-", "&AIU-", "&AH8-"}) {
    INFO(bad);
    auto got = decode_mailbox(bad);
    CHECK_FALSE(got.name);
    CHECK_FALSE(got.error.empty());
  }
  CHECK_FALSE(decode_mailbox(std::string(600, 'a')).name);
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "d/";
  CHECK_FALSE(decode_mailbox(deep + "x").name);
  CHECK(encode_mailbox("Entw\xc3\xbcrfe") == "Entw&APw-rfe");
}

TEST_CASE("LIST patterns: * crosses levels, % does not, INBOX in any case") {
  auto p = [](std::string_view ref, std::string_view pat) { return *list_pattern(ref, pat); };
  CHECK(pattern_matches(p("", "*"), "Archive/2026"));
  CHECK(pattern_matches(p("", "%"), "Archive"));
  CHECK_FALSE(pattern_matches(p("", "%"), "Archive/2026"));
  CHECK(pattern_matches(p("Archive/", "%"), "Archive/2026"));
  CHECK(pattern_matches(p("", "inbox"), "INBOX"));
  CHECK(pattern_matches(p("", "A*6"), "Archive/2026"));
  CHECK_FALSE(pattern_matches(p("", "A*5"), "Archive/2026"));
  CHECK(pattern_matches(p("", "Entw&APw-*"), "Entw\xc3\xbcrfe"));
  CHECK_FALSE(list_pattern("", "&AC4"));
  // Many wildcards cost no more than the product of the lengths.
  CHECK_FALSE(pattern_matches(std::string(200, '*') + "x", std::string(400, 'a')));
  CHECK(parent_name("a/b/c") == "a/b");
  CHECK_FALSE(parent_name("a"));
}
