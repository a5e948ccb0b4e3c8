// sim/smtp/mailbox.hpp - RFC 5321 4.1.2 mailboxes and paths (sans-I/O).
//
// A mailbox is a local part (stored unquoted) and a domain (a name, stored
// in lower case since domains are case-insensitive, or an address literal
// "[192.0.2.1]" / "[IPv6:2001:db8::1]").  A path is a mailbox in angle
// brackets, possibly after a source route (RFC 5321 4.1.1.3 and appendix C:
// accepted and ignored); the reverse path may be the null path "<>", and a
// forward path may be "<postmaster>" (any case) with no domain.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sim::smtp {

struct mailbox {
  std::string local_part;  // without quotes or quoting backslashes
  std::string domain;      // empty only for <postmaster>

  // The canonical text form: local part quoted only when it must be
  // (RFC 5321 4.1.2 Quoted-string), then "@" and the domain.
  std::string text() const;
  bool is_bare_postmaster() const { return domain.empty(); }
  bool operator==(const mailbox&) const = default;
};

enum class path_error { none, syntax, too_long, local_part_too_long, domain_too_long };

struct path_result {
  std::optional<mailbox> box;  // empty for the null path when error == none
  path_error error = path_error::none;
  bool ok() const { return error == path_error::none; }
};

enum class path_kind { reverse, forward };

// Parses "<...>" as a reverse path (the null path allowed) or a forward
// path (<postmaster> allowed).
path_result parse_path(std::string_view text, path_kind kind);
// "local@domain" without brackets (scenario files, the MTA's configuration).
std::optional<mailbox> parse_mailbox(std::string_view text);
// RFC 5321 4.1.2 Domain (sub-domains of letters, digits and hyphens).
bool is_domain(std::string_view text);
// RFC 5321 4.1.3 address literal, brackets included.
bool is_address_literal(std::string_view text);
// "<" text ">" or "<>" for the null path.
std::string path_text(const std::optional<mailbox>& box);

}  // namespace sim::smtp
