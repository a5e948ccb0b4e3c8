// sim/embed/convert.hpp - the engine's types as the public API's plain data.
#pragma once

#include <string>

#include "mailsim/mailsim.hpp"
#include "sim/core/trace.hpp"
#include "sim/mta/queue_file.hpp"
#include "sim/scenario/expect.hpp"
#include "sim/scenario/world.hpp"

namespace mailsim::embed {

event to_event(const sim::event_view& e);
expectation_result to_expectation(const sim::scenario::expect_result& r);
mailbox to_mailbox(const sim::scenario::world::mailbox_view& m);
queued_message to_queued(const std::string& host, const sim::mta::queue_file& f);

}  // namespace mailsim::embed
