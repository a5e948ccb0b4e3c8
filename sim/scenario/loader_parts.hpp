// sim/scenario/loader_parts.hpp - the readers of each part of a scenario
// file, used by loader.cpp (hosts first: the timeline and the expectations
// refer to them).
#pragma once

#include <filesystem>
#include <vector>

#include "sim/scenario/loader_reader.hpp"

namespace sim::scenario::detail {

// The document, or a load_error (line and column for syntax errors).
json parse_document(std::string_view text, std::string_view name);
dns_entry read_record(const node& n);
// An MTA profile's name (sim/mta/profiles/).
std::string read_profile_name(const node& n);
net::tls_mode read_tls_mode(const node& n);    // "off" | "offer" | "require"
net::tls_level read_tls_level(const node& n);  // "none" | "may" | "encrypt" | "verify"
// Hosts without `profile` / `dns_cache` keys get the scenario's.
std::vector<host> read_hosts(const node& n, const scenario& defaults, const std::filesystem::path& base_dir);
// loader_auth.cpp: host key `dkim`, policy keys `dkim` / `dmarc` / `dmarc_reject_text`, host key `rewrite`.
void read_dkim_signers(const node& n, const std::filesystem::path& base_dir, host& h);
dkim_mode read_dkim_mode(const node& n);
dmarc_mode read_dmarc_mode(const node& n);
std::string read_reject_text(const node& n);
relay_rewrite read_rewrite(const node& n);
host_fault read_host_fault(const node& n, const scenario& s);
std::vector<timeline_entry> read_timeline(const node& n, const scenario& s, const std::filesystem::path& base_dir);
// loader_campaign.cpp: the timeline action `campaign`.
campaign_action read_campaign(const node& n, const scenario& s, const std::filesystem::path& base_dir);
// The value of one action key ("send", "fault", "heal", ...) on its own
// (live mode's API); a recipients_file is relative to base_dir.
action read_one_action(const std::string& key, const node& v, const scenario& s, const std::filesystem::path& base_dir);
std::vector<expectation> read_expect(const node& n, const scenario& s);

// One of a few words ("off", "tag", "reject"), or a load error naming them:
// `"x" is not an SPF mode ("off", "tag" or "reject")`.
template <typename E>
E read_choice(const node& n, std::string_view what, std::initializer_list<std::pair<std::string_view, E>> choices) {
  auto text = n.as_string();
  std::string list;
  std::size_t i = 0;
  for (const auto& [word, value] : choices) {
    if (text == word) return value;
    list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + quote(word);
    ++i;
  }
  n.fail(quote(text) + " is not " + std::string(what) + " (" + list + ")");
}

// References shared by the timeline and expectation readers.
const host& host_ref(const node& n, const scenario& s);           // an existing host name
const host& simulated_host_ref(const node& n, const scenario& s); // an existing host that is not external
std::string mailbox_ref(const node& n, const scenario& s);        // an address some host holds
bounds read_bounds(const object_reader& r);                       // count / min / max
// RFC 3463 "5.7.1" whose class matches the reply code's first digit.
std::string read_enhanced(const node& n, int code);
// A reply text: a string, or an array of lines (a multi-line reply).
std::vector<std::string> read_reply_lines(const node& n);

// loader_spam.cpp: `policy.spam` (none = off) and the `allow` / `block` keys of an object.
std::optional<policy::spam_config> read_spam(const node& n);
policy::access_list read_access_lists(const object_reader& r);

// loader_reputation.cpp: `policy.reputation` (none = off).
std::optional<policy::reputation_settings> read_reputation(const node& n);

}  // namespace sim::scenario::detail
