// sim/auth/dkim_verify.cpp - the key lookups of DKIM verification (RFC 6376 §3.6.2, §6.1.2).
#include "sim/auth/dkim_verify.hpp"

namespace sim::auth {

key_lookup key_lookup_from(const dns::answer& answer) {
  key_lookup lookup;
  switch (answer.code) {
    case dns::rcode::noerror: break;
    case dns::rcode::nxdomain:
      lookup.status = key_lookup::outcome::absent;
      lookup.detail = "NXDOMAIN";
      return lookup;
    default:  // §6.1.2: the query failed to respond -> TEMPFAIL
      lookup.status = key_lookup::outcome::failed;
      lookup.detail = std::string(dns::rcode_name(answer.code));
      return lookup;
  }
  for (const auto& record : answer.records)
    if (record.type == dns::rr_type::TXT) lookup.records.push_back(dns::txt_joined(record));
  lookup.status = lookup.records.empty() ? key_lookup::outcome::absent : key_lookup::outcome::found;
  if (lookup.records.empty()) lookup.detail = "no TXT record";
  return lookup;
}

asio::awaitable<std::vector<dkim_verification>> verify_dkim(dns::resolver& resolver, dkim_request request) {
  auto checks = check_signatures(request.message, request.now, request.options);
  std::vector<dkim_verification> out;
  for (auto& check : checks.items) {
    if (!check.settled()) {
      auto answer = co_await resolver.query(request.asker, check.verification.key_name, dns::rr_type::TXT);
      finish_check(checks, check, key_lookup_from(answer), request.options);
    }
    out.push_back(std::move(check.verification));
  }
  co_return out;
}

}  // namespace sim::auth
