// sim/auth/dmarc_eval.cpp - RFC 7489 §6.6.3 policy discovery, then the decision.
#include "sim/auth/dmarc_eval.hpp"

#include <fmt/format.h>

#include "sim/auth/author_domain.hpp"
#include "sim/auth/org_domain.hpp"
#include "sim/message/message.hpp"
#include "sim/message/text.hpp"

namespace sim::auth {

namespace {

struct discovery {
  enum class outcome { found, none, many, failed } status = outcome::none;
  std::string record;
  std::string detail;
};

// §6.6.3 steps 1-2: the TXT records at _dmarc.DOMAIN that start with v=DMARC1.
asio::awaitable<discovery> lookup(dns::resolver& resolver, const std::string& asker, const std::string& name) {
  discovery d;
  auto answer = co_await resolver.query(asker, name, dns::rr_type::TXT);
  if (answer.code != dns::rcode::noerror && answer.code != dns::rcode::nxdomain) {
    d.status = discovery::outcome::failed;
    d.detail = fmt::format("{} for {}", dns::rcode_name(answer.code), name);
    co_return d;
  }
  std::size_t count = 0;
  for (const auto& record : answer.records) {
    if (record.type != dns::rr_type::TXT) continue;
    auto text = dns::txt_joined(record);
    if (!is_dmarc_record(text)) continue;
    ++count;
    d.record = std::move(text);
  }
  d.status = count == 0 ? discovery::outcome::none : count == 1 ? discovery::outcome::found : discovery::outcome::many;
  d.detail = count == 0 ? fmt::format("no DMARC record at {}", name)
                        : fmt::format("{} DMARC record{} at {}", count, count == 1 ? "" : "s", name);
  co_return d;
}

void stop(dmarc_evaluation& e, dmarc_result result, std::string reason) {
  e.result = result;
  e.reason = std::move(reason);
  e.steps.push_back(fmt::format("{}: {}", dmarc_result_name(result), e.reason));
}

}  // namespace

std::vector<std::string> from_fields(std::string_view raw_message) {
  return message::message::parse(raw_message).get_all("From");
}

asio::awaitable<dmarc_evaluation> evaluate_dmarc(dns::resolver& resolver, dmarc_request request) {
  dmarc_evaluation e;
  const auto author = author_domain(request.from_fields);
  if (author.domain.empty()) {
    stop(e, dmarc_result::permerror, author.error);  // §6.6.1
    co_return e;
  }
  e.from_domain = author.domain;
  e.org_domain = organizational_domain(e.from_domain);
  e.steps.push_back(fmt::format("From domain {}, organizational domain {}", e.from_domain, e.org_domain));
  e.record_name = "_dmarc." + e.from_domain;
  auto found = co_await lookup(resolver, request.asker, e.record_name);
  e.steps.push_back(found.detail);
  bool at_org = false;
  // §6.6.3 step 3: nothing at the From domain -> the organizational domain.
  if (found.status == discovery::outcome::none && e.org_domain != e.from_domain) {
    e.record_name = "_dmarc." + e.org_domain;
    found = co_await lookup(resolver, request.asker, e.record_name);
    e.steps.push_back(found.detail);
    at_org = true;
  }
  switch (found.status) {
    case discovery::outcome::failed: stop(e, dmarc_result::temperror, "DNS " + found.detail); co_return e;
    case discovery::outcome::none: stop(e, dmarc_result::none, found.detail); co_return e;
    case discovery::outcome::many:  // §6.6.3 step 5
      stop(e, dmarc_result::none, found.detail + "; DMARC is not applied");
      co_return e;
    case discovery::outcome::found: break;
  }
  e.record_text = found.record;
  e.steps.push_back(fmt::format("record at {}: {}", e.record_name, found.record));
  auto parsed = parse_dmarc_record(found.record);
  if (!parsed.record) {
    stop(e, dmarc_result::permerror, fmt::format("the record at {} is unusable: {}", e.record_name, parsed.error));
    co_return e;
  }
  for (const auto& warning : parsed.record->warnings) e.steps.push_back("record: " + warning);
  decide_dmarc(e, *parsed.record, at_org, request.spf, request.dkim, request.pct_draw);
  co_return e;
}

}  // namespace sim::auth
