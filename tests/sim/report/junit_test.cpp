// Tests for sim/report/junit: well-formed, escaped JUnit XML.
#include <catch2/catch.hpp>

#include "sim/report/files.hpp"
#include "sim/report/junit.hpp"
#include "support.hpp"

using report_test::scratch_dir;
using sim::report::junit_case;
using sim::report::junit_outcome;

namespace {

std::vector<junit_case> mixed_cases() {
  junit_case pass{"tour", junit_outcome::passed, "", {}, "scenarios/tour.json", ""};
  junit_case fail{"greylist", junit_outcome::failed, "2 expectations failed",
                  {"FAIL delivered bob@example.org: deferred 3 times, want <= 2",
                   "FAIL golden: line 4 differs: golden {\"code\":250} | run {\"code\":451}"},
                  "", "+00:00:00  mx  mta  <<< 451 4.7.1 <try later> & 'again'"};
  junit_case broken{"bad&<name>", junit_outcome::error, "",
                    {std::string("scenarios/bad.json:3: unexpected \x01 byte \xff and \"quote\"")}, "", ""};
  return {pass, fail, broken};
}

}  // namespace

TEST_CASE("the suite counts tests, failures and errors") {
  auto got = sim::report::junit_xml(mixed_cases());
  CHECK(got.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<testsuite name=\"mailsim\" tests=\"3\" failures=\"1\" errors=\"1\" time=\"0\">\n"));
  CHECK(got.find("<testcase classname=\"mailsim.scenarios\" name=\"tour\" file=\"scenarios/tour.json\" "
                 "time=\"0\"/>") != std::string::npos);
  CHECK(got.find("<failure message=\"2 expectations failed\">FAIL delivered bob@example.org: deferred 3 times, "
                 "want &lt;= 2\nFAIL golden:") != std::string::npos);
  CHECK(got.ends_with("</testsuite>\n"));
}

TEST_CASE("every string is escaped, invalid characters replaced") {
  auto got = sim::report::junit_xml(mixed_cases());
  CHECK(got.find("name=\"bad&amp;&lt;name&gt;\"") != std::string::npos);
  // Without its own message the error's first detail line is the message.
  CHECK(got.find("<error message=\"scenarios/bad.json:3: unexpected \xEF\xBF\xBD byte \xEF\xBF\xBD and "
                 "&quot;quote&quot;\">") != std::string::npos);
  CHECK(got.find("<system-out>+00:00:00  mx  mta  &lt;&lt;&lt; 451 4.7.1 &lt;try later&gt; &amp; &apos;again&apos;"
                 "</system-out>") != std::string::npos);
  CHECK(got.find('\x01') == std::string::npos);
  CHECK(got.find('\xff') == std::string::npos);
}

TEST_CASE("an empty run is a valid, empty suite") {
  CHECK(sim::report::junit_xml({}) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuite name=\"mailsim\" tests=\"0\" failures=\"0\" errors=\"0\" time=\"0\">\n</testsuite>\n");
}

TEST_CASE("the written file is well-formed XML that keeps the message text") {
  if (!report_test::have_python3()) {
    WARN("python3 not found: well-formedness not checked");
    return;
  }
  scratch_dir dir("junit_wellformed");
  auto cases = mixed_cases();
  cases[1].message = "line one\nline two\t\"tabbed\" <&>";
  auto file = dir.path / "junit.xml";
  sim::report::write_junit(file, cases);
  auto out = dir.path / "message.txt";
  std::string command = "python3 -c \"import xml.dom.minidom,sys; d=xml.dom.minidom.parse(sys.argv[1]); "
                        "open(sys.argv[2],'w').write(d.getElementsByTagName('failure')[0].getAttribute('message')"
                        ")\" '" + file.string() + "' '" + out.string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  CHECK(sim::report::read_file(out) == std::string("line one\nline two\t\"tabbed\" <&>"));
}

TEST_CASE("a document with broken markup is caught by the well-formedness check") {
  // The check above must be able to fail: the same command on a broken file.
  if (!report_test::have_python3()) return;
  scratch_dir dir("junit_broken");
  auto file = dir.path / "broken.xml";
  sim::report::write_file(file, "<testsuite><testcase name=\"a&b\"/></testsuite>\n");
  std::string command = "python3 -c \"import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])\" '" +
                        file.string() + "' 2>/dev/null";
  CHECK(std::system(command.c_str()) != 0);
}
