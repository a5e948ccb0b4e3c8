// sim/scenario/model.hpp - a loaded scenario (scenario-format.md, version 1).
//
// Plain typed structs with the format's defaults.  The loader fills and
// validates them; the world builder and runner only read them.  Names are
// canonical: host names and domains lower-case, addresses with a lower-case
// domain, durations as sim::duration, sizes in octets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_dns/address.hpp"
#include "fake_dns/record.hpp"
#include "sim/core/time.hpp"
#include "sim/policy/rate_limit.hpp"
#include "sim/policy/reputation.hpp"
#include "sim/policy/access_list.hpp"
#include "sim/auth/signer_config.hpp"
#include "sim/campaign/spec.hpp"
#include "sim/mta/profiles/profile.hpp"
#include "sim/net/tls.hpp"
#include "sim/mta/retry_policy.hpp"
#include "sim/policy/cidr.hpp"
#include "sim/policy/dnsbl_zone.hpp"
#include "sim/policy/reply_template.hpp"
#include "sim/policy/spam_config.hpp"

namespace sim::scenario {

using json = nlohmann::ordered_json;  // keeps the file's key order

// An IPv4 or IPv6 network ("192.0.2.0/24"; a bare address is a /32 or /128).
using cidr = policy::cidr;

struct mailbox {
  std::string address;
  std::optional<std::string> password;  // none = any password is accepted
  std::optional<std::uint64_t> quota;   // octets
  bool implicit = false;                // the postmaster mailbox the loader added (no POP3 or AUTH login)
  policy::access_list lists;            // its own `allow` / `block`: INBOX or Junk for this mailbox
};

enum class spf_mode { off, tag, reject };
// What a DNSBL listing does: refuse at RCPT (Postfix reject_rbl_client) or
// only feed the content filter's DNSBL_LISTED (SpamAssassin's RCVD_IN_* rules).
enum class dnsbl_action { reject, score };
enum class dkim_mode { off, verify };            // RFC 6376 section 6
enum class dmarc_mode { off, report, enforce };  // RFC 7489 section 6.6

// What a DMARC reject answers after the final dot (550 5.7.26), modelled on
// what large mailbox providers say; "{domain}" stands for the From domain.
inline constexpr std::string_view default_dmarc_reject_text =
    "Unauthenticated email from {domain} is not accepted due to domain's DMARC policy. Please contact the "
    "administrator of {domain} domain if this was a legitimate mail.";

// RFC 6647: how long a new triple waits, and what it hears meanwhile.
struct greylist_policy {
  sim::duration delay = std::chrono::minutes{5};
  policy::reply_template reply;  // the profile's unless the scenario gives parts of it
};

struct host_policy {
  std::vector<policy::dnsbl_zone> dnsbl;  // DNSBL zones (RFC 5782), each with its reply or the profile's
  spf_mode spf = spf_mode::off;
  std::optional<greylist_policy> greylist;  // none = no greylisting
  dnsbl_action dnsbl_listed = dnsbl_action::reject;  // `dnsbl_action`
  std::vector<cidr> whitelist;
  std::vector<policy::rate_limit_settings> rate_limits;  // `rate_limit` (one object or an array)
  policy::access_list access;               // `allow` / `block` (sim/policy/access_list.hpp)
  std::optional<policy::spam_config> spam;  // the content filter; none = off
  std::optional<policy::reputation_settings> reputation;  // `reputation`; none = off
  bool antivirus = false;
  std::uint64_t max_message_size = 10 * 1024 * 1024;  // RFC 1870 SIZE
  dkim_mode dkim = dkim_mode::off;
  dmarc_mode dmarc = dmarc_mode::off;
  std::string dmarc_reject_text{default_dmarc_reject_text};
};

// A DNSBL run by a host of the world (host key `dnsbl_zone`): an IP whose
// mail reached `threshold` spam traps is listed `delay` after the last of
// those hits (A 127.0.0.2 and a TXT reason under the zone, RFC 5782
// section 2.1), and delisted `delist_after` later.
struct dnsbl_operator {
  std::string zone;
  std::uint64_t threshold = 1;
  sim::duration delay = std::chrono::minutes{10};
  sim::duration delist_after = std::chrono::hours{24};
  // The TXT record; $ip and $zone stand for the listed address and the zone.
  std::string reason = "$ip listed by $zone: mail to spam traps";
};

// How a host changes the mail it passes on, as a mailing list does
// (Mailman's subject_prefix and msg_footer): what breaks DKIM signatures.
struct relay_rewrite {
  std::string subject_prefix;  // put before the Subject ("" = unchanged)
  std::string footer;          // appended to the body ("" = unchanged)
  bool any() const { return !subject_prefix.empty() || !footer.empty(); }
};

// The retry schedule and queue times: the profile's defaults with the
// scenario's `queue` keys over them (one type with the MTA's own).
using queue_policy = mta::queue_settings;

struct host_limits {
  sim::duration connect_timeout = std::chrono::seconds{30};
  sim::duration command_timeout = std::chrono::minutes{5};
  sim::duration data_timeout = std::chrono::minutes{10};
  std::size_t max_recipients = 100;
  std::size_t max_hops = 50;
  // The SMTP server's error tarpit (Postfix smtpd_hard_error_limit,
  // smtpd_soft_error_limit, smtpd_error_sleep_time, smtpd_junk_command_limit).
  int hard_error_limit = 20;
  int soft_error_limit = 10;
  sim::duration error_sleep = std::chrono::seconds{1};
  int junk_command_limit = 100;
  // Live mode: how long a client may take over a TLS handshake (STARTTLS,
  // STLS or implicit TLS) before its connection is closed (Postfix
  // smtpd_starttls_timeout; the simulation's handshakes take no time).
  sim::duration tls_handshake_timeout = std::chrono::seconds{10};
  // How the MX list is walked (the profile's, unless mx_address_limit or
  // mx_session_limit are given).
  mta::delivery_settings delivery;
};

struct host {
  std::string name;
  std::string ip;  // canonical text (RFC 5952 for IPv6)
  dns::ip_address address;
  bool publish = true;
  // A real program (an MTA under test) run by `mailsim world`, not by us:
  // it has its address and automatic records, and no agent of ours.
  bool external = false;
  std::vector<std::string> local_domains;
  std::vector<mailbox> mailboxes;
  std::vector<std::string> relay_domains;
  bool submission = false;
  // Whether its server offers DSN (RFC 3461) in EHLO; false is Postfix's
  // smtpd_discard_ehlo_keywords = dsn, and a sender relaying to it reports
  // NOTIFY=SUCCESS itself ("relayed").
  bool dsn = true;
  bool imap = false;  // IMAP (RFC 9051) on port 143 for its mailboxes
  std::optional<std::string> smarthost;
  std::vector<cidr> mynetworks;
  // RFC 5321 section 4.5.1: where mail to <postmaster> and postmaster@ each
  // local domain goes; "" = nowhere (a host without local domains that
  // names none).  Default: postmaster@ the first local domain.
  std::string postmaster;
  std::string profile = "postfix";  // the MTA it behaves like (sim/mta/profiles/)
  // Named in the scenario (here or at the top): then the profile's queue
  // defaults and greylisting reply; else the format's (scenario-format.md).
  bool profile_named = false;
  bool dns_cache = true;            // its resolver keeps answers for their TTL
  // RFC 3207: STARTTLS offered (or required) by its SMTP server, and its
  // SMTP client's policy toward MX hosts (Postfix smtp_tls_security_level).
  net::tls_mode tls = net::tls_mode::off;
  net::tls_level tls_level = net::tls_level::none;
  host_policy policy;
  queue_policy queue;
  host_limits limits;
  // RFC 6376: the DKIM signers of mail this host sends out (host key `dkim`).
  std::vector<auth::signer_config> dkim;
  std::vector<std::string> dkim_key_files;  // each signer's `private_key` path ("" = derived from the seed)
  relay_rewrite rewrite;
  // Spam-trap addresses here (host key `spamtraps`, lower-cased): mail to
  // them is accepted and reported to every DNSBL operator of the world.
  std::vector<std::string> spamtraps;
  // The DNSBL this host runs (host key `dnsbl_zone`), listing IPs that hit traps.
  std::optional<dnsbl_operator> dnsbl_zone;

  // It runs an MTA when it has any of these; otherwise it is a client machine.
  bool is_mta() const;
  bool is_local_domain(std::string_view domain) const;
  const mailbox* find_mailbox(std::string_view address) const;
};

// ---- timeline ---------------------------------------------------------

struct send_action {
  // The largest `size` a scenario may ask for: the MUA builds the message
  // in memory, and every host that takes it keeps a copy.
  static constexpr std::uint64_t max_size = std::uint64_t{100} << 20;
  std::string from{};  // "" = the null reverse path
  std::vector<std::string> to{}, cc{}, bcc{};
  std::optional<std::string> subject{};
  std::string body{};
  std::vector<std::pair<std::string, std::string>> headers{};  // in file order; each replaces the composed field of its name
  std::optional<std::uint64_t> size{};                         // pad the body to this many octets
  bool eicar = false;
  std::optional<std::string> via{};     // default: see submission_host_for()
  std::optional<std::uint16_t> port{};  // default: 587 with submission, else 25
  std::optional<std::string> client{};  // default: an anonymous client machine
  std::optional<std::string> id{};
  // RFC 3461 DSN parameters, sent to a server that offers DSN and carried
  // by every MTA on the way into the DSNs it writes.
  std::vector<std::string> notify{};  // NOTIFY for every recipient: "NEVER", or of "SUCCESS", "FAILURE", "DELAY"
  std::optional<std::string> ret{};   // RET: "FULL" or "HDRS"
  std::optional<std::string> envid{};  // ENVID
  std::vector<std::pair<std::string, std::string>> orcpt{};  // recipient -> its ORCPT (rfc822) address
  std::vector<std::string> recipients() const;  // to, cc, bcc
};

enum class fault_kind { refuse, timeout, reset, reply, slow, mailbox_full, tls };
enum class smtp_phase { connect, ehlo, mail, rcpt, data, dot, quit };

struct host_fault {
  std::string host{};
  fault_kind kind = fault_kind::refuse;
  std::optional<std::uint16_t> port{};       // refuse, timeout
  std::optional<smtp_phase> phase{};         // reset, reply (required); slow (optional)
  // reset at phase "accepted" (phase is then dot): the server takes the
  // message and sends its reply to the final dot, which the reset loses.
  bool after_reply = false;
  std::optional<int> code{};                 // reply
  std::optional<std::string> enhanced{};     // reply, "5.7.1"
  std::vector<std::string> text{};           // reply: its lines (none = "Injected fault")
  std::optional<std::string> match{};        // reply: only this sender/recipient
  std::optional<std::uint64_t> times{};      // reply: only the first N times
  std::optional<sim::duration> delay{};      // slow
  std::optional<std::string> mailbox{};      // mailbox_full
  net::tls_problem problem = net::tls_problem::handshake;  // tls
  json as_written{};                         // for the trace's fault.on event
};

struct dns_fault {
  std::string name{};                   // canonical
  std::optional<dns::rr_type> type{};  // none = every type
  dns::rcode rcode = dns::rcode::servfail;  // servfail, nxdomain or timeout
  json as_written{};
};

struct heal_action {
  enum class target { host, dns };
  target on = target::host;
  std::string name{};
  json as_written{};
};

struct crash_action { std::string host; };
struct restart_action { std::string host; };

struct fetch_action {
  std::string user{};
  std::optional<std::string> password{};  // none = the mailbox's password
  std::string from{};                     // the host holding the mailbox when not given
  bool delete_messages = true;           // default: true for POP3, false for IMAP
  std::optional<std::string> id{};
  std::optional<std::string> client{};  // the host the MUA runs on; default: fetching_client()
  std::string protocol = "pop3";         // "pop3" or "imap"
  std::string folder = "INBOX";          // IMAP only
  std::string move_to;                   // IMAP only: move fetched mail into this folder
  net::tls_level tls = net::tls_level::none;  // STLS / STARTTLS policy (none, may, encrypt, verify)
};

struct dns_entry {
  dns::record record{};
  std::string text{};  // as written
};

struct dns_change {
  std::vector<dns_entry> add{}, remove{};
};

// `campaign`: many messages from one sender (sim/campaign/spec.hpp).
using campaign_action = campaign::campaign_spec;

using action = std::variant<send_action, host_fault, dns_fault, heal_action, crash_action, restart_action,
                            fetch_action, dns_change, campaign_action>;

struct timeline_entry {
  sim::time_point at{};
  std::size_t index = 0;  // position in the file's timeline array
  action what{};
};

// ---- expectations -----------------------------------------------------

// count = exactly; else min (default 1, or 0 when only max is given) and max.
struct bounds {
  std::optional<std::uint64_t> count{}, min{}, max{};
  bool holds(std::uint64_t n) const;
  std::string describe() const;  // "exactly 2", "at least 1", "between 1 and 3", "at most 2"
};

// One `delivered.headers` entry.  A string is the first instance's value;
// an object checks every instance of the field (the whole Received chain):
// `equals` / `matches` (a regex found in the unfolded value, sim/policy/
// regex.hpp syntax) pick the instances that fit (all without them), and
// `count` / `min` / `max` bound how many fit (default: at least one).
struct header_check {
  std::string name{};
  std::optional<std::string> value{};    // the string form: the first instance equals it
  std::optional<std::string> equals{};
  std::optional<std::string> matches{};
  bounds range{};
  bool present_only() const { return !value && !equals && !matches && !range.count && !range.min && !range.max; }
};

struct expect_delivered {
  std::string to{};
  std::optional<std::string> message{};
  std::optional<std::string> host{};
  std::optional<std::vector<std::string>> via{};
  std::optional<sim::duration> within{};
  std::vector<header_check> headers{};
  std::optional<std::string> folder{};  // "INBOX" or "Junk"
  std::optional<int> score{};           // the content filter's score (X-Spam-Status), in tenths
  std::vector<std::string> rules{};     // rules that must have hit (X-Spam-Status tests=)
  // `auth`: method ("spf", "dkim", "dmarc") -> result word, read from the
  // Authentication-Results field that `auth_host` (default: the final
  // host) added (RFC 8601); dkim holds when any dkim= result has the word.
  std::vector<std::pair<std::string, std::string>> auth{};
  std::optional<std::string> auth_host{};
};
struct expect_not_delivered {
  std::string to{};
  std::optional<std::string> message{};
};
// `bounced` (Action failed) and `delay_warned` (Action delayed, RFC 3464 2.3.3).
struct expect_bounced {
  std::string recipient{};
  std::optional<std::string> to{};
  std::optional<std::string> status{};  // "5.1.1", or a prefix ending in '.' ("5.", "5.1.")
  std::optional<sim::duration> within{};
  std::string action = "failed";           // "delayed" for delay_warned; "delivered" / "relayed" for success_reported
  std::optional<std::string> diagnostic{};  // a part of Diagnostic-Code (white space runs as one space)
  std::optional<std::string> remote{};      // Remote-MTA: the host that said it
};
struct expect_no_bounce { std::optional<std::string> to{}; };  // delay warnings do not count
struct expect_deferred {
  std::string recipient{};
  bounds range{};
};
struct expect_rejected {
  std::string host{};
  std::optional<smtp_phase> phase{};
  std::optional<int> code{};
  std::optional<std::string> enhanced{};  // "5.7.1", or a prefix ending in '.'
  std::optional<std::string> text{};      // a part of the reply text
};
struct expect_fetched {
  std::string user{};
  std::optional<std::string> subject{};
  std::optional<std::uint64_t> count{};
};
struct expect_trace {
  json pattern{};  // event fields; keys may be dotted paths
  bounds range{};
};
struct expect_sequence { std::vector<json> patterns{}; };
struct expect_queue_empty { std::optional<std::string> host{}; };  // none = every host
// A campaign metric (sim/campaign/stats_view.hpp) within bounds: of one
// campaign (none = the only one) and one receiving domain (none = all).
struct expect_stats {
  std::optional<std::string> campaign{};
  std::optional<std::string> domain{};
  std::string metric{};
  std::optional<double> min{}, max{}, equals{};
};

using expectation_kind =
    std::variant<expect_delivered, expect_not_delivered, expect_bounced, expect_no_bounce, expect_deferred,
                 expect_rejected, expect_fetched, expect_trace, expect_sequence, expect_queue_empty, expect_stats>;

struct expectation {
  std::size_t index = 0;  // position in the file's expect array
  expectation_kind what{};
  std::string_view kind() const;  // "delivered", "queue_empty", ...
};

// ---- the scenario -----------------------------------------------------

struct scenario {
  std::string id;
  std::string title;
  std::string description;
  std::uint64_t seed = 1;
  std::string profile = "postfix";  // every host's profile unless it names one
  bool profile_named = false;       // `profile` given at the top
  bool dns_cache = true;            // every host's resolver caches unless it says otherwise
  net::tls_mode tls = net::tls_mode::off;          // every host's `tls` unless it says otherwise
  net::tls_level tls_level = net::tls_level::none;  // every host's `smtp_tls_security_level` likewise
  sim::wall_time start;  // default 2026-01-05T09:00:00Z
  std::optional<sim::duration> until;  // none = until idle, at most max_run
  std::vector<dns_entry> dns;
  std::vector<std::string> dns_files;  // resolved paths of RFC 1035 master files
  std::vector<host> hosts;             // ordered by name
  std::vector<timeline_entry> timeline;  // by `at`, ties in file order
  std::vector<expectation> expect;       // file order

  static constexpr sim::duration max_run = std::chrono::days{30};
  static sim::wall_time default_start();

  const host* find_host(std::string_view name) const;
  // The hosts that have this mailbox (usually one).
  std::vector<const host*> mailbox_hosts(std::string_view address) const;
  // The default `via` of a send from this address: the host with submission
  // that hosts the sender's domain, or null (then: the domain's MX).
  const host* submission_host_for(std::string_view address) const;
  // The timeline's campaigns, in time order.
  std::vector<const campaign_action*> campaigns() const;
};

std::string_view phase_name(smtp_phase p);
std::optional<smtp_phase> parse_phase(std::string_view text);
std::string_view fault_kind_name(fault_kind k);
std::string_view spf_mode_name(spf_mode m);

// Addresses compare with a case-insensitive domain; local parts are compared
// case-insensitively too, as every mailbox here is one the scenario named.
bool same_address(std::string_view a, std::string_view b);
// The machine a fetch runs on: its `client`, else the client of the first
// `send` from that mailbox (the owner's own machine), else one named after
// the owner, "bob-mua.example.org" for bob@example.org (not a scenario host:
// the world gives it an address outside every `mynetworks`).
std::string fetching_client(const scenario& s, const fetch_action& a);
std::string_view domain_of(std::string_view address);  // after the last '@'

}  // namespace sim::scenario
