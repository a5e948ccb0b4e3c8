// sim/mua/mua.hpp - the mail user agent: composes, submits, fetches.
//
// Submission (RFC 6409): SMTP to the sender's provider, on 587 with AUTH
// PLAIN (the mailbox password) or on 25.  A refusal during submission is
// the sender's own problem: it is recorded (`mua.reject`) and produces no
// bounce.  Retrieval: POP3 (RFC 1939).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"
#include "sim/message/compose.hpp"
#include "sim/net/network.hpp"
#include "sim/pop3/client_fsm.hpp"

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
  duration connect_timeout = std::chrono::seconds(30);
};

struct submit_result {
  std::string message_id;
  std::string raw;                  // the message as composed
  std::vector<std::string> accepted;  // recipients the server took
  bool refused = false;             // some recipient or the whole message was refused
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
  asio::awaitable<pop3::fetch_result> fetch_imap(std::shared_ptr<net::stream> conn, const fetch_request& r);
  void reject(const submission& s, const std::string& message_id, const std::string& what, int code,
              const std::string& enhanced, const std::string& text);

  sim::clock& clock_;
  sim::trace& trace_;
  net::network& net_;
};

}  // namespace sim::mua
