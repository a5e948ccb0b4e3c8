// sim/http/views.hpp - hosts, mailboxes and queues as the API shows them (JSON).
#pragma once

#include "sim/http/world_api.hpp"

namespace sim::http {

// {"name", "ip", "roles", "services": [{"name", "port", "listen"}], "up", "faults"}
json host_json(const host_info& h);
// {"address", "host", "messages", "bytes", "folders": [{"name", "messages", "bytes"}]}
json mailbox_json(const mailbox_info& m);
// {"queue_id", "sender", "size", "arrival", "arrival_t", "attempts", "next_attempt",
//  "next_attempt_t", "recipients": [{"address", "state", "attempts", "last_reply",
//  "next_attempt", "next_attempt_t"}]}.  The message's attempts are its
//  recipients' most, its next attempt their earliest.
json queue_json(const queued_message& q, sim::wall_time start);

}  // namespace sim::http
