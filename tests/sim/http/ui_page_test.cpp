// The web UI page: self-contained, its script allowed by hash, world data only ever inserted as text.
#include <catch2/catch.hpp>

#include <openssl/sha.h>

#include <regex>

#include "sim/http/assets.hpp"
#include "sim/message/mime.hpp"

using namespace sim::http;

namespace {

std::string script_of(std::string_view page) {
  auto open = page.find("<script>");
  auto close = page.find("</script>");
  REQUIRE(open != std::string_view::npos);
  REQUIRE(close != std::string_view::npos);
  return std::string(page.substr(open + 8, close - open - 8));
}

}  // namespace

TEST_CASE("the Content-Security-Policy allows exactly the page's script, by its SHA-256") {
  auto page = assets::ui_page();
  auto script = script_of(page);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(script.data()), script.size(), digest);
  auto hash = sim::message::base64_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest), 0);
  std::string policy(assets::ui_policy());
  CHECK(policy.find("script-src 'sha256-" + hash + "'") != std::string::npos);
  CHECK(policy.starts_with("default-src 'none';"));
  CHECK(policy.find("connect-src 'self'") != std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(policy.find("unsafe-eval") == std::string::npos);
  CHECK(policy.find("script-src 'unsafe-inline'") == std::string::npos);
}

TEST_CASE("the page loads nothing from anywhere: no external URL, one script, one style") {
  std::string page(assets::ui_page());
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("//cdn") == std::string::npos);
  std::regex src_or_href(R"re((src|href)\s*=\s*"([^"]*)")re");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), src_or_href); it != std::sregex_iterator(); ++it) {
    auto target = (*it)[2].str();
    INFO(target);
    CHECK((target.starts_with("#") || target == "data:,"));
  }
  std::size_t scripts = 0, styles = 0;
  for (auto at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1)) ++scripts;
  for (auto at = page.find("<style"); at != std::string::npos; at = page.find("<style", at + 1)) ++styles;
  CHECK(scripts == 1);
  CHECK(styles == 1);
}

TEST_CASE("the script never parses text as HTML: no innerHTML, no document.write, no eval") {
  auto script = script_of(assets::ui_page());
  for (std::string_view sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                                "setTimeout(\"", "createContextualFragment", "DOMParser", "javascript:"}) {
    INFO(sink);
    CHECK(script.find(sink) == std::string::npos);
  }
  // The HTML body goes into a frame with every sandbox restriction, via srcdoc.
  CHECK(script.find("frame.setAttribute(\"sandbox\", \"\")") != std::string::npos);
  CHECK(script.find("frame.srcdoc = html") != std::string::npos);
  CHECK(script.find("allow-scripts") == std::string::npos);
  CHECK(script.find("allow-same-origin") == std::string::npos);
}
