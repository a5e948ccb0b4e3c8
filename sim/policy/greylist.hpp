// sim/policy/greylist.hpp - greylisting (RFC 6647), sans-I/O.
//
// Keyed by the triple (client IP, sender, recipient).  The first attempt of
// an unseen triple is deferred; a retry once `delay` has passed is accepted
// and the triple remembered.  Times come in as `now` (virtual time).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/policy/check_result.hpp"
#include "sim/policy/cidr.hpp"
#include "sim/policy/reply_template.hpp"

namespace sim::policy {

struct greylist_settings {
  sim::duration delay = std::chrono::minutes(5);
  // An unconfirmed triple is forgotten when no retry came within this
  // (postgrey's --retry-window default: 2 days).
  sim::duration retry_window = std::chrono::hours(48);
  // A confirmed triple is forgotten after this long unseen (postgrey's
  // --max-age default: 35 days).
  sim::duration confirmed_lifetime = std::chrono::hours(24 * 35);
  std::vector<cidr> whitelist;  // clients that skip greylisting
  // What a deferred client hears; $seconds (still to wait), $client_address,
  // $sender, $recipient and $recipient_domain may be used.
  reply_template reply = default_greylist_reply();
};

class greylist {
 public:
  explicit greylist(greylist_settings settings);

  // The decision for one recipient: "defer" (the settings' reply), "pass" or
  // "whitelisted".  `sender` is the reverse path ("" for <>).
  check_result check(const ip_address& client, std::string_view sender, std::string_view recipient,
                     sim::time_point now);
  // Forgets expired triples; returns how many were removed.
  std::size_t expire(sim::time_point now);
  std::size_t size() const { return entries_.size(); }

 private:
  struct entry {
    sim::time_point first_seen;
    sim::time_point last_seen;
    bool confirmed = false;
  };
  using key = std::tuple<std::string, std::string, std::string>;
  bool expired(const entry& e, sim::time_point now) const;
  policy::reply deferral(const ip_address& client, std::string_view sender, std::string_view recipient,
                         sim::duration left) const;

  greylist_settings settings_;
  std::map<key, entry> entries_;
};

}  // namespace sim::policy
