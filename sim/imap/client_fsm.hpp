// sim/imap/client_fsm.hpp - the MUA's IMAP fetch as a sans-I/O state machine.
//
// The dialogue of a scenario `fetch` with "protocol": "imap": log in
// (AUTHENTICATE PLAIN, with SASL-IR when offered, else LOGIN), SELECT the
// folder, UID SEARCH UNSEEN, then for each message UID FETCH BODY.PEEK[]
// and UID STORE +FLAGS.SILENT (\Seen) (with \Deleted when delete is asked
// for, then one UID EXPUNGE, or EXPUNGE without UIDPLUS), LOGOUT.  Server
// bytes go in (split anywhere); command bytes come out.  One command is
// outstanding at a time.  A reader (fetch_config::message_ids) searches by
// Message-ID, fetches BODY[] (which sets \Seen) and moves the messages it
// reports as spam into the \Junk folder.
//
// TLS (RFC 9051 6.2.1) as the reader's policy says (`tls`, the levels of
// smtp_tls_security_level): with `may` or stricter, STARTTLS before logging
// in when the capabilities list it; then a client_starttls action, and the
// session calls tls_started() (CAPABILITY again: what came before TLS is
// forgotten) or tls_failed().  `may` goes on in the clear when STARTTLS is
// not offered or refused; `encrypt` and `verify` give up (fetch_error::tls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sim/imap/command_reader.hpp"
#include "sim/imap/response.hpp"
#include "sim/net/tls.hpp"

namespace sim::imap {

struct fetch_config {
  std::string user;
  std::string password;
  std::string folder = "INBOX";  // UTF-8, "/" between levels
  bool delete_messages = false;
  // When set: after fetching, CREATE this folder (an existing one is fine)
  // and UID MOVE the fetched messages into it (RFC 6851), instead of
  // expunging them.
  std::string move_to{};
  net::tls_level tls = net::tls_level::none;
  // A reader (a campaign's engagement): read only the messages with these
  // Message-IDs (UID SEARCH HEADER Message-ID instead of UNSEEN), with
  // BODY[] so that the server sets \Seen itself (RFC 9051 §6.4.5), and
  // report as spam those whose Message-ID is in `report_spam`: UID MOVE them
  // into the folder with the \Junk special-use attribute (RFC 6154, found
  // with LIST RETURN (SPECIAL-USE)).
  std::vector<std::string> message_ids{};
  std::vector<std::string> report_spam{};
};

enum class fetch_error {
  none,
  greeting,  // the server did not greet with OK
  auth,      // AUTHENTICATE or LOGIN refused
  select,    // the folder could not be selected
  command,   // SEARCH, FETCH, STORE or EXPUNGE refused
  protocol,  // a response that is not IMAP, or not what was asked for
  closed,    // the connection ended (or BYE came) before LOGOUT completed
  timeout,   // the server did not answer in time (set by the session)
  tls,       // the reader's TLS policy was not met: STARTTLS not offered or refused, or the handshake failed
};
std::string_view to_string(fetch_error e);

struct fetched_message {
  std::uint32_t uid = 0;
  std::string content;  // BODY[] octets as the server sent them
};

struct fetch_result {
  std::vector<fetched_message> messages;
  std::uint32_t uidvalidity = 0;
  fetch_error error = fetch_error::none;
  std::string reply;  // the server line behind the error
  // report_spam: the UIDs moved (once the MOVE succeeded) and the \Junk
  // folder's name as the server listed it (decoded).
  std::vector<std::uint32_t> reported;
  std::string junk_folder;
};

// Send these bytes; `masked` is the command for the trace ("" for the rest
// of a command sent after a continuation request).
struct client_send {
  std::string bytes;
  std::string masked;
};
struct client_close {};
// Run the client's side of the TLS handshake now (after STARTTLS's OK).
struct client_starttls {};
using client_action = std::variant<client_send, client_close, client_starttls>;

class client_fsm {
 public:
  explicit client_fsm(fetch_config config);

  std::vector<client_action> receive(std::string_view bytes);
  void on_eof();
  void on_timeout();
  // The handshake after client_starttls: agreed (CAPABILITY, then log in),
  // or failed for `reason` (the fetch ends with fetch_error::tls).
  std::vector<client_action> tls_started();
  void tls_failed(const std::string& reason);

  bool tls_active() const { return tls_active_; }
  bool done() const { return phase_ == phase::done; }
  const fetch_result& result() const { return result_; }

 private:
  enum class phase { greeting, capability, starttls, tls, auth, select, search, fetch, store, expunge, create, move, list_junk, logout, done };

  void handle(const response& r, const std::string& line);
  void on_tagged(const response& r, const std::string& line);
  void on_untagged(const response& r, const std::string& line);
  // After the capabilities are known: STARTTLS as the policy says, else log in.
  void open();
  void authenticate();
  void next_message();
  void move_fetched();
  bool reader() const { return !config_.message_ids.empty(); }
  void search();
  // Reader: LIST the \Junk folder when a fetched message is to be reported.
  bool report_spam();
  void on_junk_listed();
  void on_list(const std::string& rest);
  // One piece of a command, sent when the server asks for it with "+".
  struct part {
    part(std::string b, bool lit = false, std::string m = {})
        : bytes(std::move(b)), literal(lit), masked(std::move(m)) {}
    std::string bytes;
    bool literal = false;  // a literal's octets (else a line sent on "+", like a SASL response)
    std::string masked;    // for the trace (the command's first part is filled in by command())
  };
  // Sends a command (the tag is added); each part after the first waits
  // for "+", except literals when the server offers LITERAL+.
  void command(phase next, std::vector<part> parts);
  void fail(fetch_error e, const std::string& line, bool logout);
  void finish();
  void stop(fetch_error e);
  bool offers(std::string_view capability) const;
  // An astring argument: quoted, or a literal when it cannot be quoted.
  static void add_string(std::vector<part>& parts, std::string_view value);

  fetch_config config_;
  command_reader reader_;
  phase phase_ = phase::greeting;
  std::vector<std::string> capabilities_;
  bool tls_active_ = false;
  std::string tag_;  // the outstanding command's
  std::size_t tags_ = 0;
  std::vector<part> waiting_;  // the rest of the command, one part per "+"
  std::vector<std::uint32_t> uids_;         // from SEARCH
  std::size_t next_ = 0;                    // the next of uids_ to fetch
  std::vector<std::uint32_t> fetched_uids_;
  std::vector<std::uint32_t> spam_uids_;    // reader: fetched, to report
  std::string junk_wire_;                   // reader: the \Junk folder's wire name
  fetch_result result_;
  std::vector<client_action> out_;
};

}  // namespace sim::imap
