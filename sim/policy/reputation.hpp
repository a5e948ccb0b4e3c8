// sim/policy/reputation.hpp - a receiver's reputation of the senders it
// sees, as large mailbox providers keep one (Gmail's Postmaster Tools show
// an IP reputation and a domain reputation; Outlook's SNDS an IP's "filter
// result" and complaint rate).  Sans-I/O.
//
// The model.  Each sending IP and each sending domain (the subjects) has a
// volume (recipients it addressed here) and a weighted sum of bad signals:
// unknown users (RCPT 550 5.1.1), recipients of mail the content filter
// junked or rejected, spam-trap hits, complaints (a reader moving the
// message to Junk).  Both decay exponentially with `half_life`, so old mail
// counts less and a sender recovers by sending better mail or by waiting.
//   score = bad / max(volume, min_volume)
// min_volume keeps a few bad signals from a new sender from condemning it
// (one unknown user among three recipients is 1/min_volume, not 33%).
// The state follows the score: accept below junk_at, junk from junk_at,
// throttle from throttle_at, block from block_at.  Every change of state is
// returned to the caller (who traces it); states are recomputed when a
// signal comes in and when a subject is looked at, so waiting is enough to
// move a blocked sender back down.  A throttled subject gets `throttle_messages`
// messages accepted per `throttle_window` (a fixed window), the others the
// throttle reply.  Cost: one map lookup per message and subject.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/policy/check_result.hpp"
#include "sim/policy/config_error.hpp"
#include "sim/policy/reply_template.hpp"

namespace sim::policy {

enum class reputation_state : std::uint8_t { accept, junk, throttle, block };
enum class reputation_subject : std::uint8_t { ip, domain };
enum class reputation_signal : std::uint8_t { unknown_user, spam_junk, spam_reject, trap_hit, complaint };

std::string_view reputation_state_name(reputation_state s);
std::string_view reputation_subject_name(reputation_subject s);
std::string_view reputation_signal_name(reputation_signal s);

struct reputation_weights {
  double unknown_user = 1.0;  // per recipient refused 550 5.1.1
  double spam_junk = 1.0;     // per recipient of a message the content filter filed in Junk
  double spam_reject = 3.0;   // per recipient of a message the content filter refused
  double trap_hit = 10.0;     // per spam trap that took the mail
  double complaint = 20.0;    // per message a reader moved to Junk
  double of(reputation_signal s) const;
};

struct reputation_settings {
  bool by_ip = true;      // judge sending IPs
  bool by_domain = true;  // judge sending domains
  reputation_weights weights;
  double junk_at = 0.05;
  double throttle_at = 0.15;
  double block_at = 0.30;
  double min_volume = 100;  // recipients: the volume a score is measured over at least
  sim::duration half_life = std::chrono::hours(24);
  std::uint64_t throttle_messages = 5;  // accepted per subject and window while throttled
  sim::duration throttle_window = std::chrono::hours(1);
  // $subject ("IP address" / "domain"), $key, $score, $client_address, $seconds (throttle).
  reply_template throttle_reply = default_throttle_reply();
  reply_template block_reply = default_block_reply();

  static reply_template default_throttle_reply();
  static reply_template default_block_reply();
};

// The settings' problems, each with its pointer below the `reputation`
// object: thresholds negative or out of order, negative weights, a zero
// half-life or window.
std::vector<config_error> validate_reputation(const reputation_settings& s);

// A state change, for the caller to trace.
struct reputation_change {
  reputation_subject subject;
  std::string key;  // the IP's text or the domain
  reputation_state from, to;
  double score = 0;
  double volume = 0;  // decayed
  std::string why;    // the signal that moved it, or "decay"
};

// What a subject's state means for one message.
struct reputation_verdict {
  reputation_state state = reputation_state::accept;
  double score = 0;
  std::optional<reply> refusal;  // throttle (over the window) or block
};

class reputation_tracker {
 public:
  explicit reputation_tracker(reputation_settings settings);

  // `count` signals (recipients) for a subject: the volume grows by
  // `volume` and the bad sum by count x weight.  Changes are appended.
  void record(reputation_subject subject, std::string_view key, double volume, reputation_signal signal, double count,
              sim::time_point now, std::vector<reputation_change>& changes);
  // Good volume alone (recipients accepted with no bad signal).
  void record_volume(reputation_subject subject, std::string_view key, double volume, sim::time_point now,
                     std::vector<reputation_change>& changes);
  // The subject's state now (after decay), and for a throttled one whether
  // this message is over the window's allowance.  `client_ip` fills the reply.
  reputation_verdict judge(reputation_subject subject, std::string_view key, std::string_view client_ip,
                           sim::time_point now, std::vector<reputation_change>& changes);
  // A throttled subject's message was accepted: it uses the allowance.
  void count_accepted(reputation_subject subject, std::string_view key, sim::time_point now);

  reputation_state state(reputation_subject subject, std::string_view key) const;
  double score(reputation_subject subject, std::string_view key) const;  // as of the last update
  const reputation_settings& settings() const { return settings_; }

 private:
  struct standing {
    double volume = 0, bad = 0;
    sim::time_point updated{};
    reputation_state state = reputation_state::accept;
    sim::time_point window_start{};
    std::uint64_t window_count = 0;
  };
  standing& find(reputation_subject subject, std::string_view key, sim::time_point now);
  void decay(standing& s, sim::time_point now) const;
  double score_of(const standing& s) const;
  reputation_state state_for(double score) const;
  void restate(reputation_subject subject, std::string_view key, standing& s, std::string_view why,
               std::vector<reputation_change>& changes) const;

  reputation_settings settings_;
  std::map<std::string, standing, std::less<>> subjects_[2];  // by reputation_subject
};

}  // namespace sim::policy
