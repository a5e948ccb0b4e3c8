// sim/scenario/loader_parts.hpp - the readers of each part of a scenario
// file, used by loader.cpp (hosts first: the timeline and the expectations
// refer to them).
#pragma once

#include <vector>

#include "sim/scenario/loader_reader.hpp"

namespace sim::scenario::detail {

// The document, or a load_error (line and column for syntax errors).
json parse_document(std::string_view text, std::string_view name);
dns_entry read_record(const node& n);
// An MTA profile's name (sim/mta/profiles/).
std::string read_profile_name(const node& n);
// Hosts without `profile` / `dns_cache` keys get the scenario's.
std::vector<host> read_hosts(const node& n, const scenario& defaults);
host_fault read_host_fault(const node& n, const scenario& s);
std::vector<timeline_entry> read_timeline(const node& n, const scenario& s);
std::vector<expectation> read_expect(const node& n, const scenario& s);

// References shared by the timeline and expectation readers.
const host& host_ref(const node& n, const scenario& s);           // an existing host name
std::string mailbox_ref(const node& n, const scenario& s);        // an address some host holds
bounds read_bounds(const object_reader& r);                       // count / min / max
// RFC 3463 "5.7.1" whose class matches the reply code's first digit.
std::string read_enhanced(const node& n, int code);
// A reply text: a string, or an array of lines (a multi-line reply).
std::vector<std::string> read_reply_lines(const node& n);

}  // namespace sim::scenario::detail
