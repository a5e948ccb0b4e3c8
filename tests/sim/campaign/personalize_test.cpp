// tests/sim/campaign/personalize_test.cpp - {{field}} templates.
#include <catch2/catch.hpp>

#include "sim/campaign/personalize.hpp"

using namespace sim::campaign;

TEST_CASE("templates: every field filled, spaces inside the braces allowed") {
  fields f{"Anna Berg", "anna.berg@mail.example"};
  CHECK(render("Dear {{name}},", f) == "Dear Anna Berg,");
  CHECK(render("{{ email }} = {{local}} at {{domain}}", f) == "anna.berg@mail.example = anna.berg at mail.example");
  CHECK(render("no fields at all", f) == "no fields at all");
  CHECK(render("{{name}}{{name}}", f) == "Anna BergAnna Berg");
  CHECK(render("a single { brace } stays", f) == "a single { brace } stays");
}

TEST_CASE("templates: an unknown or unclosed field is found before the run") {
  CHECK_FALSE(template_error("Dear {{name}}, see {{ email }}").has_value());
  CHECK(template_error("Dear {{nmae}}") == "unknown field {{nmae}} (fields: name, email, local, domain)");
  CHECK(template_error("Dear {{name") == "{{ at offset 5 is not closed with }}");
  CHECK(template_error("{{}}") == "unknown field {{}} (fields: name, email, local, domain)");
}

TEST_CASE("templates: a name made from the local part") {
  CHECK(name_from_address("anna.berg@mail.example") == "Anna Berg");
  CHECK(name_from_address("j_doe-smith@x.example") == "J Doe Smith");
  CHECK(name_from_address("bob@x.example") == "Bob");
}
