// sim/policy/auth_result.cpp - result words (RFC 8601 section 2.7.1, RFC 7489 section 11.2).
#include "sim/policy/auth_result.hpp"

namespace sim::policy {

std::string_view dkim_result_name(dkim_result result) {
  switch (result) {
    case dkim_result::none: return "none";
    case dkim_result::pass: return "pass";
    case dkim_result::fail: return "fail";
    case dkim_result::policy: return "policy";
    case dkim_result::neutral: return "neutral";
    case dkim_result::temperror: return "temperror";
    case dkim_result::permerror: return "permerror";
  }
  return "none";
}

std::string_view dmarc_result_name(dmarc_result result) {
  switch (result) {
    case dmarc_result::none: return "none";
    case dmarc_result::pass: return "pass";
    case dmarc_result::fail: return "fail";
    case dmarc_result::temperror: return "temperror";
    case dmarc_result::permerror: return "permerror";
  }
  return "none";
}

std::string_view dmarc_disposition_name(dmarc_disposition disposition) {
  switch (disposition) {
    case dmarc_disposition::none: return "none";
    case dmarc_disposition::quarantine: return "quarantine";
    case dmarc_disposition::reject: return "reject";
  }
  return "none";
}

}  // namespace sim::policy
