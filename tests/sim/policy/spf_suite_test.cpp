// tests/sim/policy/spf_suite_test.cpp - the OpenSPF RFC 7208 test suite (pyspf's copy).
//
// tests/data/spf/pyspf-rfc7208-tests.json: a list of scenarios, each with
// `zonedata` (name -> list of {TYPE: value} items or "TIMEOUT") and `tests`
// (host, mailfrom, helo, result (one keyword or a list), explanation).
// The zone is built with the suite driver's rules (tests/data/spf/README.md).
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/policy/spf_eval.hpp"
#include "tests/sim/policy/test_resolver.hpp"

namespace {

using sim::policy::test::test_resolver;
using json = nlohmann::json;

std::vector<std::string> strings_of(const json& value) {
  if (value.is_string()) return {value.get<std::string>()};
  return value.get<std::vector<std::string>>();
}

// One name's items, in order; SPF records are also served as TXT (after
// everything else) when the name has no TXT item of its own.
void add_name(test_resolver& zone, const std::string& name, const json& items) {
  bool has_txt = false;
  std::vector<std::vector<std::string>> spf_copies;
  for (const auto& item : items) {
    if (item.is_string()) {  // "TIMEOUT"
      REQUIRE(item.get<std::string>() == "TIMEOUT");
      zone.add_failure(name, dns::rcode::timeout);
      continue;
    }
    for (const auto& [type, value] : item.items()) {
      if (type == "TXT") {
        has_txt = true;
        if (value != "NONE") zone.add_txt(name, strings_of(value));
      } else if (type == "SPF") {
        dns::record record;
        record.name = name;
        record.type = dns::rr_type::SPF;
        record.strings = strings_of(value);
        spf_copies.push_back(record.strings);
        zone.add(std::move(record));
      } else if (type == "MX") {
        zone.add_mx(name, value[0].get<std::uint16_t>(), value[1].get<std::string>());
      } else {
        auto rr = type == "A" ? dns::rr_type::A
                  : type == "AAAA" ? dns::rr_type::AAAA
                  : type == "PTR"  ? dns::rr_type::PTR
                                   : dns::rr_type::CNAME;
        REQUIRE((type == "A" || type == "AAAA" || type == "PTR" || type == "CNAME"));
        zone.add(name, rr, value.get<std::string>());
      }
    }
  }
  if (!has_txt)
    for (auto& strings : spf_copies) zone.add_txt(name, std::move(strings));
}

std::string lower(std::string text) {
  for (auto& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

sim::policy::spf_evaluation run(test_resolver& zone, const json& test) {
  sim::policy::spf_request request;
  request.client_ip = test.at("host").get<std::string>();
  request.mail_from = test.at("mailfrom").get<std::string>();
  request.helo = test.at("helo").get<std::string>();
  request.asker = "receiver.test";
  request.default_explanation = "DEFAULT";  // as the suite driver sets it
  return sim::policy::test::run(sim::policy::evaluate_spf(zone, request));
}

}  // namespace

TEST_CASE("every test of the RFC 7208 suite gives an allowed result and explanation") {
  std::ifstream file(MAILSIM_SOURCE_DIR "/tests/data/spf/pyspf-rfc7208-tests.json");
  REQUIRE(file);
  auto suite = json::parse(file);
  int tests_run = 0;
  for (const auto& scenario : suite) {
    for (const auto& [id, test] : scenario.at("tests").items()) {
      test_resolver zone;
      for (const auto& [name, items] : scenario.at("zonedata").items()) add_name(zone, name, items);
      auto got = run(zone, test);
      auto want = strings_of(test.at("result"));
      std::string steps;
      for (const auto& step : got.steps) steps += std::string(static_cast<std::size_t>(step.depth) * 2, ' ') + step.text + "\n";
      INFO(scenario.at("description").get<std::string>() << " / " << id << "\n" << steps);
      CHECK_THAT(std::string(sim::policy::spf_result_name(got.result)), Catch::Matchers::Predicate<std::string>(
          [&](const std::string& result) { return std::find(want.begin(), want.end(), result) != want.end(); },
          "is one of the allowed results"));
      if (test.contains("explanation")) {
        // Compared without regard to case: the suite writes IPv6 %{i}
        // nibbles in upper case, RFC 7208 section 7.4 in lower case.
        CHECK(lower(got.explanation) == lower(test.at("explanation").get<std::string>()));
      }
      ++tests_run;
    }
  }
  CHECK(tests_run == 203);
}
