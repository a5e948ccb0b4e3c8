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
std::vector<host> read_hosts(const node& n);
host_fault read_host_fault(const node& n, const scenario& s);
std::vector<timeline_entry> read_timeline(const node& n, const scenario& s);
std::vector<expectation> read_expect(const node& n, const scenario& s);

// References shared by the timeline and expectation readers.
const host& host_ref(const node& n, const scenario& s);           // an existing host name
std::string mailbox_ref(const node& n, const scenario& s);        // an address some host holds
bounds read_bounds(const object_reader& r);                       // count / min / max

// loader_spam.cpp: `policy.spam` (none = off) and the `allow` / `block` keys of an object.
std::optional<policy::spam_config> read_spam(const node& n);
policy::access_list read_access_lists(const object_reader& r);

}  // namespace sim::scenario::detail
