// sim/mta/rate_limits.cpp - the receiving host's rate limits (policy.rate_limit).
//
// A client over a connection limit hears the limit's reply instead of the
// greeting (Postfix smtpd_client_connection_count_limit: 421 4.7.0); a
// client or sender domain over a message limit hears the limit's reply at
// RCPT (Gmail's 421 4.7.28 closes the session, RFC 5321 section 3.8).
// Trusted (mynetworks), authenticated, whitelisted and allowed clients are
// not limited.  A message counts once it is accepted (250 after the dot).
#include "sim/message/text.hpp"
#include "sim/mta/mta.hpp"
#include "sim/mta/mta_client_info.hpp"

namespace sim::mta {
namespace {

smtp::reply limit_reply(const policy::reply& r) {
  std::vector<std::string> lines{r.text};
  lines.insert(lines.end(), r.more_lines.begin(), r.more_lines.end());
  return smtp::reply(r.code, r.enhanced, std::move(lines));
}

std::string sender_domain(const std::optional<smtp::mailbox>& reverse_path) {
  return reverse_path ? message::to_lower(reverse_path->domain) : std::string();
}

}  // namespace

// Whether the client is exempt from every rate limit.
static bool exempt(const mta_config& config, const auto& client) {
  if (client.trusted || client.authenticated) return true;
  if (client.access && client.access->action == policy::access_action::allow) return true;
  auto ip = policy::parse_ip(client.conn.client.ip);
  return !ip || policy::contains_any(config.policy.whitelist, *ip);
}

std::optional<smtp::reply> mta::open_rate_limited(client_info& client) {
  if (exempt(config_, client)) return std::nullopt;
  for (std::size_t i = 0; i < rate_limits_.size(); ++i) {
    auto& limiter = rate_limits_[i];
    if (limiter.settings().connections == 0) continue;
    auto r = limiter.open_connection(client.conn.client.ip);
    if (r.reply) {
      policy_event(r.check, r.result, r.detail, client);
      close_rate_limited(client);
      return limit_reply(*r.reply);
    }
    client.rate_connections.push_back(i);
  }
  return std::nullopt;
}

void mta::close_rate_limited(client_info& client) {
  for (auto i : client.rate_connections) rate_limits_[i].close_connection(client.conn.client.ip);
  client.rate_connections.clear();
}

std::optional<smtp::reply> mta::check_rate(const smtp::decision_request& req, client_info& client) {
  if (!client.rate_checked) {
    client.rate_checked = true;
    std::string domain = req.mail ? sender_domain(req.mail->reverse_path) : std::string();
    for (auto& limiter : rate_limits_) {
      if (limiter.settings().messages == 0) continue;
      auto r = limiter.check_message(client.conn.client.ip, domain, svc_.clock.now());
      policy_event(r.check, r.result, r.detail, client);
      if (r.reply) {
        client.rate_refusal = std::move(r);
        break;
      }
    }
  }
  if (client.rate_refusal) return limit_reply(*client.rate_refusal->reply);
  return std::nullopt;
}

void mta::count_rate(const smtp::envelope& env, const client_info& client) {
  if (rate_limits_.empty() || exempt(config_, client)) return;
  std::string domain = sender_domain(env.reverse_path);
  for (auto& limiter : rate_limits_) limiter.count_message(client.conn.client.ip, domain, svc_.clock.now());
}

}  // namespace sim::mta
