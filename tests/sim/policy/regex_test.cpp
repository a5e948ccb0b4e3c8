// tests/sim/policy/regex_test.cpp - the linear-time regex engine: behaviour
// against std::regex (ECMAScript) where both agree by definition, flags,
// compile errors with positions, bounds, and adversarial inputs.
#include <catch2/catch.hpp>

#include <random>
#include <regex>
#include <string>

#include "sim/policy/regex.hpp"

using sim::policy::regex;
using sim::policy::regex_error;
using sim::policy::regex_match;
using sim::policy::regex_options;

namespace {

regex must_compile(std::string_view pattern, regex_options options = {}) {
  regex_error error;
  auto re = regex::compile(pattern, options, &error);
  INFO(pattern << ": " << error.to_string());
  REQUIRE(re);
  return *re;
}

// What std::regex (ECMAScript, backtracking) finds: the same leftmost-first match.
std::optional<regex_match> reference(const std::string& pattern, const std::string& text, bool icase) {
  auto flags = std::regex::ECMAScript;
  if (icase) flags |= std::regex::icase;
  std::regex re(pattern, flags);
  std::smatch m;
  if (!std::regex_search(text, m, re)) return std::nullopt;
  return regex_match{static_cast<std::size_t>(m.position(0)), static_cast<std::size_t>(m.length(0))};
}

void same_as_std(const std::string& pattern, const std::string& text, bool icase = false) {
  regex_options options;
  options.case_insensitive = icase;
  const auto got = must_compile(pattern, options).search(text);
  const auto want = reference(pattern, text, icase);
  INFO("pattern /" << pattern << "/ on \"" << text << "\"" << (icase ? " (icase)" : ""));
  REQUIRE(got.has_value() == want.has_value());
  if (got) {
    CHECK(got->position == want->position);
    CHECK(got->length == want->length);
  }
}

regex_error compile_error(std::string_view pattern) {
  regex_error error;
  auto re = regex::compile(pattern, {}, &error);
  INFO(pattern);
  REQUIRE_FALSE(re);
  return error;
}

}  // namespace

TEST_CASE("regex agrees with std::regex on a table of patterns and inputs") {
  struct row {
    const char* pattern;
    const char* text;
    bool icase;
  };
  const row table[] = {
      {"abc", "xxabcxx", false},
      {"abc", "ab", false},
      {"a.c", "a\nc abc", false},
      {"a|ab", "ab", false},
      {"ab|a", "ab", false},
      {"a*", "bbb", false},
      {"a*", "aab", false},
      {"a*?", "aab", false},
      {"a+?", "aab", false},
      {"a{2}", "a aa aaa", false},
      {"a{2,}", "a aaaa", false},
      {"a{2,3}", "aaaaa", false},
      {"a{2,3}?", "aaaaa", false},
      {"(ab)+", "xababab", false},
      {"(?:ab)+c", "abab abababc", false},
      {"(a|b)*c", "abbac", false},
      {"[a-c]+", "xxcabz", false},
      {"[^a-c]+", "abcxyzabc", false},
      {"[-a]+", "--a-b", false},
      {"[a-]+", "a--b", false},
      {"[.]", "a.b", false},
      {"\\d+", "abc 12345 x", false},
      {"\\D+", "12abc34", false},
      {"\\w+", "  hello_world42 ", false},
      {"\\W+", "ab!?cd", false},
      {"\\s+", "a \t\nb", false},
      {"\\S+", "   xyz  ", false},
      {"\\bcash\\b", "cashew cash", false},
      {"\\Bash", "cash ash", false},
      {"^free", "free money", false},
      {"^free", "not free", false},
      {"money$", "free money", false},
      {"money$", "money free", false},
      {"^$", "", false},
      {"FREE", "free Free FREE", true},
      {"[a-z]+", "ABC def", true},
      {"[^a-z]+", "abcDEF123", true},
      {"wire\\s+transfer", "please WIRE   Transfer now", true},
      {"\\$\\d+(\\.\\d\\d)?", "only $199.99 today", false},
      {"(a|ab)(c|bcd)(d*)", "abcd", false},
      {"x*y*z*", "zzz", false},
      {"(a*)*b", "aaab", false},
      {"(a*)+b", "aaac", false},
      {"(?:a|b|c|d)+?d", "abcdd", false},
      {"colou?r", "the color and colour", false},
      {"https?://[^/\\s]+", "see http://bit.ly/x and more", false},
      {"a\\.b\\*c", "a.b*c", false},
      {"\\x41\\x42", "xABx", false},
      {"[\\d.]+", "v1.2.3x", false},
      {"[\\]a]+", "x]a]b", false},
      {"(?:)", "abc", false},
      {"a{0}b", "ab", false},
      {"(a{2}){2}", "aaaaa", false},
  };
  for (const auto& r : table) same_as_std(r.pattern, r.text, r.icase);
}

TEST_CASE("regex agrees with std::regex on random small patterns") {
  std::mt19937 random(20260105);  // fixed seed: the same cases every run
  const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const char* atoms[] = {"a", "b", ".", "[ab]", "[^a]", "\\w", "(a|b)", "(ab)", "(a*)", "(?:b|)"};
  const char* quantifiers[] = {"", "", "*", "+", "?", "{2}", "{1,2}", "*?", "+?", "??"};
  for (int round = 0; round < 400; ++round) {
    std::string pattern;
    for (int n = 1 + pick(4); n > 0; --n) {
      pattern += atoms[pick(10)];
      pattern += quantifiers[pick(10)];
      if (pick(8) == 0) pattern += "|";
    }
    std::string text;
    for (int n = pick(9); n > 0; --n) text += "abc"[pick(3)];
    same_as_std(pattern, text);
  }
}

TEST_CASE("regex flags: (?i) (?m) (?s), scoped and as options") {
  CHECK(must_compile("(?i)free money").found_in("FREE Money"));
  CHECK_FALSE(must_compile("free money").found_in("FREE Money"));
  regex_options icase;
  icase.case_insensitive = true;
  CHECK(must_compile("free money", icase).found_in("FREE Money"));
  CHECK(must_compile("(?i:free) money").found_in("FREE money"));
  CHECK_FALSE(must_compile("(?i:free) money").found_in("FREE MONEY"));
  CHECK_FALSE(must_compile("(?i)free (?-i)money").found_in("free MONEY"));
  CHECK(must_compile("a((?i)b)c").found_in("aBc"));
  CHECK_FALSE(must_compile("a((?i)b)c").found_in("aBC"));  // the flag ends with its group

  CHECK_FALSE(must_compile("^second").found_in("first\nsecond"));
  CHECK(must_compile("(?m)^second").found_in("first\nsecond"));
  CHECK(must_compile("(?m)first$").found_in("first\nsecond"));
  CHECK_FALSE(must_compile("first$").found_in("first\nsecond"));
  CHECK(must_compile("second$").found_in("first\nsecond\n"));  // Perl: before a final newline
  CHECK_FALSE(must_compile("second\\z").found_in("first\nsecond\n"));
  CHECK(must_compile("\\Afirst").found_in("first\nsecond"));

  CHECK_FALSE(must_compile("a.b").found_in("a\nb"));
  CHECK(must_compile("(?s)a.b").found_in("a\nb"));
  regex_options dot_all;
  dot_all.dot_all = true;
  CHECK(must_compile("a.b", dot_all).found_in("a\nb"));
  regex_options multiline;
  multiline.multiline = true;
  CHECK(must_compile("^b", multiline).found_in("a\nb"));
}

TEST_CASE("regex matches bytes: UTF-8 text literally, named groups as plain groups") {
  CHECK(must_compile("caf\xc3\xa9").found_in("un caf\xc3\xa9 noir"));
  CHECK(must_compile("(?<word>\\w+)@(?P<host>\\w+)").search("to: bob@example") == regex_match{4, 11});
  CHECK(must_compile("\\.\\-\\ \\/").found_in("a.- /b"));
  CHECK(must_compile("[\\b]").found_in("x\by"));
}

TEST_CASE("regex compile errors give the offset and the reason") {
  struct row {
    const char* pattern;
    std::size_t position;
    const char* reason;
  };
  const row table[] = {
      {"*a", 0, "nothing to repeat"},
      {"a|+", 2, "nothing to repeat"},
      {"(?i)*", 4, "nothing to repeat"},
      {"a**", 2, "repeats a repetition"},
      {"a{2}{3}", 4, "repeats a repetition"},
      {"a*+", 2, "possessive"},
      {"(ab", 0, "missing ')'"},
      {"ab)", 2, "unmatched ')'"},
      {"[abc", 0, "unterminated character class"},
      {"[z-a]", 1, "out of order"},
      {"[\\d-z]", 1, "cannot start with a class"},
      {"[a-\\d]", 3, "cannot end with a class"},
      {"[[:alpha:]]", 1, "POSIX classes"},
      {"(a)\\1", 3, "backreferences"},
      {"(?=a)", 0, "lookahead"},
      {"(?<!a)b", 0, "lookahead and lookbehind"},
      {"(?>a)", 0, "atomic"},
      {"(?x)a", 2, "unknown group or flag"},
      {"a\\", 1, "lone backslash"},
      {"\\q", 0, "unknown escape \\q"},
      {"\\Z", 0, "(use $)"},
      {"\\x4", 0, "two hex digits"},
      {"\\01", 0, "octal"},
      {"a{", 1, "does not start a repetition"},
      {"a{1,x}", 1, "does not start a repetition"},
      {"a{,3}", 1, "does not start a repetition"},
      {"a{3,2}", 1, "maximum is below the minimum"},
      {"a{1001}", 1, "over the limit of 1000"},
      {"a{1,99999999999}", 1, "over the limit of 1000"},
  };
  for (const auto& r : table) {
    const regex_error e = compile_error(r.pattern);
    INFO(r.pattern << " -> " << e.to_string());
    CHECK(e.position == r.position);
    CHECK_THAT(e.reason, Catch::Contains(r.reason));
  }
  CHECK(compile_error("*").to_string() == "at offset 0: nothing to repeat before '*'");
}

TEST_CASE("regex bounds: pattern length, program size, nesting") {
  CHECK(regex::compile(std::string(4096, 'a')));
  CHECK_THAT(compile_error(std::string(4097, 'a')).reason, Catch::Contains("over the limit of 4096"));

  CHECK(regex::compile("a{1000}"));
  CHECK_THAT(compile_error("(?:a{1000}){1000}").reason, Catch::Contains("more than 20000 instructions"));
  CHECK_THAT(compile_error("((((a{100}){100}){100}){100}){100}").reason, Catch::Contains("instructions"));

  CHECK(regex::compile(std::string(100, '(') + "a" + std::string(100, ')')));
  const regex_error deep = compile_error(std::string(101, '(') + "a" + std::string(101, ')'));
  CHECK(deep.position == 100);
  CHECK_THAT(deep.reason, Catch::Contains("nested deeper than 100"));
}

TEST_CASE("regex compile without an error out-parameter") {
  CHECK_FALSE(regex::compile("(", {}));
  CHECK(regex::compile("x")->pattern() == "x");
  CHECK(regex::compile("abc")->program_size() == 4);
}

TEST_CASE("regex on an adversarial 10 MB input completes with the right answer") {
  // Exponential for a backtracking matcher; here one pass over the input.
  CHECK_FALSE(must_compile("(a*)*b").found_in(std::string(10 * 1024 * 1024, 'a')));
}

TEST_CASE("regex on other adversarial 1 MB inputs") {
  // 1 MB keeps the unoptimised sanitizer build quick; bench/ runs them on 10 MB.
  const std::string as(1024 * 1024, 'a');
  CHECK_FALSE(must_compile("(a|a)*b").found_in(as));
  CHECK_FALSE(must_compile("(a+)+$b").found_in(as));
  CHECK_FALSE(must_compile("(x+x+)+y").found_in(std::string(1024 * 1024, 'x')));
  CHECK(must_compile("(a*)*$").search(as) == regex_match{0, as.size()});
  CHECK(must_compile("(.*a){3}").search(as) == regex_match{0, as.size()});
  CHECK(must_compile("a{10}b|a$").search(as) == regex_match{as.size() - 1, 1});
}
