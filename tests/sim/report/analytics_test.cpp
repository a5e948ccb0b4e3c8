// Tests for sim/report/analytics_section and analytics_svg: the report's
// "Delivery analytics" shows the figures of --stats, escapes the world, and
// is absent (or says so) without a campaign.
#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "sim/campaign/analytics.hpp"
#include "sim/campaign/stats_view.hpp"
#include "sim/report/analytics_section.hpp"
#include "sim/report/html.hpp"
#include "support.hpp"

using sim::campaign::campaign_result;
using sim::campaign::delivery_row;

namespace {

// The analytics of an approved run, computed as `mailsim run` does (the
// trace streamed into campaign::analytics), and its last event's time.
std::vector<campaign_result> approved_analytics(const std::string& scenario, const std::string& campaign,
                                                std::int64_t& end) {
  sim::campaign::analytics a({campaign});
  end = 0;
  for (const auto& e : report_test::approved_trace(scenario)) {
    a.observe(sim::json_event_view(e));
    end = std::max<std::int64_t>(end, e["t"].get<std::int64_t>());
  }
  return a.results();
}

// The table's rows: the label (a domain or "all domains") -> metric -> value.
std::map<std::string, std::map<std::string, std::int64_t>> table_cells(const std::string& html) {
  std::map<std::string, std::map<std::string, std::int64_t>> out;
  auto from = html.find("<table class=\"stats\">");
  auto to = html.find("</table>", from);
  REQUIRE(from != std::string::npos);
  std::string table = html.substr(from, to - from);
  static const std::regex row(R"(<tr[^>]*><th scope="row">(?:<code>)?([^<]*)(?:</code>)?</th>(.*?)</tr>)");
  static const std::regex cell(R"re(data-metric="([a-z_0-9]+)" data-value="(\d+)")re");
  for (std::sregex_iterator r(table.begin(), table.end(), row), end; r != end; ++r) {
    std::string cells = (*r)[2];
    auto& m = out[(*r)[1]];
    for (std::sregex_iterator c(cells.begin(), cells.end(), cell); c != end; ++c) m[(*c)[1]] = std::stoll((*c)[2]);
  }
  return out;
}

void check_row(const nlohmann::ordered_json& stats, const std::map<std::string, std::int64_t>& cells) {
  REQUIRE(cells.size() >= 12);  // every count column and the four times
  for (const auto& [metric, value] : cells) {
    INFO(metric);
    if (metric.starts_with("time_to_delivery_")) {
      std::string key = metric.substr(17, 3);  // "p50", "max"
      CHECK(stats["time_to_delivery_ms"][key].get<std::int64_t>() == value);
    } else {
      CHECK(stats[metric].get<std::int64_t>() == value);
    }
  }
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("analytics section: the table holds the figures of --stats for newsletter-direct") {
  std::int64_t end = 0;
  auto results = approved_analytics("newsletter-direct", "june", end);
  REQUIRE(results.size() == 1);
  auto stats = sim::campaign::to_json(results)["campaigns"][0];  // what --stats writes
  std::string html = sim::report::analytics_html(results, end, 1160);
  auto cells = table_cells(html);
  REQUIRE(cells.size() == stats["domains"].size() + 1);
  for (const auto& d : stats["domains"]) {
    INFO(d["domain"].get<std::string>());
    check_row(d, cells.at(d["domain"].get<std::string>()));
  }
  check_row(stats["total"], cells.at("all domains"));
  // The lead-in, the reasons, the listing: the same numbers in words.
  const delivery_row& t = results[0].total;
  CHECK(html.find(fmt::format("Of {} recipients, {} (", t.sent, t.inbox)) != std::string::npos);
  CHECK(html.find(fmt::format("<td data-value=\"{}\">", t.bounce_reasons[0].count)) != std::string::npos);
  REQUIRE(results[0].listings.size() == 1);
  CHECK(html.find("<svg class=\"periods\"") != std::string::npos);
  CHECK(html.find(">192.0.2.25 on bl.example</text>") != std::string::npos);
  CHECK(html.find("<path class=\"cdf\"") != std::string::npos);
  // The bars account for every recipient.
  std::uint64_t parts = 0;
  for (const auto& p : sim::report::outcome_parts(t)) parts += p.count;
  CHECK(parts == t.sent);
}

TEST_CASE("analytics section: the whole page has it after the glance for a campaign run only") {
  std::int64_t end = 0;
  sim::report::report_input in;
  in.scenario.id = "newsletter-direct";
  in.summary = "0 passed, 0 failed";
  std::istringstream empty("");
  std::string without = sim::report::report_html(in, empty);
  CHECK(without.find("id=\"analytics\"") == std::string::npos);
  CHECK(without.find("href=\"#analytics\"") == std::string::npos);
  in.campaigns = approved_analytics("newsletter-direct", "june", end);
  std::istringstream none("");
  std::string with = sim::report::report_html(in, none);
  auto glance = with.find("<section id=\"glance\">"), analytics = with.find("<section id=\"analytics\">"),
       map = with.find("<section id=\"map\">");
  REQUIRE(analytics != std::string::npos);
  CHECK(glance < analytics);
  CHECK(analytics < map);
  CHECK(with.find("<dt id=\"g-hard-bounce\">") != std::string::npos);
  CHECK(with.find("<dt id=\"g-spam-trap\">") != std::string::npos);
  CHECK(with.find("<a class=\"g\" href=\"#g-hard-bounce\">hard bounce</a>") != std::string::npos);
}

TEST_CASE("analytics section: a bounce text with a script and hostile domains are escaped") {
  campaign_result c;
  c.id = "<i>spring</i>";
  delivery_row d;
  d.domain = "<b>evil.example";
  d.sent = 2;
  d.bounced_hard = 1;
  d.inbox = 1;
  d.time_to_delivery = {1, 5, 5, 5, 5, std::vector<std::int64_t>(21, 5)};
  d.bounce_reasons = {{"5.7.1\"><script>", 1, "550 5.7.1 <script>alert(1)</script> & more"}};
  c.domains = {d};
  c.total = d;
  c.total.domain = "";
  c.listings = {{"<zone>", "<ip>", 1000, std::nullopt}};
  std::string html = sim::report::analytics_html({c}, 5000, 1160);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("<i>") == std::string::npos);
  CHECK(html.find("<zone>") == std::string::npos);
  CHECK(html.find("550 5.7.1 &lt;script&gt;alert(1)&lt;/script&gt; &amp; more") != std::string::npos);
  CHECK(html.find("<code>&lt;b&gt;evil.example</code>") != std::string::npos);
  CHECK(html.find("rect class=\"p-listed open\"") != std::string::npos);  // still listed at the end
  // In the page, the only script is the page's own.
  sim::report::report_input in;
  in.campaigns = {c};
  std::istringstream none("");
  std::string page = sim::report::report_html(in, none);
  CHECK(occurrences(page, "<script") == 1);
}

TEST_CASE("analytics section: no campaign and a campaign that sent nothing") {
  CHECK(sim::report::analytics_html({}, 0, 1160) == "<p>This run sent no campaign.</p>\n");
  campaign_result c;
  c.id = "quiet";
  std::string html = sim::report::analytics_html({c}, 0, 1160);
  CHECK(html.find("Campaign quiet wrote to no recipient during the run.") != std::string::npos);
  CHECK(html.find("No recipient bounced.") != std::string::npos);
  CHECK(html.find("No DNSBL listed a sending IP, and no receiver judged the sender worse than accept, during the run.") != std::string::npos);
  CHECK(html.find("class=\"curve\"") == std::string::npos);
  CHECK(html.find("<td class=\"tm zero\">") != std::string::npos);
  CHECK(sim::report::delivery_curve_svg({}, 600).empty());
  CHECK(sim::report::periods_svg({}, 1000, 600).empty());
}

TEST_CASE("analytics section: listings become one row per zone and address") {
  std::vector<sim::campaign::listing> listings = {{"bl.example", "192.0.2.25", 1000, 5000},
                                                  {"bl.example", "192.0.2.25", 9000, std::nullopt},
                                                  {"other.example", "192.0.2.25", 2000, 3000}};
  auto rows = sim::report::listing_rows(listings);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].label == "192.0.2.25 on bl.example");
  REQUIRE(rows[0].spans.size() == 2);
  CHECK_FALSE(rows[0].spans[1].to);
  std::string svg = sim::report::periods_svg(rows, 4000, 800);
  CHECK(occurrences(svg, "<rect class=\"p-listed") == 3);
  CHECK(occurrences(svg, "<rect class=\"p-listed open\"") == 1);
  // The axis stretches to the last period: the open one ends with the run at 9s.
  CHECK(svg.find("from +00:00:09 to the end of the run") != std::string::npos);
}

TEST_CASE("analytics section: reputation periods become one row per receiving host and sender after the listings") {
  sim::campaign::campaign_result c;
  c.id = "spring";
  c.listings = {{"bl.example", "192.0.2.25", 1000, 5000}};
  c.reputation = {{"mx.mail.example", "ip", "192.0.2.25", "junk", 2000, 4000},
                  {"mx.mail.example", "ip", "192.0.2.25", "block", 4000, std::nullopt},
                  {"mx.mail.example", "domain", "shop.test", "junk", 2500, std::nullopt}};
  auto rows = sim::report::campaign_period_rows(c);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].label == "192.0.2.25 on bl.example");
  CHECK(rows[1].label == "192.0.2.25 at mx.mail.example");
  REQUIRE(rows[1].spans.size() == 2);
  CHECK(rows[1].spans[0].css == "p-junk");
  CHECK(rows[1].spans[1].css == "p-block");
  CHECK(rows[1].spans[1].words == "mx.mail.example puts the sending ip at block");
  CHECK(rows[2].label == "shop.test at mx.mail.example");
  std::string svg = sim::report::periods_svg(rows, 6000, 800);
  CHECK(occurrences(svg, "<rect class=\"p-junk") == 2);
  CHECK(occurrences(svg, "<rect class=\"p-block open\"") == 1);
}
