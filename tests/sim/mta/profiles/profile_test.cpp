// The profiles: each one's attempt times over its queue lifetime, its delay
// warning, its words for a failure and its DSN's form (read back with
// parse_dsn; tests/sim/mta/profiles/check_dsn_email.py reads the same DSNs
// with Python's email package).
#include <catch2/catch.hpp>

#include "sim/message/dsn.hpp"
#include "sim/mta/profiles/profile.hpp"
#include "tests/sim/mta/profiles/dsn_samples.hpp"

using namespace std::chrono_literals;
using namespace sim::mta;

namespace {

// Seconds after arrival of every attempt of a message that always fails.
std::vector<long long> schedule_of(const profile& p) {
  const auto t0 = sim::at_millis(0);
  std::vector<long long> out;
  for (auto t : attempt_schedule(p.queue_defaults(), t0))
    out.push_back(std::chrono::duration_cast<std::chrono::seconds>(t - t0).count());
  return out;
}

std::vector<long long> every(long long from, long long step, long long last) {
  std::vector<long long> out;
  for (long long t = from; t <= last; t += step) out.push_back(t);
  return out;
}

std::vector<long long> joined(std::vector<long long> a, const std::vector<long long>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

delivery_problem rcpt_450() {
  delivery_problem p;
  p.host = "mx1.example.org";
  p.ip = "198.51.100.10";
  p.reply = sim::smtp::reply(450, "4.2.0", "<bob@example.org>: Recipient address rejected: Greylisted");
  p.phase = "rcpt";
  p.rcpt = "bob@example.org";
  p.sender = "alice@sender.test";
  p.helo = "mail.sender.test";
  return p;
}

// The text with every run of white space (line breaks of wrapped and
// folded lines among them) made one space.
std::string flat(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (!space) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  return out;
}

}  // namespace

TEST_CASE("profiles: postfix retries at its age, clamped to 300..4000 s, on 300 s queue runs, for 5 days") {
  // 0, then the age doubles (300, 600, 1200, 2400, 4800) until 4000 s caps
  // the wait: due 4000 s after each attempt, taken by the next 300 s run (4200 s).
  auto want = joined({0, 300, 600, 1200, 2400, 4800}, every(9000, 4200, 433200));
  CHECK(schedule_of(postfix_profile()) == want);
  CHECK(want.back() >= 5 * 86400);  // the attempt past the lifetime bounces
  CHECK_FALSE(delay_warning_at(postfix_profile().queue_defaults(), sim::at_millis(0), false));
  CHECK(postfix_profile().delivery_defaults() == delivery_settings{.mx_address_limit = 5, .mx_session_limit = 2, .next_mx_on_soft_error = true, .pipeline_data = true, .null_mx_status = "5.1.0"});  // DATA pipelined (smtp_proto.c)
}

TEST_CASE("profiles: exim follows F,2h,15m; G,16h,1h,1.5; F,4d,6h on 30-minute queue runs and times out after 4 days") {
  std::vector<long long> want = every(0, 1800, 9000);  // 15m rule, but runs only every 30m
  for (long long t : {12600, 18000, 27000, 39600, 59400}) want.push_back(t);  // G: 1h, 1.5h, 2.25h, 3.4h, 5.1h
  want = joined(want, every(81000, 21600, 361800));  // F,6h past 16h; 361800 is the first past 4d
  CHECK(schedule_of(exim_profile()) == want);
  CHECK(delay_warning_at(exim_profile().queue_defaults(), sim::at_millis(0), false) == sim::at_millis(0) + 24h);
  CHECK(exim_profile().delivery_defaults().next_mx_on_soft_error);
}

TEST_CASE("profiles: sendmail tries at every 30-minute queue run for 5 days, warns after 4 hours") {
  CHECK(schedule_of(sendmail_profile()) == every(0, 1800, 432000));
  CHECK(delay_warning_at(sendmail_profile().queue_defaults(), sim::at_millis(0), false) == sim::at_millis(0) + 4h);
  CHECK_FALSE(sendmail_profile().delivery_defaults().next_mx_on_soft_error);
}

TEST_CASE("profiles: opensmtpd retries at 400 s times the step squared and expires at 4 days without another attempt") {
  std::vector<long long> want;
  for (long long n = 0; 400 * n * n < 4 * 86400; ++n) want.push_back(400 * n * n);
  CHECK(schedule_of(opensmtpd_profile()) == want);
  CHECK(want.back() == 336400);
  CHECK(delay_warning_at(opensmtpd_profile().queue_defaults(), sim::at_millis(0), false) == sim::at_millis(0) + 4h);
  CHECK_FALSE(opensmtpd_profile().delivery_defaults().next_mx_on_soft_error);
}

TEST_CASE("profiles: each says a 450 at RCPT and a refused connection in its own words") {
  auto p = rcpt_450();
  CHECK(postfix_profile().describe(p) ==
        "host mx1.example.org[198.51.100.10] said: 450 4.2.0 <bob@example.org>: Recipient address rejected: "
        "Greylisted (in reply to RCPT TO command)");
  CHECK(exim_profile().describe(p) ==
        "host mx1.example.org [198.51.100.10]: SMTP error from remote mail server after RCPT TO:<bob@example.org>: "
        "450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted");
  CHECK(sendmail_profile().describe(p) == "Deferred: 450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted");
  CHECK(opensmtpd_profile().describe(p) == "450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted");
  p.what = delivery_problem::kind::refused;
  p.reply.reset();
  p.phase = "connect";
  CHECK(postfix_profile().describe(p) == "connect to mx1.example.org[198.51.100.10]:25: Connection refused");
  CHECK(exim_profile().describe(p) == "host mx1.example.org [198.51.100.10]: Connection refused");
  CHECK(sendmail_profile().describe(p) == "Deferred: Connection refused by mx1.example.org.");
  CHECK(opensmtpd_profile().describe(p) == "Network error on destination MXs");
  p.what = delivery_problem::kind::lost;
  p.phase = "dot";
  CHECK(postfix_profile().describe(p) == "lost connection with mx1.example.org[198.51.100.10] while sending end of data "
                                         "-- message may be sent more than once");
}

TEST_CASE("profiles: a multi-line reply is logged with every line as on the wire") {
  auto p = rcpt_450();
  p.reply = sim::smtp::reply(550, "5.7.26", std::vector<std::string>{"Unauthenticated email is not accepted", "See the sender guidelines"});
  p.phase = "dot";
  CHECK(postfix_profile().describe(p) ==
        "host mx1.example.org[198.51.100.10] said: 550-5.7.26 Unauthenticated email is not accepted 550 5.7.26 See the "
        "sender guidelines (in reply to end of DATA command)");
}

TEST_CASE("profiles: postfix's DSN is a multipart/report; smtp; only for a server's reply, X-Postfix; for its own words") {
  for (bool refused : {false, true}) {
    INFO("refused " << refused);
    const std::string raw = flat(postfix_profile().compose_dsn(test::sample_dsn_input(postfix_profile(), false, refused)));
    auto report = sim::message::parse_dsn(postfix_profile().compose_dsn(test::sample_dsn_input(postfix_profile(), false, refused)));
    REQUIRE(report);
    REQUIRE(report->recipients.size() == 1);
    const auto& r = report->recipients[0];
    CHECK(r.action == "failed");
    CHECK(raw.find("Content-Type: multipart/report; report-type=delivery-status; boundary=") != std::string::npos);
    CHECK(raw.find("Subject: Undelivered Mail Returned to Sender") != std::string::npos);
    CHECK(raw.find("X-Postfix-Queue-ID: 4ABCDEF") != std::string::npos);
    if (refused) {
      CHECK(raw.find("Diagnostic-Code: X-Postfix; connect to mx1.example.org[198.51.100.10]:25: Connection") !=
            std::string::npos);
      CHECK(raw.find("<bob@example.org>: connect to mx1.example.org[198.51.100.10]:25: Connection refused") !=
            std::string::npos);
    } else {
      CHECK(raw.find("Diagnostic-Code: smtp; 550 5.1.1") != std::string::npos);
      CHECK(r.remote_mta == "mx1.example.org");
      CHECK(raw.find("(in reply to RCPT TO command)") != std::string::npos);
    }
  }
}

TEST_CASE("profiles: a delay warning says so in each profile's form, with Action delayed") {
  for (auto name : profile_names()) {
    INFO(name);
    const std::string raw = find_profile(name)->compose_dsn(test::sample_dsn_input(*find_profile(name), true, false));
    auto report = sim::message::parse_dsn(raw);
    REQUIRE(report);
    REQUIRE(report->recipients.size() == 1);
    CHECK(report->recipients[0].action == "delayed");
  }
  CHECK(postfix_profile().compose_dsn(test::sample_dsn_input(postfix_profile(), true, false)).find("Subject: Delayed Mail (still being retried)") !=
        std::string::npos);
}

TEST_CASE("profiles: opensmtpd's DSN is a multipart/mixed, a counter-example parse_dsn still reads") {
  const std::string raw = opensmtpd_profile().compose_dsn(test::sample_dsn_input(opensmtpd_profile(), false, false));
  CHECK(raw.find("Content-Type: multipart/mixed;") != std::string::npos);
  CHECK(raw.find("Diagnostic-Code") == std::string::npos);
  auto report = sim::message::parse_dsn(raw);
  REQUIRE(report);
  CHECK(report->recipients.at(0).status == "5.1.1");
}

TEST_CASE("profiles: expiry reasons as each MTA words them") {
  dsn_subject last{"bob@example.org", "", "4.4.1", "connect to mx1.example.org[198.51.100.10]:25: Connection refused",
                   "", "", "connect", ""};
  CHECK(postfix_profile().expired(last, 120h).reason == last.reason);
  CHECK(exim_profile().expired(last, 96h).reason.ends_with(": retry timeout exceeded"));
  CHECK(sendmail_profile().expired(last, 120h).reason == "Cannot send message for 5 days");
  CHECK(opensmtpd_profile().expired(last, 96h).status == "5.4.7");
}

TEST_CASE("profiles: by name, postfix the default, unknown names refused") {
  CHECK(&default_profile() == &postfix_profile());
  CHECK(profile_names() == std::vector<std::string_view>{"postfix", "exim", "sendmail", "opensmtpd"});
  for (auto n : profile_names()) CHECK(find_profile(n)->name() == n);
  CHECK(find_profile("qmail") == nullptr);
}
