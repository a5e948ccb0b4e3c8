// sim/mua/mua.hpp - the mail user agent: composes, submits, fetches.
//
// Submission (RFC 6409): SMTP to the sender's provider, on 587 with AUTH
// PLAIN (the mailbox password) or on 25.  A refusal during submission is
// the sender's own problem: it is recorded (`mua.reject`) and produces no
// bounce.  Retrieval: POP3 (RFC 1939) or IMAP (RFC 9051), with STLS
// (RFC 2595) or STARTTLS (RFC 9051 6.2.1) as the reader's `tls` policy says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"
#include "sim/message/compose.hpp"
#include "sim/net/network.hpp"
#include "sim/net/tls_client.hpp"
#include "sim/pop3/client_fsm.hpp"
#include "sim/smtp/command.hpp"

namespace sim::mua {

struct submission {
  message::compose_request message;  // date and message_id are filled in by submit()
  std::string tag;                   // the scenario's message id ("" = none)
  std::uint64_t sequence = 0;        // for a unique Message-ID
  std::string scenario;              // ditto
  std::string client_host;           // the machine the MUA runs on
  std::string via_host;
  std::string via_ip;
  std::uint16_t port = 587;
  std::optional<std::string> password;  // AUTH PLAIN as the sender
  // RFC 3461 DSN parameters (sent only to a server that offers DSN).
  smtp::dsn_ret ret = smtp::dsn_ret::unspecified;
  std::optional<std::string> envid;
  std::optional<smtp::dsn_notify> notify;                     // for every recipient
  std::vector<std::pair<std::string, std::string>> orcpt;     // recipient -> original recipient (rfc822)
  duration connect_timeout = std::chrono::seconds(30);
};

struct submit_result {
  std::string message_id;
  std::string raw;                  // the message as composed
  std::vector<std::string> accepted;  // recipients the server took
  bool refused = false;             // some recipient or the whole message was refused
};

// One message a reader opens: its Message-ID, the campaign it belongs to
// (`message` on mua.open and mua.complaint), and whether the reader
// presses "this is spam".
struct reading {
  std::string message_id;
  std::string campaign;
  bool report_spam = false;
};

struct fetch_request {
  std::string user;
  std::string password;
  bool delete_messages = true;
  std::string tag;
  std::string client_host;
  std::string server_host;
  std::string server_ip;
  std::uint16_t port = 110;
  duration connect_timeout = std::chrono::seconds(30);
  std::string protocol = "pop3";  // or "imap" (then `port` is usually 143)
  std::string folder = "INBOX";   // IMAP: the folder read
  std::string move_to;            // IMAP: move what was fetched into this folder (created when missing)
  // The reader's TLS policy (scenario key `tls`): none = in the clear; may =
  // STLS/STARTTLS when offered; encrypt = TLS or no fetch; verify = also a
  // certificate valid for the server's name.
  net::tls_level tls = net::tls_level::none;
  // A campaign's reader (engagement): the messages it opens, each traced as
  // mua.open once fetched.  IMAP fetches just these (BODY[] sets \Seen);
  // POP3 retrieves the maildrop (set delete_messages false to leave it on
  // the server) and opens these among it.  Those with `report_spam` are
  // moved into the \Junk folder (IMAP only), each traced as mua.complaint
  // once the MOVE succeeded.
  std::vector<reading> read;
};

class mua {
 public:
  mua(sim::clock& clk, sim::trace& tr, net::network& net) : clock_(clk), trace_(tr), net_(net) {}

  asio::awaitable<submit_result> submit(submission s);
  // POP3 or IMAP as `r.protocol` says; traces mua.fetch.
  asio::awaitable<pop3::fetch_result> fetch(fetch_request r);

 private:
  // IMAP: log in, select, search unseen, fetch, mark \Seen (expunge when
  // deleting); the result in POP3's terms.
  // `reported`: the Message-IDs a reader moved into \Junk, and that folder.
  asio::awaitable<pop3::fetch_result> fetch_imap(std::shared_ptr<net::stream> conn, const fetch_request& r,
                                                 net::client_tls_handshake start_tls, std::vector<std::string>& reported,
                                                 std::string& junk);
  // The reader's side of a simulated handshake with the server; what it
  // agreed goes in `*used`, for the trace.
  net::client_tls_handshake fetch_tls(const fetch_request& r, std::string* used);
  // A reader's mua.open per message opened and mua.complaint per report.
  void trace_reading(const fetch_request& r, const pop3::fetch_result& got, const std::vector<std::string>& reported,
                     const std::string& junk);
  void reject(const submission& s, const std::string& message_id, const std::string& what, int code,
              const std::string& enhanced, const std::string& text);
  // submit's steps: the message composed (Message-ID, date, mua.compose and
  // mua.submit traced; returns the envelope recipients), and a
  // mua.reject for every recipient (or the session, named by `failure`) refused.
  std::vector<std::string> compose(submission& s, submit_result& out);
  void reject_refused(const submission& s, submit_result& out, const std::vector<std::string>& sent,
                      const std::vector<std::optional<smtp::reply>>& replies, const std::vector<bool>& accepted,
                      const std::optional<smtp::reply>& session_reply, std::string_view failure);

  sim::clock& clock_;
  sim::trace& trace_;
  net::network& net_;
};

}  // namespace sim::mua
