// Tests for sim/message/encoded_words (RFC 2047).
#include <catch2/catch.hpp>

#include "sim/message/encoded_words.hpp"

using namespace sim::message;

namespace {

std::vector<std::string> encoded_words_in(const std::string& text) {
  std::vector<std::string> words;
  for (std::size_t at = text.find("=?"); at != std::string::npos; at = text.find("=?", at + 1)) {
    const auto end = text.find("?=", text.find('?', text.find('?', at + 2) + 1) + 1);
    words.push_back(text.substr(at, end + 2 - at));
    at = end;
  }
  return words;
}

// A complete UTF-8 sequence: no character cut in two.
bool whole_utf8(const std::string& bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    std::size_t n = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    if (n == 0 || i + n > bytes.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(bytes[i + k]) & 0xc0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

TEST_CASE("encode_words: printable ASCII is left alone") {
  CHECK(encode_words("Hello, world (again)") == "Hello, world (again)");
  CHECK(encode_words("") == "");
}

TEST_CASE("encode_words: a known B and Q encoding") {
  CHECK(encode_words("Grüße") == "=?UTF-8?B?R3LDvMOfZQ==?=");
  CHECK(encode_words("Grüße", word_encoding::q) == "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=");
}

TEST_CASE("encode_words: ASCII words around an encoded run stay readable") {
  const std::string want = "Hello =?UTF-8?B?V8O2cmxkIGdyw7zDn3Q=?= again";
  CHECK(encode_words("Hello Wörld grüßt again") == want);
  CHECK(decode_words(want) == "Hello Wörld grüßt again");
}

TEST_CASE("encode_words: doubled spaces between encoded words survive (found by fuzzing)") {
  for (const std::string text : {"\xc3\xa9  \xc3\xa9", "\xc3\xa9   x", "\xc3\xa9  ", "  \xc3\xa9  \x01 \xc3\xa9"}) {
    CHECK(decode_words(encode_words(text)) == text);
    CHECK(decode_words(encode_words(text, word_encoding::q)) == text);
  }
  CHECK(encode_words("\xc3\xa9  x") == "=?UTF-8?B?w6k=?=  x");
}

TEST_CASE("encode_words: text that looks like an encoded-word is encoded") {
  const std::string got = encode_words("a =?x?= b");
  CHECK(got.find("=?UTF-8?") != std::string::npos);
  CHECK(decode_words(got) == "a =?x?= b");
}

TEST_CASE("encode_words: long text splits into words of at most 75, on character boundaries") {
  for (const std::string ch : {"é", "€", "😀"}) {
    for (std::size_t lead = 0; lead < 6; ++lead) {
      for (auto encoding : {word_encoding::b, word_encoding::q}) {
        std::string text(lead, 'a');
        for (int i = 0; i < 30; ++i) text += ch;
        const std::string got = encode_words(text, encoding);
        const auto words = encoded_words_in(got);
        REQUIRE(words.size() >= 2);
        for (const auto& word : words) {
          CHECK(word.size() <= max_encoded_word);
          CHECK(whole_utf8(decode_words(word)));
        }
        CHECK(decode_words(got) == text);
      }
    }
  }
}

TEST_CASE("decode_words: RFC 2047 section 8 examples") {
  CHECK(decode_words("=?ISO-8859-1?Q?a?=") == "a");
  CHECK(decode_words("=?ISO-8859-1?Q?a?= b") == "a b");
  CHECK(decode_words("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=") == "ab");
  CHECK(decode_words("=?ISO-8859-1?Q?a?=  \r\n  =?ISO-8859-1?Q?b?=") == "ab");
  CHECK(decode_words("=?ISO-8859-1?Q?a_b?=") == "a b");
  CHECK(decode_words("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)") == "(a b)");
  CHECK(decode_words("=?US-ASCII?Q?Keith_Moore?=") == "Keith Moore");
  CHECK(decode_words("=?ISO-8859-1?Q?Andr=E9?= Pirard") == "André Pirard");
  CHECK(decode_words("=?utf-8*en?b?R3LDvMOfZQ==?=") == "Grüße");
}

TEST_CASE("decode_words: malformed words are kept as written") {
  CHECK(decode_words("=?UTF-8?X?abc?=") == "=?UTF-8?X?abc?=");
  CHECK(decode_words("=?UTF-8?B?not base64!?=") == "=?UTF-8?B?not base64!?=");
  CHECK(decode_words("=?UTF-8?Q?bad=Z?=") == "=?UTF-8?Q?bad=Z?=");
  CHECK(decode_words("=?UTF-8?B?abc") == "=?UTF-8?B?abc");
  CHECK(decode_words("plain text") == "plain text");
}

TEST_CASE("encode_words: 45 octets fit one B word (72 characters), 46 need two") {
  std::string fits = "a";
  for (int i = 0; i < 22; ++i) fits += "é";
  REQUIRE(fits.size() == 45);
  CHECK(encoded_words_in(encode_words(fits)).size() == 1);
  CHECK(encode_words(fits).size() == 72);
  const std::string over = "b" + fits;
  const auto words = encoded_words_in(encode_words(over));
  REQUIRE(words.size() == 2);
  CHECK(decode_words(encode_words(over)) == over);
}
