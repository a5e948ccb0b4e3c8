// sim/mta/queue_file.hpp - one queued message as it is kept in the spool.
//
// Everything the queue manager needs to carry on after a crash: the
// envelope (RFC 5321 reverse path and forward paths, with the RFC 3461 DSN
// and RFC 1870 / RFC 6152 MAIL parameters), the message bytes, and each
// recipient's delivery state.  The file form is
//
//   mailsim-queue 1 <checksum>\n      checksum: FNV-1a 64, 16 hex digits,
//   <header as one line of JSON>\n    over everything after this first line
//   <message bytes, exactly message_size of them>
//
// so a truncated or damaged file is recognised and rejected.  The message
// bytes are kept raw (8BITMIME content round-trips exactly); header strings
// must be UTF-8, and any invalid byte in them (a reply text from a broken
// server) is stored as U+FFFD.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/time.hpp"

namespace sim::mta {

// A sanity bound on a recipient's attempt count read back from a file.
inline constexpr int max_recorded_attempts = 1'000'000;

enum class rcpt_status { pending, delivered, bounced, deferred };
// MAIL FROM parameters; `unspecified` when the client did not give one.
enum class dsn_ret { unspecified, full, hdrs };                 // RET=, RFC 3461 section 4.3
enum class body_type { unspecified, seven_bit, eight_bit_mime };  // BODY=, RFC 6152

// RCPT TO NOTIFY= (RFC 3461 section 4.1); all false = not given.  NEVER
// excludes the others.
struct notify_flags {
  bool never = false;
  bool success = false;
  bool failure = false;
  bool delay = false;
  bool given() const { return never || success || failure || delay; }
  friend bool operator==(const notify_flags&, const notify_flags&) = default;
};

struct envelope_params {
  dsn_ret ret = dsn_ret::unspecified;
  std::string envid;                  // ENVID= (RFC 3461 section 4.4), "" = none
  std::optional<std::uint64_t> size;  // SIZE= (RFC 1870)
  body_type body = body_type::unspecified;
  friend bool operator==(const envelope_params&, const envelope_params&) = default;
};

struct recipient_state {
  std::string address;  // the forward path, without angle brackets
  std::string orcpt;    // ORCPT= (RFC 3461 section 4.2) as given, "rfc822;bob@example.org"; "" = none
  notify_flags notify;
  rcpt_status status = rcpt_status::pending;
  int attempts = 0;
  std::string last_reply;       // why the last attempt failed, in the profile's words; "" = none yet
  std::string enhanced_status;  // RFC 3463 status of that outcome ("4.4.1"), "" = none
  std::string remote_host;      // the server whose reply it was, "" = none answered
  std::string diagnostic;       // that reply ("451 4.7.1 ..."), "" = none
  std::string phase;            // what the reply answered ("rcpt"), "" = none
  std::optional<time_point> next_attempt;
  friend bool operator==(const recipient_state&, const recipient_state&) = default;
};

struct queue_file {
  std::string queue_id;
  time_point arrival{};   // simulated time the MTA took responsibility
  wall_time arrival_wall{};  // the same moment on the wall clock
  std::string reverse_path;  // "" = the null reverse path <>
  envelope_params params;
  std::string message;  // the RFC 5322 message as received
  std::vector<recipient_state> recipients;
  bool warned = false;  // a delay warning was sent

  // A message with the null reverse path (a DSN): it is never bounced and
  // bounce_lifetime applies (RFC 5321 section 4.5.5).
  bool is_bounce() const { return reverse_path.empty(); }
  // True when no recipient is pending or deferred.
  bool finished() const;
  // A queue file holds each forward path once (as Postfix's cleanup(8)
  // eliminates duplicate envelope recipients), so a lookup by address
  // always finds the one entry the scheduler settles.  merge_duplicates()
  // keeps the first entry of each address (its NOTIFY and ORCPT) and drops
  // the later ones; it returns how many it dropped.
  std::size_t merge_duplicates();
  recipient_state* find_recipient(std::string_view address);
  const recipient_state* find_recipient(std::string_view address) const;
  friend bool operator==(const queue_file&, const queue_file&) = default;
};

// The store name of a queue file: "queue/<queue id>".
inline constexpr std::string_view queue_prefix = "queue/";
std::string queue_file_name(std::string_view queue_id);

std::string serialize(const queue_file& file);

// The same bytes as serialize(), for a file written again and again as its
// recipients complete (a checkpoint after each transaction): each
// recipient's JSON is kept with the state it was made from and made again
// only when that state has changed.  One writer per queue file.
class queue_file_writer {
 public:
  std::string serialize(const queue_file& file);

 private:
  std::vector<std::optional<recipient_state>> written_;  // by position in the file
  std::vector<std::string> json_;                        // what each of those became
  std::size_t json_size_ = 0;                            // their total length
};
// nullopt for anything that is not a complete, intact queue file; `why`
// (when given) then says what is wrong.  A file that lists a recipient
// twice (written before duplicates were merged) is read with them merged.
std::optional<queue_file> parse_queue_file(std::string_view bytes, std::string* why = nullptr);

std::string_view status_name(rcpt_status s);  // "pending", "delivered", ...

// The recipients of a file by address, for code that looks up every one of
// a list (a campaign's hundred recipients would otherwise cost a search
// each).  The first of equal addresses.  Valid while recipients are neither
// added nor removed.
// Addresses are mostly asked for in the file's order (the scheduler's lists
// are built from it): a long list is searched onwards from the last one
// found, and indexed only when that search fails.
class recipient_lookup {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  explicit recipient_lookup(const std::vector<recipient_state>& rcpts);
  // The position of the (first) recipient with this address, or npos:
  // what find_recipient() finds (in a long list, one that holds each
  // address once, as a queue file does).
  std::size_t find(std::string_view address) const;

 private:
  const std::vector<recipient_state>& rcpts_;
  mutable std::size_t next_ = 0;  // the guess
  mutable bool indexed_ = false;
  mutable std::unordered_map<std::string_view, std::size_t> by_address_;  // for long lists only
};

}  // namespace sim::mta
