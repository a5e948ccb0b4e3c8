// tests/sim/imap/server_fixture.hpp - bob's mailbox with three messages.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/sim/imap/server_driver.hpp"

namespace sim::imap::test {

inline const std::string message_one =
    "From: Alice <alice@example.com>\r\n"
    "To: Bob <bob@example.org>\r\n"
    "Subject: hello\r\n"
    "Date: Mon, 05 Jan 2026 08:00:00 +0000\r\n"
    "Message-ID: <one@example.com>\r\n"
    "\r\n"
    "first message\r\n";

inline const std::string message_two =
    "From: \"Carol C.\" <carol@example.net>\r\n"
    "To: bob@example.org, dave@example.org\r\n"
    "Cc: Team: erin@example.org, frank@example.org;\r\n"
    "Subject: =?UTF-8?B?Y2Fmw6k=?= report\r\n"
    "Date: Tue, 06 Jan 2026 10:00:00 +0100\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "the report is attached\r\n"
    "--b1\r\n"
    "Content-Type: application/octet-stream; name=\"r.bin\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"r.bin\"\r\n"
    "\r\n"
    "c2VjcmV0IHRva2Vu\r\n"
    "--b1--\r\n";

inline const std::string message_three =
    "From: alice@example.com\r\n"
    "To: bob@example.org\r\n"
    "Subject: big news\r\n"
    "Date: Wed, 07 Jan 2026 12:00:00 +0000\r\n"
    "\r\n"
    "line one\r\nline two\r\n";

struct server_fixture {
  server_fixture() {
    store.add_user("bob@example.org", "pw");
    store.add_user("carol@example.org");  // any password
    uids.push_back(store.deliver("bob@example.org", message_one, start_time()));
    uids.push_back(store.deliver("bob@example.org", message_two, start_time() + std::chrono::days(1)));
    uids.push_back(store.deliver("bob@example.org", message_three, start_time() + std::chrono::days(2)));
  }
  // A driver logged in as bob, greeting and OK taken.
  std::unique_ptr<server_driver> logged_in() {
    auto d = std::make_unique<server_driver>(store);
    d->send("a0 LOGIN bob@example.org pw\r\n");
    return d;
  }
  // ... with INBOX selected (or examined).
  std::unique_ptr<server_driver> selected(bool read_only = false) {
    auto d = logged_in();
    d->send(read_only ? "s0 EXAMINE INBOX\r\n" : "s0 SELECT INBOX\r\n");
    return d;
  }

  memory_mail_store store;
  std::vector<std::uint32_t> uids;
};

}  // namespace sim::imap::test
