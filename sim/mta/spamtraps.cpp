// sim/mta/spamtraps.cpp - mail accepted for a spam-trap address.
//
// A trap is an address nobody gave out (or one abandoned long ago): mail
// to it shows that the sender's list was harvested or never cleaned.  Trap
// operators report the sending IP to blocklists; here each accepted
// message with a trap among its recipients is traced as `spamtrap.hit`
// (one per trap) and reported through the host's `on_trap_hit`.
#include <algorithm>

#include "sim/message/text.hpp"
#include "sim/mta/mta.hpp"
#include "sim/mta/mta_client_info.hpp"

namespace sim::mta {

void mta::note_trap_hits(const smtp::envelope& env, const client_info& client) {
  if (config_.spamtraps.empty()) return;
  for (const auto& r : env.recipients) {
    std::string address = message::to_lower(r.forward_path.text());
    if (std::find(config_.spamtraps.begin(), config_.spamtraps.end(), address) == config_.spamtraps.end()) continue;
    svc_.trace.emit(config_.host, "mta", "spamtrap.hit",
                    {{"session", client.conn.session}, {"peer", client.conn.client.host},
                     {"ip", client.conn.client.ip}, {"rcpt", address}});
    if (config_.on_trap_hit) config_.on_trap_hit(address, client.conn.client.ip);
  }
}

}  // namespace sim::mta
