// sim/mta/mta_client_info.hpp - what the smtpd role knows of one inbound client
// (internal: smtp_server.cpp, auth_milter.cpp and content_filter.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/mta/mta.hpp"
#include "sim/net/network.hpp"
#include "sim/policy/access_list.hpp"
#include "sim/policy/check_result.hpp"
#include "sim/policy/spam_context.hpp"
#include "sim/policy/spf_result.hpp"

namespace sim::mta {

struct mta::client_info {
  net::connection_info conn;
  std::uint16_t port = smtp_port;
  std::optional<std::string> reverse_name;  // PTR of the client address
  bool trusted = false;                      // in mynetworks
  std::optional<policy::spf_evaluation> spf;  // evaluated once per transaction
  std::optional<policy::check_result> spf_decision;  // what the host's SPF mode makes of it
  std::optional<policy::check_result> dnsbl;  // evaluated once per session
  std::string helo;
  bool authenticated = false;
  std::optional<net::tls_info> tls;  // after STARTTLS (RFC 3207)
  std::optional<policy::access_decision> access;  // the host's lists, once per transaction
  std::vector<policy::dnsbl_listing> dnsbl_listings;
  std::optional<policy::check_result> rate_refusal;  // a rate limit's reply, once per transaction
  bool rate_checked = false;
  // Reputation (reputation.cpp): the IP's verdict once per transaction,
  // the unknown users of this transaction not yet told to the sender
  // domain's score, and what the message after the dot was judged.
  bool reputation_checked = false;
  std::optional<smtp::reply> reputation_refusal;
  std::string reputation_junk;  // why the message goes to Junk ("" = it does not)
  std::string mail_domain;      // MAIL FROM's domain (lower case)
  std::uint32_t unknown_users = 0;
  std::string reputation_domain;  // the message's judged domain
  std::optional<policy::spam_action> spam_action;  // the content filter's verdict on it
  std::vector<std::size_t> rate_connections;  // the limiters this session holds a connection of  // scored, not refused (dnsbl_action "score")
};

}  // namespace sim::mta
