// sim/message/received.hpp - the Received trace field (RFC 5321 section 4.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/net/tls.hpp"
#include "sim/message/message.hpp"

namespace sim::message {

// What the receiving server knows when it stamps a message.
struct received_stamp {
  std::string helo;                          // the name the client gave in HELO/EHLO
  std::optional<std::string> reverse_name;   // PTR name of the client IP, when there is one
  std::string ip;                            // client address
  std::string by_host;                       // this server
  std::string protocol;                      // ESMTP, ESMTPA, ESMTPS, ESMTPSA, SMTP, LMTP (RFC 3848)
  std::string queue_id;                      // this server's id for the message
  std::vector<std::string> recipients;       // "for" only with exactly one
  sim::wall_time date;
  std::string envelope_from = {};            // the reverse path ("" = <>), for forms that show it (Exim)
  std::optional<net::tls_info> tls = {};     // the session's TLS, when it had one
};

// RFC 3848's "with" keyword: ESMTP, with S after TLS and A after AUTH.
std::string received_protocol(bool tls, bool authenticated);

// Postfix's TLS comment (smtpd_tls_received_header):
// "using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)".
std::string tls_comment(const net::tls_info& tls);

// The field value, pre-folded for message::prepend() ("\n\t" between clauses):
//   from HELO (REVERSE [IP])
//   	(using TLSv1.3 with cipher ... (256/256 bits))     after TLS only
//   	by HOST (mailsim) with ESMTP id QUEUEID
//   	for <rcpt>; DATE
std::string format_received(const received_stamp& stamp);

// What a Received field says, as far as mailsim reads it back.
struct received_fields {
  std::string from_host;     // the "from" domain (the HELO name, or "[IP]")
  std::string reverse_name;  // from the comment after it ("" when absent)
  std::string ip;            // address in the comment's "[...]" or the literal
  std::string by_host;
  std::string protocol;      // "with"
  std::string id;
  std::string for_address;   // without angle brackets
  std::string date;          // after the last ";"
};

// Reads an unfolded or folded Received value; nullopt without a "by" clause.
std::optional<received_fields> parse_received(std::string_view value);

// The hosts a message passed, oldest first: the "by" host of each Received
// field from the bottom of the header to the top (fields that do not parse
// are skipped).  Loop detection counts count("Received") instead.
std::vector<std::string> received_path(const message& m);

}  // namespace sim::message
