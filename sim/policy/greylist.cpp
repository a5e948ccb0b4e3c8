// sim/policy/greylist.cpp - RFC 6647 greylisting with postgrey's timings.
#include "sim/policy/greylist.hpp"

#include <fmt/format.h>

#include "sim/core/ascii.hpp"

namespace sim::policy {
namespace {

// Whole seconds still to wait, rounded up so a client that waits them is let in.
long long seconds_left(sim::duration left) {
  auto ms = left.count();
  return (ms + 999) / 1000;
}

}  // namespace

greylist::greylist(greylist_settings settings) : settings_(std::move(settings)) {}

policy::reply greylist::deferral(const ip_address& client, std::string_view sender, std::string_view recipient,
                                 sim::duration left) const {
  auto at = recipient.rfind('@');
  template_vars vars{{"seconds", std::to_string(seconds_left(left))},
                     {"client_address", format_ip(unmap_ipv4(client))},
                     {"sender", std::string(sender)},
                     {"recipient", std::string(recipient)},
                     {"recipient_domain", at == std::string_view::npos ? "" : ascii::to_lower(recipient.substr(at + 1))}};
  return expand(settings_.reply, vars);
}

bool greylist::expired(const entry& e, sim::time_point now) const {
  if (e.confirmed) return now - e.last_seen > settings_.confirmed_lifetime;
  return now - e.first_seen > settings_.retry_window;
}

check_result greylist::check(const ip_address& client, std::string_view sender, std::string_view recipient,
                             sim::time_point now) {
  auto address = unmap_ipv4(client);
  auto triple = fmt::format("({}, <{}>, <{}>)", format_ip(address), sender, recipient);
  if (contains_any(settings_.whitelist, address))
    return {"greylist", "whitelisted", fmt::format("{} is whitelisted", format_ip(address)), std::nullopt};
  // Addresses compare case-insensitively here: postgrey lower-cases them too.
  key k{format_ip(address), ascii::to_lower(sender), ascii::to_lower(recipient)};
  auto found = entries_.find(k);
  if (found != entries_.end() && expired(found->second, now)) {
    entries_.erase(found);
    found = entries_.end();
  }
  if (found == entries_.end()) {
    entries_.emplace(k, entry{now, now, false});
    return {"greylist", "defer", fmt::format("new triple {}", triple),
            deferral(client, sender, recipient, settings_.delay)};
  }
  auto& e = found->second;
  auto waited = now - e.first_seen;
  if (!e.confirmed && waited < settings_.delay) {
    e.last_seen = now;
    return {"greylist", "defer", fmt::format("retry of {} too early", triple),
            deferral(client, sender, recipient, settings_.delay - waited)};
  }
  auto detail = e.confirmed ? fmt::format("known triple {}", triple)
                            : fmt::format("triple {} retried after {} seconds", triple, waited.count() / 1000);
  e.confirmed = true;
  e.last_seen = now;
  return {"greylist", "pass", detail, std::nullopt};
}

std::size_t greylist::expire(sim::time_point now) {
  return std::erase_if(entries_, [&](const auto& item) { return expired(item.second, now); });
}

}  // namespace sim::policy
