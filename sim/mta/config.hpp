// sim/mta/config.hpp - what one MTA host is told by its scenario.
//
// The agent layer does not know scenario files: the world builder fills
// this from a scenario's host (scenario-format.md, `hosts`).
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fake_dns/resolver.hpp"
#include "sim/auth/crypto.hpp"
#include "sim/auth/signer_config.hpp"
#include "sim/core/clock.hpp"
#include "sim/core/random.hpp"
#include "sim/core/trace.hpp"
#include "sim/mta/profiles/profile.hpp"
#include "sim/mta/retry_policy.hpp"
#include "sim/net/network.hpp"
#include "sim/net/tls.hpp"
#include "sim/policy/access_list.hpp"
#include "sim/policy/cidr.hpp"
#include "sim/policy/dnsbl.hpp"
#include "sim/policy/rate_limit.hpp"
#include "sim/policy/reputation.hpp"
#include "sim/policy/spam_config.hpp"
#include "sim/policy/spf_report.hpp"
#include "sim/smtp/limits.hpp"

namespace sim::mta {

// RFC 6647 greylisting: the delay, and the reply when the profile's is not wanted.
struct greylist_config {
  duration delay = std::chrono::minutes(5);
  std::optional<policy::reply_template> reply;
};

struct policy_config {
  std::vector<policy::dnsbl_zone> dnsbl;    // RFC 5782 zones, each with its reply or the profile's
  bool dnsbl_scored = false;                // a listing feeds the content filter instead of a 554
  policy::spf_mode spf = policy::spf_mode::off;  // RFC 7208
  std::optional<greylist_config> greylist;  // RFC 6647
  std::vector<policy::cidr> whitelist;      // skip dnsbl, greylist and rate limits
  std::vector<policy::rate_limit_settings> rate_limits;  // per client IP or sender domain
  policy::access_list access;               // allow: skip greylist, dnsbl, filter; block: 554 5.7.1
  std::optional<policy::spam_config> spam;  // the content filter after the final dot; none = off
  std::optional<policy::reputation_settings> reputation;  // senders' reputation (reputation.cpp); none = off
  bool antivirus = false;                   // refuse the EICAR test string
  std::uint64_t max_message_size = 10ull * 1024 * 1024;  // RFC 1870 SIZE
};

// Mail authentication (sim/auth): DKIM signing of mail this host sends
// out, DKIM and DMARC checks of mail it receives, and how it changes mail
// it passes on (as a mailing list does).
enum class dkim_mode { off, verify };
enum class dmarc_mode { off, report, enforce };

struct dkim_signer {
  auth::signer_config config;
  std::shared_ptr<const auth::private_key> key;  // the PEM's, or derived from the seed
};

struct auth_config {
  std::vector<dkim_signer> signers;
  dkim_mode dkim = dkim_mode::off;
  dmarc_mode dmarc = dmarc_mode::off;
  std::string dmarc_reject_text;  // "{domain}" stands for the From domain
  std::string subject_prefix;     // put before the Subject of mail received ("" = none)
  std::string footer;             // appended to its body ("" = none)
};

struct limits_config {
  duration connect_timeout = std::chrono::seconds(30);
  duration command_timeout = std::chrono::minutes(5);  // server: waiting for the next command
  duration data_timeout = std::chrono::minutes(10);    // client: after the final dot; server: each content block
  std::size_t max_recipients = 100;
  std::size_t max_hops = 50;  // Received fields before a message is refused as a loop
  // The server's error tarpit (sim/smtp/limits.hpp, after Postfix's smtpd_*_limit).
  int hard_error_limit = smtp::limits::error_limit;
  int soft_error_limit = smtp::limits::soft_error_limit;
  duration error_sleep = smtp::limits::error_sleep;
  int junk_command_limit = smtp::limits::junk_command_limit;
};

struct mta_config {
  std::string host;
  std::string ip;
  std::vector<std::string> local_domains;
  std::vector<std::string> relay_domains;
  std::vector<policy::cidr> mynetworks;
  bool submission = false;  // port 587, AUTH required
  net::tls_mode tls = net::tls_mode::off;           // smtpd: STARTTLS offered or required (RFC 3207)
  net::tls_level tls_level = net::tls_level::none;  // smtp: Postfix's smtp_tls_security_level
  bool offer_dsn = true;    // DSN (RFC 3461) in the EHLO reply (Postfix smtpd_discard_ehlo_keywords = dsn: false)
  std::optional<std::string> smarthost;
  // RFC 5321 section 4.5.1: where mail to <postmaster> and to postmaster@
  // each local domain goes (a mailbox here, or an address elsewhere);
  // none: this host takes no mail for postmaster.
  std::optional<std::string> postmaster;
  // The MTA it behaves like: its words, DSN form, Received field and policy
  // replies (queue and delivery below are already its defaults merged with
  // the scenario's keys).
  const profile* mta_profile = &default_profile();
  policy_config policy;
  auth_config auth;
  queue_settings queue;
  limits_config limits;
  delivery_settings delivery;  // how the MX list is walked
  // Spam-trap addresses here (lower-case): a message accepted for one is
  // traced as `spamtrap.hit` and reported through `on_trap_hit` (trap,
  // client IP), as trap operators report to blocklists.
  std::vector<std::string> spamtraps;
  std::function<void(const std::string& trap, const std::string& client_ip)> on_trap_hit;
};

// The world every agent lives in.
struct services {
  sim::clock& clock;
  sim::trace& trace;
  net::network& network;
  dns::resolver& resolver;
  const sim::random_source& random;
  // A coroutine of the agent died of an exception (a bug): the run reports
  // it and ends with exit status 3.
  std::function<void(std::exception_ptr)> on_failure = {};
  // Live mode's real TLS handshake for STARTTLS on `host`'s server (it
  // replaces the stream); empty in the simulation, which models it.
  std::function<asio::awaitable<std::optional<net::tls_info>>(std::shared_ptr<net::stream>&, const std::string& host)>
      tls_accept = {};
};

inline constexpr std::uint16_t smtp_port = 25;
inline constexpr std::uint16_t submission_port = 587;  // RFC 6409
inline constexpr std::uint16_t smtps_port = 465;       // RFC 8314 implicit TLS submission
inline constexpr std::uint16_t pop3_port = 110;        // RFC 1939
inline constexpr std::uint16_t imap_port = 143;        // RFC 9051
inline constexpr std::uint16_t pop3s_port = 995;       // RFC 8314 implicit TLS
inline constexpr std::uint16_t imaps_port = 993;       // RFC 8314 implicit TLS

}  // namespace sim::mta
