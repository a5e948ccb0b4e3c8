// sim/report/header_notes.hpp - what each header field of a delivered message says, and who wrote it.
//
// Read top to bottom a header is newest first: the LDA's Return-Path and
// Delivered-To on top, then one Received per hop (the last hop on top, so
// the chain reads bottom-up, RFC 5321 4.4), then the author's fields.  Each
// field gets a short note for a learner; Received fields get their hop number
// counted from the bottom.
#pragma once

#include <string>
#include <vector>

#include "sim/message/message.hpp"

namespace sim::report {

struct header_note {
  std::string text;  // the field as written ("Received: from ...\n\tby ..."), line ends removed
  std::string name;  // as written
  std::string note;  // what it says and who wrote it ("" when there is nothing to add)
  std::string kind;  // "trace", "lda", "auth", "author", "" : how it is coloured
  int hop = 0;       // Received: 1 for the bottom (oldest) one
};

// `filed_on` is the host whose LDA filed this copy (for the LDA's fields).
std::vector<header_note> annotate_header(const message::message& m, const std::string& filed_on);

// What a protocol keyword in a Received field means ("ESMTPA" -> "ESMTP with
// authentication: a submission"), RFC 3848; "" when unknown.
std::string protocol_meaning(const std::string& with);

}  // namespace sim::report
