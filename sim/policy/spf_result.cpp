// sim/policy/spf_result.cpp - result keywords (RFC 7208 section 2.6).
#include "sim/policy/spf_result.hpp"

namespace sim::policy {

std::string_view spf_result_name(spf_result result) {
  switch (result) {
    case spf_result::none: return "none";
    case spf_result::neutral: return "neutral";
    case spf_result::pass: return "pass";
    case spf_result::fail: return "fail";
    case spf_result::softfail: return "softfail";
    case spf_result::temperror: return "temperror";
    case spf_result::permerror: return "permerror";
  }
  return "none";
}

}  // namespace sim::policy
