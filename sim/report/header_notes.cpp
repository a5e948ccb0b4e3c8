// sim/report/header_notes.cpp - notes on the header fields of a delivered message.
#include "sim/report/header_notes.hpp"

#include <fmt/format.h>

#include "sim/message/received.hpp"
#include "sim/message/text.hpp"

namespace sim::report {
namespace {

using message::iequals;

std::string without_line_ends(const message::field& f) {
  std::string out = f.name + ":";
  for (char c : f.value)
    if (c != '\r') out += c;
  return out;
}

std::string received_note(const std::string& value, int hop, int hops) {
  auto r = message::parse_received(value);
  std::string head = fmt::format("Hop {} of {} (read bottom-up): ", hop, hops);
  if (!r) return head + "a Received field that does not say which host added it.";
  std::string from = r->from_host;
  if (!r->reverse_name.empty() && r->reverse_name != r->from_host) from += " (" + r->reverse_name + ")";
  if (!r->ip.empty()) from += " [" + r->ip + "]";
  std::string with = r->protocol.empty() ? "" : " with " + r->protocol;
  std::string meaning = protocol_meaning(r->protocol);
  if (!meaning.empty()) with += " (" + meaning + ")";
  std::string id = r->id.empty() ? "" : ", its queue id " + r->id;
  std::string rcpt = r->for_address.empty() ? "" : ", for <" + r->for_address + ">";
  return fmt::format("{}{} added this when it received the message from {}{}{}{}.", head, r->by_host, from, with, id, rcpt);
}

// The note for a field other than Received.  `report`: the message is a
// DSN, written by an MTA rather than by a person's MUA.
void describe(header_note& n, const std::string& value, const std::string& filed_on, bool report) {
  std::string by = filed_on.empty() ? "the LDA" : "the LDA on " + filed_on;
  if (iequals(n.name, "Return-Path")) {
    n.kind = "lda";
    n.note = "Written by " + by + " from the envelope sender (MAIL FROM): where bounces go.";
    if (value.find("<>") != std::string::npos) n.note += " Empty: this is a bounce, which is never bounced itself.";
  } else if (iequals(n.name, "Delivered-To")) {
    n.kind = "lda";
    n.note = "Written by " + by + ": the envelope recipient (RCPT TO) this copy was filed for.";
  } else if (iequals(n.name, "Authentication-Results")) {
    n.kind = "auth";
    auto semi = value.find(';');
    std::string head = value.substr(0, semi);
    std::string who(message::trim(head));
    n.note = "Written by " + (who.empty() ? std::string("the receiving server") : who) +
             ": its verdicts on SPF, DKIM and DMARC for this message.";
  } else if (iequals(n.name, "Received-SPF")) {
    n.kind = "auth";
    n.note = "Written by a receiving MTA: the SPF result for the envelope sender's domain and the client's address.";
  } else if (iequals(n.name, "DKIM-Signature")) {
    n.kind = "auth";
    n.note = "A DKIM signature: the domain in d= vouches for the signed header fields and the body.";
  } else if (report && (iequals(n.name, "From") || iequals(n.name, "Date") || iequals(n.name, "Message-ID"))) {
    n.kind = "author";
    n.note = "Written by the MTA that reports on the delivery: a DSN has no person as its author.";
  } else if (iequals(n.name, "From")) {
    n.kind = "author";
    n.note = "The author, as the reader sees it. Bounces go to the envelope sender instead (Return-Path).";
  } else if (iequals(n.name, "To") || iequals(n.name, "Cc")) {
    n.kind = "author";
    n.note = "The recipients shown to readers. Delivery follows the envelope (RCPT TO), which may differ: Bcc, lists.";
  } else if (iequals(n.name, "Message-ID")) {
    n.kind = "author";
    n.note = "A unique id the sender's MUA gave it; this report follows the message by it.";
  } else if (iequals(n.name, "Date")) {
    n.kind = "author";
    n.note = "When the sender's MUA wrote it.";
  } else if (iequals(n.name, "Subject")) {
    n.kind = "author";
  } else if (iequals(n.name, "Auto-Submitted")) {
    n.note = "Machine-generated (RFC 3834): automatic responders must not answer it.";
  } else if (iequals(n.name, "Content-Type") && value.find("multipart/report") != std::string::npos) {
    n.note = "A DSN: a human-readable part, a machine-readable delivery-status part, and the original (RFC 3464).";
  }
}

}  // namespace

std::string protocol_meaning(const std::string& with) {
  if (iequals(with, "ESMTPA")) return "ESMTP with authentication: a submission";
  if (iequals(with, "ESMTPSA")) return "ESMTP with TLS and authentication";
  if (iequals(with, "ESMTPS")) return "ESMTP with TLS";
  if (iequals(with, "ESMTP")) return "";
  if (iequals(with, "SMTP")) return "plain SMTP, no extensions";
  if (iequals(with, "LMTP")) return "from the MTA to the LDA on the same host";
  return "";
}

std::vector<header_note> annotate_header(const message::message& m, const std::string& filed_on) {
  int hops = static_cast<int>(m.count("Received"));
  int seen = 0;
  bool report = m.get("Content-Type").value_or("").find("multipart/report") != std::string::npos;
  std::vector<header_note> out;
  for (const auto& f : m.fields()) {
    header_note n;
    n.name = f.name;
    n.text = without_line_ends(f);
    std::string value = message::unfold(f.value);
    if (iequals(f.name, "Received")) {
      n.kind = "trace";
      n.hop = hops - seen++;
      n.note = received_note(value, n.hop, hops);
    } else {
      describe(n, value, filed_on, report);
    }
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace sim::report
