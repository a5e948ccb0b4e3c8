// tests/sim/pop3/server_fixture.hpp - a small maildrop shared by the server tests.
#pragma once

#include <string>

#include "server_driver.hpp"
#include "sim/pop3/memory_maildrop.hpp"

namespace sim::pop3::test {

inline const std::string message_one = "Subject: one\r\n\r\nhello\r\n";
inline const std::string message_two = "Subject: two\r\nFrom: a@b\r\n\r\n.dot\r\n..\r\n.\r\nend\r\n";

struct server_fixture {
  server_fixture() {
    drop.add_user("bob@example.org", "pw");
    drop.add_user("carol@example.org");  // no password: any password works
    uid_one = drop.deliver("bob@example.org", message_one);
    uid_two = drop.deliver("bob@example.org", message_two);
  }
  // A driver already in TRANSACTION as bob, with the greeting and +OK taken.
  server_driver logged_in() {
    server_driver d(drop);
    d.feed("USER bob@example.org\r\nPASS pw\r\n");
    d.take_sent();
    return d;
  }

  memory_maildrop drop;
  std::string uid_one;
  std::string uid_two;
};

// The first line of `bytes`, without its CRLF.
inline std::string first_line(const std::string& bytes) { return bytes.substr(0, bytes.find("\r\n")); }

}  // namespace sim::pop3::test
