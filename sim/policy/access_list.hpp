// sim/policy/access_list.hpp - allow and block lists (the article's
// "whitelisting"), for a host and for a mailbox, read as Postfix's
// access(5) tables read them.  Sans-I/O.
//
// What an entry's text looks like decides what it matches:
//   "203.0.113.7", "203.0.113.0/24", "2001:db8::/32"  the client's address (cidr.hpp)
//   "alice@example.com"  that sender address (compared without case)
//   "alice@"             that local part at any domain
//   "example.com"        that domain and every subdomain (Postfix's default,
//                        smtpd_access_maps in parent_domain_matches_subdomains)
//   ".example.com"       only the subdomains of example.com
//   "<>"                 the null sender of bounces (smtpd_null_access_lookup_key)
//
// The most specific entry decides, in access(5)'s lookup order: a full
// address, then the domain (the closest parent first), then "local-part@";
// for clients the longest prefix.  An entry in both lists, or a client
// entry and a sender entry that disagree, block: Postfix runs client and
// sender restrictions one after the other and either may reject.
//
// At a host (scenario `policy.allow` / `policy.block`):
//   allow: the transaction skips greylisting, the DNSBL and the spam filter
//          (what a Postfix "OK" before those checks does; no negative score),
//          never relay control, recipient checks, size or antivirus;
//   block: every recipient is refused with 554 5.7.1 naming the entry.
// At a mailbox (its own `allow` / `block`): the folder for that mailbox.
// The older `whitelist` (CIDR clients that skip the DNSBL and greylisting)
// keeps its meaning; it does not skip the spam filter.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/policy/check_result.hpp"
#include "sim/policy/cidr.hpp"
#include "sim/policy/config_error.hpp"

namespace sim::policy {

struct access_entry {
  enum class kind { client, address, local_part, domain, subdomains, null_sender };
  kind type = kind::client;
  std::string text;   // as written in the scenario
  std::string value;  // lower case: the address, local part or domain
  cidr network;       // kind::client
};

struct access_list {
  std::vector<access_entry> allow;
  std::vector<access_entry> block;
  bool empty() const { return allow.empty() && block.empty(); }
};

// nullopt and `why` set when the text is none of the forms above.
std::optional<access_entry> parse_access_entry(std::string_view text, std::string* why = nullptr);

// Parses both arrays into `out`; each problem has its pointer below the
// object holding them ("/allow/3", "/block/0").
std::vector<config_error> parse_access_lists(const std::vector<std::string>& allow,
                                             const std::vector<std::string>& block, access_list& out);

enum class access_action { none, allow, block };
std::string_view access_action_name(access_action action);  // "none", "allow", "block"

struct access_decision {
  access_action action = access_action::none;
  std::string entry;   // the deciding entry as written; "" for none
  std::string detail;  // "sender domain partner.example is on the allow list (entry partner.example)"
  std::optional<policy::reply> reply;  // block at a host: 554 5.7.1

  // For the trace: check "access", result "allow" | "block" | "none".
  check_result as_check_result() const;
};

// A host's decision for a transaction.  `sender` is the envelope sender
// ("" for the null sender <>); either may be absent when not yet known.
access_decision check_host_access(const access_list& lists, const std::optional<ip_address>& client,
                                  std::optional<std::string_view> sender);

inline constexpr std::string_view inbox_folder = "INBOX";
inline constexpr std::string_view junk_folder = "Junk";

struct mailbox_placement {
  std::string_view folder;  // inbox_folder or junk_folder
  std::string reason;       // "allow list entry partner.example", "spam filter verdict junk", ...
};

// The folder for one mailbox of a message its host accepted.  `author` is
// the address in From (what the owner sees and lists; the envelope sender
// when From has none).  The mailbox's allow list files in INBOX whatever
// the filter said, its block list in Junk; otherwise the filter decides
// (`filter_junk`; false when no filter ran).  A message the host refused at
// reject_at never gets here: a mailbox's allow list cannot undo the one
// SMTP reply its host gave for the whole transaction.
mailbox_placement place_in_mailbox(const access_list& mailbox_lists, const std::optional<ip_address>& client,
                                   std::string_view author, bool filter_junk);

}  // namespace sim::policy
