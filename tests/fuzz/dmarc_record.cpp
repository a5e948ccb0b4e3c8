// dmarc_record: sim/auth's DMARC policy records (RFC 7489 §6.3, §6.4), as DNS may hold them.
//
// Input: the TXT record's text.
//
// Invariants: a record or an error, never both, never a throw; a record
// starts with v=DMARC1; pct lies in 0..100; fo= and rf= are never empty; a
// p= assumed (missing or bad) comes only with a rua= to report to; every
// warning names a tag.
#include <string>

#include "sim/auth/dmarc_record.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::auth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto got = parse_dmarc_record(text);
  fuzz::check(got.record.has_value() == got.error.empty(), "a record or an error, not both", text);
  if (!got.record) return 0;
  const auto& r = *got.record;
  fuzz::check(is_dmarc_record(text), "a record starts with v=DMARC1", text);
  fuzz::check(r.pct >= 0 && r.pct <= 100, "pct within 0..100", text);
  fuzz::check(!r.fo.empty() && !r.rf.empty(), "fo= and rf= never empty", text);
  if (r.p_assumed) fuzz::check(!r.rua.empty(), "p=none is assumed only for a rua= to report to", text);
  for (const auto& w : r.warnings)
    fuzz::check(w.find('=') != std::string::npos || w.find(':') != std::string::npos, "a warning names a tag", w);
  (void)policy_name(r.p);
  if (r.sp) (void)policy_name(*r.sp);
  return 0;
}
