// tests/sim/policy/spf_report_test.cpp - Received-SPF, CLI output, SPF replies, size checks.
#include <catch2/catch.hpp>

#include "sim/policy/size_check.hpp"
#include "sim/policy/spf_report.hpp"

using namespace sim::policy;

namespace {
spf_evaluation evaluation(spf_result result) {
  spf_evaluation e;
  e.result = result;
  e.identity = "mailfrom";
  e.sender = "alice@example.org";
  e.domain = "example.org";
  e.mail_from = "alice@example.org";
  e.client_ip = "192.0.2.1";
  e.helo = "mx.example.org";
  e.lookups = 1;
  e.steps = {{0, "check_host(example.org, 192.0.2.1)"}, {1, "inner"}};
  return e;
}
}  // namespace

TEST_CASE("Received-SPF follows RFC 7208 section 9.1") {
  CHECK(received_spf_header(evaluation(spf_result::pass)) ==
        "Received-SPF: pass (mailsim: domain of alice@example.org designates 192.0.2.1 as permitted sender) "
        "client-ip=192.0.2.1; envelope-from=\"alice@example.org\"; helo=mx.example.org; identity=mailfrom;");
  auto e = evaluation(spf_result::permerror);
  e.problem = "invalid term 'a(b)'";
  CHECK(received_spf_header(e, "mx.receiver.test") ==
        "Received-SPF: permerror (mx.receiver.test: error in processing during lookup of alice@example.org: "
        "invalid term 'a\\(b\\)') client-ip=192.0.2.1; envelope-from=\"alice@example.org\"; helo=mx.example.org; "
        "problem=\"invalid term 'a(b)'\"; identity=mailfrom;");
  e = evaluation(spf_result::none);
  e.identity = "helo";
  e.mail_from = "";
  e.domain = "mx.example.org";
  CHECK(received_spf_header(e) ==
        "Received-SPF: none (mailsim: domain of mx.example.org does not publish an SPF record) "
        "client-ip=192.0.2.1; envelope-from=\"\"; helo=mx.example.org; identity=helo;");
}

TEST_CASE("the mailsim spf output: result, explanation, steps, counts") {
  auto e = evaluation(spf_result::fail);
  e.explanation = "not allowed";
  CHECK(format_spf_output(e) ==
        "fail\n"
        "explanation: not allowed\n"
        "identity: mailfrom alice@example.org\n"
        "  check_host(example.org, 192.0.2.1)\n"
        "    inner\n"
        "DNS-querying terms: 1 of 10; void lookups: 0 of 2\n");
  CHECK(format_spf_output(evaluation(spf_result::pass)).rfind("pass\nidentity:", 0) == 0);
}

TEST_CASE("reject mode refuses fail with 5.7.23 and defers temperror with 4.7.24") {
  auto e = evaluation(spf_result::fail);
  e.explanation = "192.0.2.1 is not one of example.org's designated mail servers";
  auto got = spf_check(e, spf_mode::reject);
  CHECK(got.check == "spf");
  CHECK(got.result == "fail");
  REQUIRE(got.reply);
  CHECK(*got.reply ==
        reply{550, "5.7.23", "SPF validation failed: 192.0.2.1 is not one of example.org's designated mail servers"});
  CHECK_FALSE(spf_check(e, spf_mode::tag).reply);
  e = evaluation(spf_result::temperror);
  e.problem = "DNS timeout looking up TXT example.org";
  got = spf_check(e, spf_mode::reject);
  REQUIRE(got.reply);
  CHECK(*got.reply == reply{451, "4.7.24", "SPF validation error: DNS timeout looking up TXT example.org"});
  for (auto result : {spf_result::pass, spf_result::softfail, spf_result::neutral, spf_result::none,
                      spf_result::permerror})
    CHECK_FALSE(spf_check(evaluation(result), spf_mode::reject).reply);
}

TEST_CASE("size checks: declared SIZE= and the received size, at and past the maximum") {
  CHECK(check_declared_size(std::nullopt, 1000).result == "pass");
  CHECK(check_declared_size(1000, 1000).result == "pass");
  auto got = check_declared_size(1001, 1000);
  CHECK(got.result == "fail");
  REQUIRE(got.reply);
  CHECK(*got.reply == reply{552, "5.3.4", "Message size exceeds fixed maximum message size"});
  CHECK(check_received_size(1000, 1000).result == "pass");
  CHECK(check_received_size(1001, 1000).reply->code == 552);
}
