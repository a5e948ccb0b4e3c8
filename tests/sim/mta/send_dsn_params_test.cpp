// The RFC 3461 keys of a scenario's `send` (notify, ret, envid, orcpt):
// the MUA sends them at MAIL and RCPT, the MTAs carry them, and the DSN
// that comes back says them (or, with NOTIFY=NEVER, does not come).
#include <algorithm>

#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/message/dsn.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace {

const char* doc = R"({
  "scenario": "dsn-params", "title": "DSN parameters",
  "hosts": {
    "mail.sender.test": {"ip": "192.0.2.25", "local_domains": ["sender.test"],
                         "mailboxes": {"alice@sender.test": {"password": "pw"}}, "submission": true},
    "mx.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["carol@example.org"]}
  },
  "dns": ["example.org MX 10 mx.example.org"],
  "timeline": [
    {"at": "1s", "send": {"id": "asked", "from": "alice@sender.test", "to": ["bob@example.org"],
                          "notify": ["FAILURE"], "ret": "HDRS", "envid": "QQ314159",
                          "orcpt": {"bob@example.org": "robert@old.example.org"}}},
    {"at": "2s", "send": {"id": "silent", "from": "alice@sender.test", "to": ["dave@example.org"], "notify": ["NEVER"]}}
  ]
})";

}  // namespace

TEST_CASE("send: NOTIFY, RET, ENVID and ORCPT reach the DSN, and NOTIFY=NEVER keeps it away") {
  sim::recording_trace tr;
  sim::scenario::run_options options;
  options.keep_mailboxes = true;
  auto got = sim::scenario::run_scenario(sim::scenario::load_from_string(doc, "dsn.json"), options, tr);

  std::vector<std::string> lines;
  for (const auto& e : tr.events())
    if (e["event"] == "smtp.command" && e["agent"] == "mua") lines.push_back(e["line"]);
  auto mail = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("MAIL FROM:"); });
  REQUIRE(mail != lines.end());
  INFO(*mail);
  CHECK(mail->find(" RET=HDRS") != std::string::npos);
  CHECK(mail->find(" ENVID=QQ314159") != std::string::npos);
  CHECK(std::find(lines.begin(), lines.end(),
                  "RCPT TO:<bob@example.org> NOTIFY=FAILURE ORCPT=rfc822;robert@old.example.org") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(), "RCPT TO:<dave@example.org> NOTIFY=NEVER") != lines.end());

  std::vector<sim::message::dsn_report> reports;
  for (const auto& d : got.deliveries)
    if (d.mailbox == "alice@sender.test")
      if (auto r = sim::message::parse_dsn(d.raw)) reports.push_back(*r);
  REQUIRE(reports.size() == 1);  // bob's; dave's failure is not reported (NEVER)
  const auto& r = reports[0];
  CHECK(r.original_envelope_id == "QQ314159");
  CHECK(r.returned_type == "text/rfc822-headers");  // RET=HDRS
  REQUIRE(r.recipients.size() == 1);
  CHECK(r.recipients[0].final_recipient == "bob@example.org");
  CHECK(r.recipients[0].original_recipient == "robert@old.example.org");
  CHECK(r.recipients[0].action == "failed");
}
