// sim/lda/filing.hpp - which folder of a mailbox a message goes to: INBOX
// or Junk.  Sans-I/O.
//
// The LDA's filing rule, as a Dovecot user's Sieve script would say it:
//   1. the mailbox's own lists (scenario: a mailbox's `allow` / `block`)
//      match the From address (the envelope sender when From has none) or
//      the client address in the top Received field (the one this host's
//      MTA wrote): allow -> INBOX, block -> Junk;
//   2. otherwise "X-Spam: Yes" from this host's content filter -> Junk
//      (read only when the host runs the filter, which removes any such
//      field a sender wrote);
//   3. otherwise "X-Reputation: junk (why)" written by this host's MTA,
//      above its Received field (a sender's own field would be below it),
//      when the host judges its senders' reputation -> Junk;
//   4. otherwise INBOX.
#pragma once

#include <string>
#include <string_view>

#include "sim/policy/access_list.hpp"

namespace sim::lda {

// The field the MTA writes above its Received for a sender whose
// reputation files its mail in Junk (sim/mta/reputation.cpp).
inline constexpr std::string_view reputation_field = "X-Reputation";

struct filing_rules {
  bool read_junk_field = false;  // the host's MTA runs the content filter
  const policy::access_list* lists = nullptr;  // the mailbox's own lists; null or empty: none
  bool read_reputation_field = false;  // the host's MTA judges its senders' reputation
};

struct folder_choice {
  std::string folder = "INBOX";
  std::string reason;    // "" for the plain INBOX; "spam filter verdict junk", "allow list entry x", ...
  bool by_rule = false;  // the filter's verdict or the mailbox's lists were read (lda.deliver names the folder)
};

folder_choice choose_folder(std::string_view content, std::string_view reverse_path, const filing_rules& rules);

}  // namespace sim::lda
