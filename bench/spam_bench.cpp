// bench_spam - cost of the content filter (sim/policy/spam_filter).
//
// Scores, with the built-in rules and two scenario rules (one header, one
// body), a 1 KB multipart/alternative note with links, a 1 MB one (a 500 KB
// text part and a 500 KB HTML part, both beyond the scan caps), and a 10 MB
// body against the adversarial rule (a*)*b.  Also the raw regex engine on
// 10 MB of "a": (a*)*b and (a|a)*b, which a backtracking matcher never
// finishes, (.*a){3}, and an alternation of phrases as the built-in rules use.
//   bench_spam [iterations-1KB] [iterations-1MB]
#include <cstdlib>
#include <string>

#include "bench_util.hpp"
#include "sim/policy/regex.hpp"
#include "sim/policy/spam_filter.hpp"

namespace {

std::string message_of(std::size_t text_bytes) {
  std::string line = "The quarterly figures are in the shared folder; see https://docs.example.org/q3 for details.\r\n";
  std::string text, html = "<html><body>";
  while (text.size() < text_bytes) text += line;
  while (html.size() < text_bytes)
    html += "<p>The quarterly figures are in the shared folder; see <a href=\"https://docs.example.org/q3\">the "
            "report</a> for details.</p>\r\n";
  return "Date: Mon, 05 Jan 2026 09:00:00 +0000\r\nFrom: Alice Martin <alice@example.org>\r\n"
         "To: Bob Stone <bob@example.net>\r\nSubject: Quarterly figures\r\nMessage-ID: <1.2@example.org>\r\n"
         "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
         "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text +
         "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "</body></html>\r\n--b--\r\n";
}

sim::policy::spam_config config_with_rules() {
  sim::policy::spam_config c;
  c.rules.push_back({"ADVERSARIAL", std::nullopt, true, "(a*)*b", 1.0, std::nullopt});
  c.rules.push_back({"MAILER", "X-Mailer", false, "(?i)^bulk", 1.0, std::nullopt});
  return c;
}

void score_many(const sim::policy::spam_filter& filter, const std::string& raw, std::size_t n, const char* what) {
  int total = 0;
  const double s = bench::seconds_for([&] {
    for (std::size_t i = 0; i < n; ++i) total += filter.score(raw, {}).score;
  });
  bench::report(what, static_cast<double>(n), s);
  std::printf("%-40s %12.1f us per message (%zu bytes, score %d)\n", "", 1e6 * s / static_cast<double>(n),
              raw.size(), total / static_cast<int>(n));
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t small_n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20'000;
  const std::size_t large_n = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 100;
  const sim::policy::spam_filter filter(config_with_rules());

  score_many(filter, message_of(400), small_n, "spam: 1 KB messages scored");
  score_many(filter, message_of(500 * 1024), large_n, "spam: 1 MB messages scored");

  const std::string as(10 * 1024 * 1024, 'a');
  const std::string adversarial = "Subject: x\r\n\r\n" + as;
  score_many(filter, adversarial, 3, "spam: 10 MB body, rule (a*)*b");

  bool wrong = false;  // only (.*a){3} matches a run of "a"
  for (const char* pattern : {"(a*)*b", "(a|a)*b", "(.*a){3}", "(?i)\\b(?:act now|wire transfer|you have won)\\b"}) {
    const auto re = sim::policy::regex::compile(pattern);
    bool hit = false;
    const double s = bench::seconds_for([&] { hit = re->found_in(as); });
    wrong = wrong || hit != (pattern[1] == '.');
    std::printf("regex %-50s %7.3f s on 10 MB of \"a\" (%.0f MB/s), %s\n", pattern, s, 10.0 / s,
                hit ? "match" : "no match");
  }
  return wrong ? 1 : 0;
}
