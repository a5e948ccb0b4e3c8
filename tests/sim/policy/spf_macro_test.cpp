// tests/sim/policy/spf_macro_test.cpp - RFC 7208 section 7 macros.
#include <catch2/catch.hpp>

#include "sim/policy/ip_address.hpp"
#include "sim/policy/spf_macro.hpp"

using namespace sim::policy;

namespace {

// The values of RFC 7208 section 7.4.
spf_macro_values example_values(const char* client) {
  auto ip = *parse_ip(client);
  spf_macro_values values;
  values.sender = "strong-bad@email.example.com";
  values.local_part = "strong-bad";
  values.sender_domain = "email.example.com";
  values.domain = "email.example.com";
  values.ip = dotted_ip(ip);
  values.ip_version = sim::policy::is_v6(ip) ? "ip6" : "in-addr";
  values.client_ip = format_ip(ip);
  values.helo = "mx.example.org";
  values.validated_name = "unknown";
  values.receiver = "receiver.test";
  values.timestamp = "1767603600";
  return values;
}

std::string expand(const char* text, const char* client = "192.0.2.3",
                   spf_macro_context context = spf_macro_context::domain_spec) {
  auto macros = parse_spf_macro_string(text, context);
  REQUIRE(macros);
  return expand_spf_macros(*macros, example_values(client));
}

}  // namespace

TEST_CASE("the examples of RFC 7208 section 7.4 expand as written") {
  CHECK(expand("%{s}") == "strong-bad@email.example.com");
  CHECK(expand("%{o}") == "email.example.com");
  CHECK(expand("%{d}") == "email.example.com");
  CHECK(expand("%{d4}") == "email.example.com");
  CHECK(expand("%{d3}") == "email.example.com");
  CHECK(expand("%{d2}") == "example.com");
  CHECK(expand("%{d1}") == "com");
  CHECK(expand("%{dr}") == "com.example.email");
  CHECK(expand("%{d2r}") == "example.email");
  CHECK(expand("%{l}") == "strong-bad");
  CHECK(expand("%{l-}") == "strong.bad");
  CHECK(expand("%{lr}") == "strong-bad");
  CHECK(expand("%{lr-}") == "bad.strong");
  CHECK(expand("%{l1r-}") == "strong");
  CHECK(expand("%{ir}.%{v}._spf.%{d2}") == "3.2.0.192.in-addr._spf.example.com");
  CHECK(expand("%{lr-}.lp._spf.%{d2}") == "bad.strong.lp._spf.example.com");
  CHECK(expand("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}") == "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
  CHECK(expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}") == "3.2.0.192.in-addr.strong.lp._spf.example.com");
  CHECK(expand("%{d2}.trusted-domains.example.net") == "example.com.trusted-domains.example.net");
  CHECK(expand("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01") ==
        "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
}

TEST_CASE("escapes, upper-case URL escaping and explanation-only letters") {
  CHECK(expand("a%%b%_c%-d") == "a%b c%20d");
  CHECK(expand("%{L}") == "strong-bad");
  CHECK(expand("%{S}") == "strong-bad%40email.example.com");
  CHECK(expand("%{c} %{r} %{t}", "2001:db8::cb01", spf_macro_context::explanation) ==
        "2001:db8::cb01 receiver.test 1767603600");
  CHECK(expand("%{l2r+-}") == "bad.strong");
  CHECK_FALSE(parse_spf_macro_string("%{c}", spf_macro_context::domain_spec));
  CHECK_FALSE(parse_spf_macro_string("%{r}", spf_macro_context::domain_spec));
  CHECK_FALSE(parse_spf_macro_string("%{t}", spf_macro_context::domain_spec));
  CHECK(parse_spf_macro_string("%{t}", spf_macro_context::modifier));
  CHECK_FALSE(parse_spf_macro_string("a b", spf_macro_context::domain_spec));
  CHECK(parse_spf_macro_string("a b", spf_macro_context::explanation));
}

TEST_CASE("macro syntax errors") {
  for (const char* bad : {"%", "%x", "%(ir)", "%{", "%{i", "%{x}", "%{d0}", "%{d2r!}", "%{a}", "abc%", "\x80", "a\rb"}) {
    INFO(bad);
    CHECK_FALSE(parse_spf_macro_string(bad, spf_macro_context::explanation));
  }
  CHECK(parse_spf_macro_string("%{d128}", spf_macro_context::domain_spec));
  CHECK_FALSE(parse_spf_macro_string("%{d129}", spf_macro_context::domain_spec));
  CHECK(parse_spf_macro_string("", spf_macro_context::explanation));
}

TEST_CASE("a domain-spec ends in a macro or a toplabel") {
  CHECK(parse_spf_domain_spec("example.com"));
  CHECK(parse_spf_domain_spec("example.com."));
  CHECK(parse_spf_domain_spec("%{d}"));
  CHECK(parse_spf_domain_spec("%{H}.bar"));
  CHECK(parse_spf_domain_spec("foo:bar/baz.example.com"));
  CHECK(parse_spf_domain_spec("mail.example...com"));
  CHECK(parse_spf_domain_spec("foo.example.xn--zckzah"));
  CHECK(parse_spf_domain_spec("a%-"));
  CHECK_FALSE(parse_spf_domain_spec(""));
  CHECK_FALSE(parse_spf_domain_spec("museum"));
  CHECK_FALSE(parse_spf_domain_spec("museum."));
  CHECK_FALSE(parse_spf_domain_spec("foo-bar"));
  CHECK_FALSE(parse_spf_domain_spec("111.222.33.44"));
  CHECK_FALSE(parse_spf_domain_spec("abc.123"));
  CHECK_FALSE(parse_spf_domain_spec("example.-com"));
  CHECK_FALSE(parse_spf_domain_spec("example.com:8080"));
  CHECK_FALSE(parse_spf_domain_spec("%{d}foo%%bar"));
  CHECK(is_spf_toplabel("123-456"));
  CHECK_FALSE(is_spf_toplabel("com-"));
  // ends_with_expand() counts the escapes as macro-expands, as the grammar does.
  CHECK(parse_spf_domain_spec("a%-")->ends_with_expand());
  CHECK(parse_spf_domain_spec("%{d}")->ends_with_expand());
  CHECK_FALSE(parse_spf_domain_spec("%{d}.example.com")->ends_with_expand());
}

TEST_CASE("query names are cut to 253 characters from the left and checked") {
  std::string label(60, 'a');
  auto name = "x." + label + "." + label + "." + label + "." + label + ".example";  // 2+61*4+7 = 253
  CHECK(spf_query_name(name) == name);
  CHECK(spf_query_name("yy" + name) == label + "." + label + "." + label + "." + label + ".example");
  CHECK(spf_query_name("example.com.") == "example.com");
  CHECK(is_valid_dns_name(std::string(63, 'a') + ".com"));
  CHECK_FALSE(is_valid_dns_name(std::string(64, 'a') + ".com"));
  CHECK_FALSE(is_valid_dns_name("a..com"));
  CHECK_FALSE(is_valid_dns_name(""));
  CHECK(is_valid_dns_name(name));
  CHECK_FALSE(is_valid_dns_name("y" + name));
}
