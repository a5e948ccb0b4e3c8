// smtp_syntax: the SMTP parsers of sim/smtp — command lines, MAIL and RCPT
// with their parameters, paths and mailboxes, xtext, base64, EHLO keywords.
//
// Input: one command line (up to the first LF); the whole input is also
// given to each parser on its own.
//
// Invariants (parse, format, parse again gives the same value): MAIL and
// RCPT commands with every parameter; paths and mailboxes; xtext and
// base64 decode what they encode; EHLO keywords survive capability_lines().
// Errors are replies with a 5xx code and an enhanced status of class 5.
#include <string>

#include "sim/smtp/base64.hpp"
#include "sim/smtp/capabilities.hpp"
#include "sim/smtp/command.hpp"
#include "sim/smtp/mailbox.hpp"
#include "sim/smtp/xtext.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::smtp;

namespace {

void check_error(const reply& r, std::string_view input) {
  fuzz::check(r.code >= 500 && r.code <= 555, "a syntax error is a 5xx reply", input);
  fuzz::check(is_enhanced_status(r.enhanced) && r.enhanced[0] == '5', "with a class 5 enhanced status", input);
}

void mail_round_trip(std::string_view argument) {
  auto m = parse_mail(argument);
  if (!m.value) return check_error(m.error, argument);
  std::string line = format_mail(*m.value);
  command c = parse_command(line);
  fuzz::check(c.what == verb::mail, "format_mail gives a MAIL command", line);
  auto again = parse_mail(c.argument);
  fuzz::check(again.value.has_value(), "a formatted MAIL parses", line);
  fuzz::check(again.value->reverse_path == m.value->reverse_path && again.value->params == m.value->params,
              "MAIL survives format and parse", line);
}

void rcpt_round_trip(std::string_view argument) {
  auto r = parse_rcpt(argument);
  if (!r.value) return check_error(r.error, argument);
  std::string line = format_rcpt(*r.value);
  command c = parse_command(line);
  fuzz::check(c.what == verb::rcpt, "format_rcpt gives a RCPT command", line);
  auto again = parse_rcpt(c.argument);
  fuzz::check(again.value.has_value(), "a formatted RCPT parses", line);
  fuzz::check(again.value->forward_path == r.value->forward_path && again.value->params == r.value->params,
              "RCPT survives format and parse", line);
}

void path_round_trip(std::string_view text) {
  for (path_kind kind : {path_kind::reverse, path_kind::forward}) {
    auto p = parse_path(text, kind);
    if (!p.ok()) continue;
    if (!p.box) {
      fuzz::check(kind == path_kind::reverse, "only a reverse path may be null", text);
      continue;
    }
    std::string again_text = path_text(p.box);
    auto again = parse_path(again_text, kind);
    fuzz::check(again.ok() && again.box == p.box, "a path survives path_text and parse", again_text);
    if (!p.box->is_bare_postmaster()) {
      auto box = parse_mailbox(p.box->text());
      fuzz::check(box == p.box, "a path's mailbox survives text() and parse_mailbox", p.box->text());
    }
  }
  if (auto box = parse_mailbox(text)) {
    fuzz::check(is_domain(box->domain) || is_address_literal(box->domain), "a mailbox's domain is a domain", text);
    fuzz::check(parse_mailbox(box->text()) == box, "a mailbox survives text() and parse", box->text());
  }
}

void codec_round_trips(std::string_view text) {
  if (auto raw = xtext_decode(text)) fuzz::check(xtext_decode(xtext_encode(*raw)) == raw, "xtext round trip", text);
  fuzz::check(xtext_decode(xtext_encode(text)) == std::string(text), "xtext encodes anything", text);
  if (auto raw = base64_decode(text)) {
    fuzz::check(base64_decode(base64_encode(*raw)) == raw, "base64 round trip", text);
    fuzz::check(raw->size() == text.size() / 4 * 3 - (text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0),
                "base64 decodes 3 octets per 4 characters", text);
  }
  fuzz::check(base64_decode(base64_encode(text)) == std::string(text), "base64 encodes anything", text);
}

void capabilities_round_trip(std::string_view text) {
  reply ehlo{250, "", std::string("mx.test")};
  for (std::size_t nl; (nl = text.find('\n')) != std::string_view::npos; text.remove_prefix(nl + 1))
    ehlo.lines.emplace_back(text.substr(0, nl));
  ehlo.lines.emplace_back(text);
  capabilities caps = parse_capabilities(ehlo);
  reply again{250, "", std::string("mx.test")};
  for (auto& line : capability_lines(caps)) again.lines.push_back(line);
  capabilities back = parse_capabilities(again);
  fuzz::check(back.pipelining == caps.pipelining && back.size == caps.size &&
                  back.eight_bit_mime == caps.eight_bit_mime && back.dsn == caps.dsn &&
                  back.enhanced_status_codes == caps.enhanced_status_codes && back.smtputf8 == caps.smtputf8 &&
                  back.auth == caps.auth,
              "EHLO keywords survive capability_lines()");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::string_view line = in.until('\n');
  std::string_view whole(reinterpret_cast<const char*>(data), size);

  command c = parse_command(line);
  (void)has_control_bytes(line);
  std::string masked = mask_auth_line(line);
  if (c.what == verb::auth && c.argument.find(' ') != std::string::npos) {
    std::size_t secret = c.argument.size() - c.argument.find(' ');  // the response, with its space
    fuzz::check(masked == std::string(line.substr(0, line.size() - secret)) + " ********",
                "AUTH's response is masked", masked);
  } else {
    fuzz::check(masked == line, "only AUTH responses are masked", masked);
  }
  if (c.what == verb::mail) mail_round_trip(c.argument);
  if (c.what == verb::rcpt) rcpt_round_trip(c.argument);

  mail_round_trip(whole);
  rcpt_round_trip(whole);
  path_round_trip(line);
  codec_round_trips(line);
  capabilities_round_trip(whole);
  (void)is_domain(line);
  (void)is_address_literal(line);
  return 0;
}
