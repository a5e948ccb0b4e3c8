// One DSN input for the profile tests: alice's message to bob, refused at
// RCPT with a 550 (or, `refused`, never answered: the connection refused),
// described in the profile's words, as a failure report or (`delayed`) a delay warning with a 450.
#pragma once

#include "sim/mta/profiles/profile.hpp"

namespace test {

inline sim::mta::dsn_input sample_dsn_input(const sim::mta::profile& profile, bool delayed, bool refused) {
  using namespace std::chrono_literals;
  sim::mta::dsn_input in;
  in.delayed = delayed;
  in.reporting_mta = "mail.sender.test";
  in.queue_id = "4ABCDEF";
  in.original_sender = "alice@sender.test";
  in.arrival = sim::wall_time{} + std::chrono::seconds(1767225600);  // 2026-01-01T00:00:00Z
  in.now = in.arrival + (delayed ? 4h : 2h);
  in.lifetime = 120h;
  in.delay_warning = 4h;
  in.original = "Received: from mail.sender.test (mail.sender.test [192.0.2.25])\r\n"
                "\tby mail.sender.test (Postfix) with ESMTPSA id 4ABCDEF; Thu, 1 Jan 2026 00:00:00 +0000\r\n"
                "From: alice@sender.test\r\nTo: bob@example.org\r\nSubject: Hello\r\n"
                "Message-ID: <hello@sender.test>\r\n\r\nHi Bob.\r\n";
  in.message_id = "<20260101020000.4ABCDEF@mail.sender.test>";
  sim::mta::dsn_subject r;
  r.address = "bob@example.org";
  r.status = delayed ? "4.2.0" : refused ? "4.4.1" : "5.1.1";
  r.phase = refused ? "connect" : "rcpt";
  sim::mta::delivery_problem p;
  p.host = "mx1.example.org";
  p.ip = "198.51.100.10";
  p.phase = r.phase;
  p.rcpt = r.address;
  p.sender = in.original_sender;
  p.helo = in.reporting_mta;
  if (refused) {
    p.what = sim::mta::delivery_problem::kind::refused;
  } else {
    p.reply = delayed ? sim::smtp::reply(450, "4.2.0", "<bob@example.org>: Recipient address rejected: Greylisted")
                      : sim::smtp::reply(550, "5.1.1", "<bob@example.org>: Recipient address rejected: User unknown");
    r.diagnostic = delayed ? "450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted"
                           : "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown";
    r.remote_host = p.host;
  }
  r.reason = profile.describe(p);  // the profile's words, as its deliveries log them
  in.recipients.push_back(std::move(r));
  return in;
}

// A success report (NOTIFY=SUCCESS) about bob: `action` "delivered" (the
// LDA over LMTP) or "relayed" (to mx1, which offered no DSN), ORCPT given.
inline sim::mta::dsn_input sample_success_input(const sim::mta::profile& profile, const std::string& action) {
  sim::mta::dsn_input in = sample_dsn_input(profile, false, false);
  in.success = true;
  auto& r = in.recipients.front();
  r.action = action;
  r.status = "2.0.0";
  r.orcpt = "rfc822;Bob@Example.org";
  if (action == "delivered") {
    in.reporting_mta = "mx1.example.org";
    r.reason = "mx1.example.org[private/lmtp]";
    r.diagnostic = "250 2.0.0 <bob@example.org> Saved";
  } else {
    r.reason = "mx1.example.org[198.51.100.10]:25";
    r.diagnostic = "250 2.0.0 Ok: queued as 7F3A2B1C0D";
  }
  r.remote_host = "mx1.example.org";
  r.phase = "dot";
  return in;
}

}  // namespace test
