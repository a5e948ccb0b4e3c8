// sim/scenario/loader.cpp - scenario files: JSON with comments in, a
// validated scenario out (scenario-format.md, version 1).
#include "sim/scenario/loader.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "fake_dns/master_file.hpp"
#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario {
namespace {

using detail::node;
using detail::quote;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string read_id(const node& n) {
  std::string id = n.as_string();
  bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!ok) n.fail(fmt::format("{} is not a scenario id (lower-case letters, digits and '-')", quote(id)));
  return id;
}

std::string read_title(const node& n) {
  std::string title = n.as_string();
  if (title.empty() || title.find('\n') != std::string::npos) n.fail("the title must be one non-empty line");
  return title;
}

// Each master file's records join the scenario's own `dns` records.
void read_dns_files(const node& n, const std::filesystem::path& base_dir, scenario& s) {
  for (const auto& item : n.as_array()) {
    std::string written = item.as_string();
    if (written.empty()) item.fail("expected a file name, got \"\"");
    auto path = (base_dir / written).lexically_normal();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) item.fail(fmt::format("{}: no such file ({})", quote(written), path.string()));
    try {
      for (auto& rr : dns::parse_master_file(read_file(path), path.string())) {
        std::string text = rr.to_string();
        s.dns.push_back({std::move(rr), std::move(text)});
      }
    } catch (const dns::parse_error& e) {
      item.fail(e.what());
    }
    s.dns_files.push_back(path.string());
  }
}

scenario read_scenario(const json& document, std::string_view name, const std::filesystem::path& base_dir) {
  node root(name, document, "");
  auto r = root.as_object({"scenario", "title", "description", "seed", "profile", "dns_cache", "tls",
                           "smtp_tls_security_level", "start", "until", "dns",
                           "dns_files", "hosts", "timeline", "expect"});
  scenario s;
  s.id = read_id(r.at("scenario"));
  s.title = read_title(r.at("title"));
  if (auto n = r.find("description")) s.description = n->as_string();
  if (auto n = r.find("seed")) s.seed = n->as_uint();
  if (auto n = r.find("profile")) {
    s.profile = detail::read_profile_name(*n);
    s.profile_named = true;
  }
  if (auto n = r.find("dns_cache")) s.dns_cache = n->as_bool();
  if (auto n = r.find("tls")) s.tls = detail::read_tls_mode(*n);
  if (auto n = r.find("smtp_tls_security_level")) s.tls_level = detail::read_tls_level(*n);
  s.start = scenario::default_start();
  if (auto n = r.find("start")) {
    auto text = n->as_string();
    auto t = sim::parse_rfc3339(text);
    if (!t) n->fail(fmt::format("{} is not an RFC 3339 UTC time (\"2026-01-05T09:00:00Z\")", quote(text)));
    s.start = *t;
  }
  if (auto n = r.find("until")) {
    s.until = n->as_duration();
    if (*s.until <= sim::duration::zero()) n->fail("the stop time must be after the start");
  }
  if (auto n = r.find("dns"))
    for (const auto& item : n->as_array()) s.dns.push_back(detail::read_record(item));
  if (auto n = r.find("dns_files")) read_dns_files(*n, base_dir, s);
  s.hosts = detail::read_hosts(r.at("hosts"), s, base_dir);
  if (auto n = r.find("timeline")) s.timeline = detail::read_timeline(*n, s, base_dir);
  if (auto n = r.find("expect")) s.expect = detail::read_expect(*n, s);
  return s;
}

}  // namespace

scenario load_from_string(std::string_view text, std::string_view display_name, const std::filesystem::path& base_dir) {
  json document = detail::parse_document(text, display_name);
  return read_scenario(document, display_name, base_dir);
}

action load_action(std::string_view key, const json& value, const scenario& s, std::string_view display_name) {
  return detail::read_one_action(std::string(key), detail::node(display_name, value, ""), s, std::filesystem::path());
}

std::vector<expectation> load_expectations(const json& value, const scenario& s, std::string_view display_name) {
  return detail::read_expect(detail::node(display_name, value, ""), s);
}

scenario load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw load_error(fmt::format("{}: cannot be read", path.string()));
  std::ostringstream content;
  content << in.rdbuf();
  return load_from_string(content.str(), path.string(), path.parent_path());
}

}  // namespace sim::scenario
