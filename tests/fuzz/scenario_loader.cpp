// scenario_loader: sim/scenario's loader, fed any scenario file text.
//
// Input: the file (JSON with comments).  Relative dns_files are read from
// tests/sim/scenario/data/, so "example.zone" names a real master file.
//
// Invariants: load_from_string() gives a scenario or throws load_error
// (never another exception, which the CLI would report as an internal
// error): one line naming the file; a scenario's hosts are unique and in
// name order, host names and IPs canonical, its timeline in time order with
// file positions that exist, and every DNS entry is a record whose
// presentation form reads back as itself; loading twice gives the same.
#include <string>

#include "fake_dns/address.hpp"
#include "sim/scenario/loader.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::scenario;

namespace {

const std::filesystem::path& data_dir() {
  static const std::filesystem::path dir = std::filesystem::path(MAILSIM_SOURCE_DIR) / "tests/sim/scenario/data";
  return dir;
}

std::string summary(const scenario& s) {
  std::string out = s.id + "|" + s.title + "|" + std::to_string(s.seed) + "|";
  for (const auto& h : s.hosts) out += h.name + "=" + h.ip + ",";
  for (const auto& d : s.dns) out += d.record.to_string() + ",";
  out += std::to_string(s.timeline.size()) + "|" + std::to_string(s.expect.size());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  scenario s;
  try {
    s = load_from_string(text, "fuzz.json", data_dir());
  } catch (const load_error& e) {
    std::string_view what = e.what();
    fuzz::check(what.starts_with("fuzz.json"), "a load error names the file", what);
    fuzz::check(what.find('\n') == std::string_view::npos, "a load error is one line", what);
    return 0;
  } catch (const std::exception& e) {
    fuzz::fail("only load_error escapes the loader", e.what());
  }
  for (std::size_t i = 0; i < s.hosts.size(); ++i) {
    const auto& h = s.hosts[i];
    if (i > 0) fuzz::check(s.hosts[i - 1].name < h.name, "hosts unique and in name order", h.name);
    for (char c : h.name) fuzz::check(!(c >= 'A' && c <= 'Z'), "host names in lower case", h.name);
    fuzz::check(dns::canonical_ip(h.ip) == h.ip, "host addresses canonical", h.ip);
  }
  for (std::size_t i = 0; i < s.timeline.size(); ++i) {
    if (i > 0) fuzz::check(s.timeline[i - 1].at <= s.timeline[i].at, "the timeline in time order");
    fuzz::check(s.timeline[i].index < s.timeline.size(), "timeline positions exist");
  }
  for (const auto& d : s.dns) {
    std::string shown = d.record.to_string();
    try {
      fuzz::check(dns::parse_record(shown) == d.record, "a DNS entry reads back as itself", shown);
    } catch (const dns::parse_error& e) {
      fuzz::fail("a DNS entry's presentation form parses", shown + " : " + e.what());
    }
  }
  fuzz::check(summary(load_from_string(text, "fuzz.json", data_dir())) == summary(s), "loading is deterministic");
  return 0;
}
