// sim/pop3/maildrop.hpp - what the POP3 server needs from a mailbox store.
//
// The lead's mailbox store implements this for the simulation and live
// mode; memory_maildrop is a small twin for tests.  Calls are synchronous:
// the store lives in memory (durability is the store's business).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sim::pop3 {

// One message as the server sees it at the start of a session.
struct maildrop_message {
  std::string uid;      // stable and unique in the maildrop (RFC 1939 section 7, UIDL)
  std::string content;  // the raw message, lines ending in CRLF
};

class maildrop {
 public:
  virtual ~maildrop() = default;

  // True when `user` exists and `password` is right; a mailbox with no
  // password set accepts any password.
  virtual bool check_password(std::string_view user, std::string_view password) const = 0;
  // RFC 1939 section 4: the server takes an exclusive lock on the maildrop.
  // False when another session holds it.
  virtual bool try_lock(std::string_view user) = 0;
  virtual void unlock(std::string_view user) = 0;
  // The messages now in the maildrop, oldest first (message 1 is the first).
  virtual std::vector<maildrop_message> open(std::string_view user) = 0;
  // RFC 1939 section 6 (UPDATE state): removes the messages with these uids.
  // Messages that arrived after open() are never touched.
  virtual void commit(std::string_view user, const std::vector<std::string>& deleted_uids) = 0;
};

// The answer to a PASS: whether the session may enter TRANSACTION, and the
// snapshot it works on.
struct authorization {
  // refused: the client's address has too many failed logins (login_limiter.hpp).
  enum class status { granted, denied, in_use, refused };
  status result = status::denied;
  std::vector<maildrop_message> messages;  // when granted
};

// Checks the password, takes the lock and opens the maildrop, in that order
// (an unknown user or a wrong password never learns about the lock).
// On `granted` the caller holds the lock and must unlock() it.
authorization authorize(maildrop& drop, std::string_view user, std::string_view password);

}  // namespace sim::pop3
