// sim/report/glossary.cpp - the glossary's entries and the term linker.
#include "sim/report/glossary.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "sim/report/escape.hpp"

namespace sim::report {
namespace {

const std::vector<glossary_entry> entries = {
    {"mua", "MUA (mail user agent)",
     "The program a person reads and writes mail with. It composes a message, submits it to its provider's server, "
     "and later fetches mail from a mailbox (POP3 or IMAP)."},
    {"msa", "MSA (message submission agent)",
     "The server that takes mail from its own users, on port 587 with a password (RFC 6409). It checks who is "
     "sending, then hands the message to its MTA to be relayed."},
    {"mta", "MTA (mail transfer agent)",
     "A mail server that receives messages over SMTP, keeps them in a queue until they are safely passed on, looks "
     "up where each recipient's mail goes, retries when the next hop fails, and bounces what cannot be delivered."},
    {"mx", "MX (mail exchanger)",
     "The DNS record naming the host that receives a domain's mail, with a preference: the lowest is tried first. "
     "A domain without MX records gets its mail at its own address (the implicit MX, RFC 5321 5.1)."},
    {"lda", "MDA / LDA (delivery agent)",
     "The last step: the program that files a message into the recipient's mailbox, adding Return-Path and "
     "Delivered-To. An MTA hands it mail over LMTP, a variant of SMTP that answers once per recipient."},
    {"envelope", "Envelope vs header",
     "The envelope is what SMTP carries beside the message: MAIL FROM (where bounces go) and RCPT TO (who gets it). "
     "The header (From:, To:, Subject:) is part of the message, for people. They may differ: Bcc, lists, forwarding."},
    {"return-path", "Return-Path",
     "The header field the LDA writes at delivery from the envelope sender: where bounces about this message go. "
     "It is empty (<>) on a bounce, so that bounces are never bounced."},
    {"received", "Received",
     "The trace field every server adds on top when it takes a message: from whom, by which host, with which "
     "protocol, when. Read from the bottom up, the Received lines are the message's route."},
    {"dsn", "DSN (bounce)",
     "A delivery status notification (RFC 3464): the report an MTA sends to the envelope sender when it gives up on "
     "a recipient, or when delivery is delayed. It has a text for people, a machine-readable status and the original."},
    {"spf", "SPF",
     "Sender Policy Framework (RFC 7208): a domain publishes in DNS which addresses may send its mail; a receiver "
     "checks the client's address against the envelope sender's domain."},
    {"dkim", "DKIM",
     "DomainKeys Identified Mail (RFC 6376): the sending domain signs header fields and the body; the receiver "
     "checks the signature with a public key found in DNS."},
    {"dmarc", "DMARC",
     "RFC 7489: the From: domain tells receivers what to do when neither SPF nor DKIM passes for a domain aligned "
     "with it, and where to send reports."},
    {"dnsbl", "DNSBL",
     "A DNS blocklist (RFC 5782): a receiver looks up the client's address in a zone listing known bad senders and "
     "refuses mail from those listed."},
    {"greylisting", "Greylisting",
     "A receiver temporarily refuses (4xx) mail from a sender it has not seen before; a real MTA retries later and "
     "gets through, much spamware never does (RFC 6647)."},
    {"backup-mx", "Backup MX",
     "An MX with a worse preference that accepts a domain's mail while the primary is down, queues it and relays it "
     "when the primary returns. It never relays to hosts of equal or worse preference."},
    {"null-mx", "Null MX",
     "\"MX 0 .\" (RFC 7505): the domain accepts no mail at all, so a sender bounces at once instead of retrying "
     "for days."},
    {"smtp", "SMTP",
     "Simple Mail Transfer Protocol (RFC 5321): a client sends commands (EHLO, MAIL FROM, RCPT TO, DATA), the "
     "server answers with codes: 2xx done, 3xx go on, 4xx try again later, 5xx refused for good."},
    {"pop3", "POP3",
     "Post Office Protocol (RFC 1939): how an MUA downloads the messages of a mailbox, and usually deletes them "
     "from the server afterwards."},
    {"hard-bounce", "Hard bounce",
     "A recipient refused for good: the receiver answered 5xx (an enhanced status 5.x.x such as 5.1.1 unknown user or "
     "5.7.1 refused by policy), so the sending MTA gives up at once and sends a DSN. Retrying would not help; a careful "
     "sender removes the address from its list."},
    {"soft-bounce", "Soft bounce",
     "A temporary failure (4xx, a 4.x.x status such as 4.2.2 mailbox full) that never went away: the sending MTA kept "
     "the message queued and retried until its queue lifetime ran out, then gave up and sent a DSN."},
    {"deferral", "Deferral",
     "A delivery attempt that got a temporary failure (4xx) or no answer: the MTA keeps the message in its queue and "
     "tries again later, waiting longer each time. Most deferred mail arrives at a later attempt; what never does "
     "becomes a soft bounce."},
    {"dnsbl-listing", "DNSBL listing",
     "The time a DNSBL lists an IP address: from when its operator adds the address to the zone (after spam-trap hits, "
     "for example) until it delists it. Meanwhile every receiver consulting that zone refuses the address's mail, "
     "usually with 554 5.7.1: this is how a sender's IP gets blacklisted."},
    {"spam-trap", "Spam trap",
     "An address nobody gave out, or an abandoned one turned into a trap. Mail to it proves that the sender's list "
     "was bought, harvested or never cleaned; trap operators report the sending IP to DNSBLs."},
    {"smarthost", "Smarthost",
     "A relay an MTA sends all its outbound mail through instead of looking up MX records, often because the relay "
     "has a better reputation or is the only way out."},
};

struct pattern {
  std::string_view text;
  const char* id;
  bool any_case;
};

// Longest first, so "backup MX" wins over "MX".
const std::vector<pattern>& patterns() {
  static const std::vector<pattern> list = [] {
    std::vector<pattern> p = {
        {"backup MX", "backup-mx", true},  {"null MX", "null-mx", true},       {"implicit MX", "mx", true},
        {"Return-Path", "return-path", false}, {"Received-SPF", "spf", false}, {"Delivered-To", "lda", false},
        {"greylisting", "greylisting", true}, {"greylisted", "greylisting", true}, {"greylist", "greylisting", true},
        {"smarthost", "smarthost", true},   {"submission", "msa", true},        {"envelope", "envelope", true},
        {"Received", "received", false},    {"bounce", "dsn", true},            {"DNSBL", "dnsbl", true},
        {"DMARC", "dmarc", true},           {"DKIM", "dkim", true},             {"LMTP", "lda", false},
        {"SMTP", "smtp", false},            {"POP3", "pop3", false},            {"DSN", "dsn", false},
        {"SPF", "spf", true},               {"MUA", "mua", false},              {"MSA", "msa", false},
        {"MTA", "mta", false},              {"LDA", "lda", false},              {"MDA", "lda", false},
        {"MX", "mx", false},
        {"hard bounces", "hard-bounce", true}, {"hard bounce", "hard-bounce", true},
        {"soft bounces", "soft-bounce", true}, {"soft bounce", "soft-bounce", true},
        {"deferrals", "deferral", true},    {"deferral", "deferral", true},
        {"DNSBL listing", "dnsbl-listing", false}, {"blacklisted", "dnsbl-listing", true},
        {"spam traps", "spam-trap", true},  {"spam trap", "spam-trap", true},
    };
    std::stable_sort(p.begin(), p.end(), [](const pattern& a, const pattern& b) { return a.text.size() > b.text.size(); });
    return p;
  }();
  return list;
}

// Letters, digits and the characters of host names and addresses: a term
// touching one of them is part of something else ("mx1", "spf-tag", "a@SMTP").
bool word_char(unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '@' || c >= 0x80; }

bool matches(std::string_view text, std::size_t at, const pattern& p) {
  if (text.size() - at < p.text.size()) return false;
  for (std::size_t i = 0; i < p.text.size(); ++i) {
    unsigned char a = static_cast<unsigned char>(text[at + i]), b = static_cast<unsigned char>(p.text[i]);
    if (p.any_case ? std::tolower(a) != std::tolower(b) : a != b) return false;
  }
  std::size_t end = at + p.text.size();
  if (end < text.size()) {
    unsigned char next = static_cast<unsigned char>(text[end]);
    // A dot ends a sentence ("the MX."), but not inside a name ("MX.example").
    if (word_char(next) || (next == '.' && end + 1 < text.size() && word_char(static_cast<unsigned char>(text[end + 1]))))
      return false;
  }
  return true;
}

}  // namespace

const std::vector<glossary_entry>& glossary() { return entries; }

std::string link_terms(std::string_view text) {
  std::string out;
  std::set<std::string_view> linked;
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0) {
      unsigned char before = static_cast<unsigned char>(text[i - 1]);
      if (word_char(before) || before == '.') continue;
    }
    for (const auto& p : patterns()) {
      if (linked.count(p.id) || !matches(text, i, p)) continue;
      out += xml_escape(text.substr(plain, i - plain));
      out += fmt::format("<a class=\"g\" href=\"#g-{}\">{}</a>", p.id, xml_escape(text.substr(i, p.text.size())));
      linked.insert(p.id);
      i += p.text.size() - 1;
      plain = i + 1;
      break;
    }
  }
  return out + xml_escape(text.substr(plain));
}

std::string glossary_html() {
  std::string out = "<dl class=\"glossary\">\n";
  for (const auto& e : entries)
    out += fmt::format("<dt id=\"g-{}\">{}</dt><dd>{}</dd>\n", e.id, xml_escape(e.term), xml_escape(e.definition));
  return out + "</dl>\n";
}

}  // namespace sim::report
