// Configurable replies: $variables as Postfix's rbl_reply_maps texts use
// them, and multi-line texts.
#include <catch2/catch.hpp>

#include "sim/policy/reply_template.hpp"

using namespace sim::policy;

namespace {
const template_vars vars{{"client_address", "192.0.2.25"}, {"rbl_domain", "bl.test"}, {"rbl_reason", ""},
                         {"recipient", "bob@example.org"}};
}

TEST_CASE("reply_template: $name, ${name}, ${name?text}, ${name:text} and $$") {
  CHECK(expand_text("client [$client_address] on ${rbl_domain}.", vars) == "client [192.0.2.25] on bl.test.");
  CHECK(expand_text("${rbl_reason?; $rbl_reason}", vars).empty());
  CHECK(expand_text("${rbl_reason:no reason given}", vars) == "no reason given");
  CHECK(expand_text("${rbl_domain?listed at $rbl_domain}", vars) == "listed at bl.test");
  CHECK(expand_text("costs $$5", vars) == "costs $5");
  // Names the check does not define stay as written; an unclosed brace too.
  CHECK(expand_text("$unknown ${other} ${open", vars) == "$unknown ${other} ${open");
  CHECK(expand_text("trailing $", vars) == "trailing $");
}

TEST_CASE("reply_template: several lines make a multi-line reply; a value's line end starts another line") {
  reply_template t{550, "5.7.26", {"Unauthenticated email from $client_address is not accepted", "See the guidelines"}};
  auto r = expand(t, vars);
  CHECK(r.code == 550);
  CHECK(r.enhanced == "5.7.26");
  CHECK(r.text == "Unauthenticated email from 192.0.2.25 is not accepted");
  CHECK(r.more_lines == std::vector<std::string>{"See the guidelines"});
  auto two = expand({554, "5.7.1", {"blocked${reason?\n$reason}"}}, {{"reason", "spam source\r\nsince 2026"}});
  CHECK(two.text == "blocked");
  CHECK(two.more_lines == std::vector<std::string>{"spam source", "since 2026"});
}

TEST_CASE("reply_template: the generic DNSBL and greylisting replies") {
  auto bl = expand(default_dnsbl_reply(), {{"client_address", "192.0.2.25"}, {"rbl_domain", "bl.test"}, {"rbl_reason", "listed"}});
  CHECK(bl.code == 554);
  CHECK(bl.text == "Service unavailable; client [192.0.2.25] blocked using bl.test; listed");
  auto grey = expand(default_greylist_reply(), {{"seconds", "300"}});
  CHECK(grey.code == 451);
  CHECK(grey.text == "Greylisted, see RFC 6647; try again in 300 seconds");
}
