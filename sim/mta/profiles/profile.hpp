// sim/mta/profiles/profile.hpp - behave like the MTA people run.
//
// A profile is one real MTA's defaults and words: its retry algorithm and
// queue times (retry_policy.hpp), how its smtp client walks the MX list,
// the text of a deferral or bounce as its logs and DSNs say it, its DSN's
// structure, its Received field, and the replies of its own policy
// rejections.  One file per MTA, each citing where its facts come from:
//
//   postfix.cpp     Postfix 3.x (the default profile)
//   exim.cpp        Exim 4.9x with its default configure file
//   sendmail.cpp    Sendmail 8.17 with its m4 defaults
//   opensmtpd.cpp   OpenSMTPD 7.x
//
// The scenario loader takes the queue and delivery defaults from the
// host's profile and lets the scenario's keys override them; the MTA asks
// its profile for every text.  Profiles are pure: no clock, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/message/dsn.hpp"
#include "sim/message/received.hpp"
#include "sim/mta/retry_policy.hpp"
#include "sim/policy/reply_template.hpp"
#include "sim/smtp/reply.hpp"

namespace sim::mta {

// How the smtp client walks the MX list (Postfix smtp_connect.c).
struct delivery_settings {
  std::size_t mx_address_limit = 5;   // addresses tried per attempt (smtp_mx_address_limit); 0 = all
  std::size_t mx_session_limit = 2;   // sessions that reach MAIL per attempt (smtp_mx_session_limit); 0 = all
  // A 4xx at MAIL, RCPT, DATA or after the dot, a 421 or a lost session
  // from a server that is not the last candidate: try the next one in the
  // same attempt (Postfix smtp_trouble.c); false: defer at once.
  bool next_mx_on_soft_error = true;
  // A server that answers 421 (it closes the session: too busy, rate
  // limited) is not connected to again for this long; the recipients due
  // for it meanwhile are deferred without a connection ("delivery
  // temporarily suspended", as Postfix says of a throttled destination).
  // 0 = no backoff: every attempt connects.
  sim::duration throttle_backoff{0};
  // Postfix's smtp_connection_cache_time_limit: a session whose transaction
  // is done stays open this long for the next message to the same server
  // (RFC 5321 allows several transactions per session); 0 = QUIT at once.
  sim::duration connection_cache_time{0};
  // Postfix's smtp_connection_reuse_count_limit: transactions per cached
  // session before it is closed; 0 = no limit.
  std::size_t connection_reuse_limit = 0;
  // Postfix's default_destination_concurrency_limit: sessions open to one
  // server IP at a time (busy or cached); an attempt over it waits for one
  // to come free.  0 = no limit.
  std::size_t concurrency = 0;
  // RFC 2920 3.1: DATA sent in the MAIL/RCPT group when the server offers
  // PIPELINING (Postfix smtp_proto.c); false: DATA after the RCPT replies.
  bool pipeline_data = false;
  // The status of a recipient whose domain has a null MX: RFC 7505 4.3's
  // 5.1.10, or what the MTA really says (Postfix 3.7: 5.1.0).
  std::string null_mx_status = "5.1.10";
  friend bool operator==(const delivery_settings&, const delivery_settings&) = default;
};

// What stopped a delivery at one server (or at the local LMTP server).
struct delivery_problem {
  enum class kind { reply, refused, connect_timeout, lost, timed_out };
  kind what = kind::reply;
  std::string host;                  // the server's name
  std::string ip;                    // its address ("" for local delivery)
  std::optional<smtp::reply> reply;  // kind::reply
  // What the reply answered, or what was going on when the session broke:
  // "connect" (the greeting), "ehlo", "auth", "mail", "rcpt", "data" (the
  // DATA command), "body" (the content), "dot" (the end of data), "rset", "quit".
  std::string phase;
  std::string rcpt;    // the recipient concerned
  std::string sender;  // the reverse path ("" = <>)
  std::string helo;    // the name we gave in EHLO
  bool lmtp = false;   // the local LDA over LMTP
};

// One recipient of a DSN.
struct dsn_subject {
  std::string address;
  std::string orcpt;        // ORCPT as received ("rfc822;bob@example.org"), "" = none
  std::string status;       // RFC 3463
  std::string reason;       // the profile's words (queue.defer / queue.bounce `reason`); for a
                            // success, where it went: "name[ip]:25" or "name[private/lmtp]"
  std::string diagnostic;   // the server's reply ("550 5.1.1 ..."), "" when no server answered
  std::string remote_host;  // the server that answered, "" = none
  std::string phase;        // what that reply answered (as delivery_problem::phase)
  // A success report's Action (RFC 3464 2.3.3): "delivered" (to a mailbox)
  // or "relayed" (to a server that does not offer DSN); "" otherwise.
  std::string action;
};

struct dsn_input {
  bool delayed = false;          // a delay warning (RFC 3464 Action: delayed)
  bool success = false;          // a success report (RFC 3461 NOTIFY=SUCCESS); each recipient's `action` says which
  std::string reporting_mta;     // this host
  std::string queue_id;          // the original's queue id
  std::string original_sender;   // its reverse path: the DSN goes there
  std::string envid;             // ENVID (xtext), "" = none
  wall_time arrival{};           // the original's arrival
  wall_time now{};
  duration lifetime{};           // how long it stays queued
  duration delay_warning{};      // after how long a warning goes out
  message::dsn_ret ret = message::dsn_ret::unspecified;
  std::string original;          // the original message, raw
  std::string message_id;        // the DSN's own Message-ID ("<...>")
  std::vector<dsn_subject> recipients;
};

class profile {
 public:
  virtual ~profile() = default;
  virtual std::string_view name() const = 0;

  // The MTA's own defaults (the scenario's `queue` and `limits` keys override them).
  virtual queue_settings queue_defaults() const = 0;
  virtual delivery_settings delivery_defaults() const = 0;

  // Why a recipient was not delivered, as this MTA logs it.
  virtual std::string describe(const delivery_problem& p) const = 0;
  // The last deferral of a recipient whose message has expired (after
  // `lifetime` in the queue), as its bounce says it.
  virtual dsn_subject expired(dsn_subject last, duration lifetime) const = 0;
  // A failure report, a delay warning or a success report, in this MTA's form.
  virtual std::string compose_dsn(const dsn_input& in) const = 0;
  // The Received field value this MTA adds (pre-folded for message::prepend).
  virtual std::string received(const message::received_stamp& s) const = 0;

  // The replies of its own policy rejections.
  virtual smtp::reply relay_denied(std::string_view rcpt) const = 0;
  virtual smtp::reply unknown_user(std::string_view rcpt) const = 0;
  virtual smtp::reply message_too_big() const = 0;
  virtual policy::reply_template dnsbl_reply() const = 0;     // see sim/policy/dnsbl.hpp for its variables
  virtual policy::reply_template greylist_reply() const = 0;  // see sim/policy/greylist.hpp
};

// The profile named `name`, or nullptr.
const profile* find_profile(std::string_view name);
// `postfix`.
const profile& default_profile();
// Every profile's name, in the order of the table above.
std::vector<std::string_view> profile_names();

// The profiles themselves (one file each).
const profile& postfix_profile();
const profile& exim_profile();
const profile& sendmail_profile();
const profile& opensmtpd_profile();

}  // namespace sim::mta
