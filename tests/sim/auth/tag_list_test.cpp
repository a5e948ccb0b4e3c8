// tests/sim/auth/tag_list_test.cpp - RFC 6376 §3.2 tag-lists.
#include <catch2/catch.hpp>

#include "sim/auth/tag_list.hpp"
#include "tests/sim/auth/mutations.hpp"

using namespace sim::auth;

TEST_CASE("tag-list: names, values, white space and FWS around them") {
  auto got = parse_tag_list(" v=1;a = rsa-sha256 ;\r\n\th=from : to;  b= abc\r\n def ;");
  REQUIRE(got.list);
  const auto& tags = got.list->tags;
  REQUIRE(tags.size() == 4);
  CHECK(tags[0].name == "v");
  CHECK(tags[0].value == "1");
  CHECK(tags[1].value == "rsa-sha256");
  CHECK(tags[2].name == "h");
  CHECK(tags[2].value == "from : to");
  CHECK(tags[3].value == "abc\r\n def");
  CHECK(strip_fws(tags[3].value) == "abcdef");
  CHECK(got.list->find("a")->value == "rsa-sha256");
  CHECK(got.list->find("A") == nullptr);  // names are case-sensitive
}

TEST_CASE("tag-list: the value span covers the white space around the value") {
  const std::string text = "a=1; b = xyz\r\n ; c=2";
  auto got = parse_tag_list(text);
  REQUIRE(got.list);
  const tag* b = got.list->find("b");
  REQUIRE(b);
  CHECK(text.substr(b->value_begin, b->value_end - b->value_begin) == " xyz\r\n ");
  CHECK(text.substr(0, b->value_begin) + text.substr(b->value_end) == "a=1; b =; c=2");
}

TEST_CASE("tag-list: empty values, a final semicolon, an empty list") {
  auto got = parse_tag_list("p=; t=y;");
  REQUIRE(got.list);
  CHECK(got.list->find("p")->value.empty());
  CHECK(parse_tag_list("").list);
  CHECK(parse_tag_list("  ").list->tags.empty());
  CHECK(parse_tag_list("a=1;  ").list->tags.size() == 1);
}

TEST_CASE("tag-list: syntax errors say what is wrong") {
  CHECK(parse_tag_list("a=1;;b=2").error == "an empty tag-spec between two \";\"");
  CHECK(parse_tag_list("a=1;;b=2", true).list->tags.size() == 2);
  CHECK(parse_tag_list("a=1; a=2").error == "tag a= appears twice");
  CHECK(parse_tag_list("a=1; b").error == "\"b\" is not tag=value");
  CHECK(parse_tag_list("=1").error == "a tag has no name");
  CHECK(parse_tag_list("1a=1").error == "tag name \"1a\" must start with a letter");
  CHECK(parse_tag_list("a-b=1").error == "tag name \"a-b\" holds a character other than letters, digits and _");
  CHECK(parse_tag_list("a b=1").error == "tag name \"a b\" holds a character other than letters, digits and _");
  CHECK(parse_tag_list(std::string("a=x\0y", 5)).error == "the value of a= holds the byte 0x00, not allowed in a tag value");
  CHECK(parse_tag_list("a=caf\xc3\xa9").error == "the value of a= holds the byte 0xc3, not allowed in a tag value");
  CHECK(parse_tag_list("a_1=x; B2=y").list->tags.size() == 2);
}

TEST_CASE("tag-list: every cut and byte mutation parses or gives a reason, never throws") {
  const std::string text = "v=1; a=rsa-sha256; d=example.org; s=s1;\r\n h=from:to; bh=AAAA; b=BBBB";
  std::size_t variants = 0;
  sim::auth::test::for_each_mutation(text, [&](const std::string& input) {
    tag_list_result got;
    REQUIRE_NOTHROW(got = parse_tag_list(input));
    CHECK(got.list.has_value() != !got.error.empty());
    if (got.list)
      for (const auto& t : got.list->tags) CHECK(t.value_end <= input.size());
    ++variants;
  });
  CHECK(variants > 1000);
}
