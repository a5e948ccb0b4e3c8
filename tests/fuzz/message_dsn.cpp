// message_dsn: sim/message's RFC 3464 delivery status notifications, written and read back.
//
// Input: one byte of options (action, RET), then four lines — the remote
// server's reply text (as a Diagnostic-Code, any octets but LF), the final
// recipient, the remote MTA and the ENVID (these three kept to the
// characters an SMTP path or a domain allows) — then the original message,
// any octets.  The whole input is also read as a DSN.
//
// Invariants: parse_dsn() of any text never crashes; a DSN composed from
// the fields reads back with the same reporting MTA, ENVID, recipient,
// action, status, remote MTA and diagnostic (unfolded, as written), names
// the returned part's type as RET and the size rule say, and returns the
// original message unchanged (with CRLF line ends) whatever it contains:
// no boundary, delimiter or header in it can break the report.
#include <string>

#include "sim/message/dsn.hpp"
#include "sim/message/message.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::message;

namespace {

// The characters of an SMTP path or a domain name; `fallback` when none.
std::string atom(std::string_view text, std::string_view fallback) {
  std::string out;
  for (char c : text)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
        c == '@' || c == '_')
      out += c;
  return out.empty() ? std::string(fallback) : out;
}

sim::wall_time at(std::int64_t seconds) { return sim::wall_time{std::chrono::seconds{1767603600 + seconds}}; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)parse_dsn(std::string_view(reinterpret_cast<const char*>(data), size));

  fuzz::input in(data, size);
  std::uint8_t opts = in.byte();
  std::string diagnostic(in.until('\n'));
  dsn_recipient r;
  r.final_recipient = atom(in.until('\n'), "bob@example.org");
  std::string remote = atom(in.until('\n'), "");
  std::string envid = atom(in.until('\n'), "ENV1");
  r.original_recipient = "rfc822;bob+2Bwork@example.org";
  r.action = (opts & 3) == 1 ? dsn_action::delayed : (opts & 3) == 2 ? dsn_action::delivered : dsn_action::failed;
  r.status = r.action == dsn_action::delayed ? "4.4.1" : r.action == dsn_action::delivered ? "2.0.0" : "5.1.1";
  if (!remote.empty()) r.remote_mta = remote;
  r.diagnostic_code = diagnostic;
  r.last_attempt_date = at(4);
  if (r.action == dsn_action::delayed) r.will_retry_until = at(5 * 86400);

  dsn_request d;
  d.reporting_mta = "mail.sender.test";
  d.original_sender = "alice@sender.test";
  d.envelope_id = envid;
  d.arrival_date = at(1);
  d.date = at(5);
  d.ret = (opts & 4) ? dsn_ret::full : (opts & 8) ? dsn_ret::hdrs : dsn_ret::unspecified;
  d.recipients.push_back(r);
  d.original_message = std::string(in.rest());

  const std::string raw = compose_dsn(d);
  auto got = parse_dsn(raw);
  fuzz::check(got.has_value(), "a composed DSN reads back", raw);
  fuzz::check(got->reporting_mta == d.reporting_mta, "the reporting MTA reads back");
  fuzz::check(got->original_envelope_id == envid, "the ENVID reads back", got->original_envelope_id);
  fuzz::check(got->recipients.size() == 1, "one recipient group per recipient", raw);
  const auto& back = got->recipients[0];
  fuzz::check(back.final_recipient == r.final_recipient, "the final recipient reads back", back.final_recipient);
  fuzz::check(back.original_recipient == "bob+work@example.org", "ORCPT reads back decoded", back.original_recipient);
  fuzz::check(back.action == to_string(r.action) && back.status == r.status, "action and status read back");
  fuzz::check(back.remote_mta == remote, "the remote MTA reads back", back.remote_mta);
  fuzz::check(back.diagnostic_code == unfold(diagnostic), "the diagnostic reads back unfolded", back.diagnostic_code);

  std::string original = to_crlf(d.original_message);
  bool full = original.size() <= max_returned_message && d.original_message.size() <= max_returned_message &&
              (d.ret == dsn_ret::full || (d.ret == dsn_ret::unspecified && r.action != dsn_action::delayed));
  fuzz::check(got->returned_type == (full ? "message/rfc822" : "text/rfc822-headers"), "RET and size choose the part",
              got->returned_type);
  mime_entity tree = parse_mime(raw);
  fuzz::check(tree.children.size() == 3, "a report has three parts", raw);
  std::string want = full ? original : message::parse(original).header_text();
  if (!want.ends_with("\r\n")) want += "\r\n";
  std::string returned = tree.children[2].entity.body();
  if (!returned.ends_with("\r\n")) returned += "\r\n";
  fuzz::check(returned == want, "the original comes back unchanged", returned);
  return 0;
}
