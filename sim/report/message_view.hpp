// sim/report/message_view.hpp - one message's story: its route, its hops, the copy delivered, its DSNs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/report/message_model.hpp"
#include "sim/report/report_input.hpp"

namespace sim::report {

// The value of the first header field `name` in `raw` (unfolded), or "".
// Reads only the header, so that finding copies stays cheap.
std::string header_value(std::string_view raw, std::string_view name);

// The delivered copies of each message, by Message-ID.
class filed_index {
 public:
  explicit filed_index(const std::vector<filed_message>& delivered);
  const std::vector<std::size_t>& copies(const std::string& message_id) const;

 private:
  std::unordered_map<std::string, std::vector<std::size_t>> by_id_;
};

struct message_context {
  const std::vector<filed_message>& delivered;
  const filed_index& copies;
  const message_model& model;
  const report_limits& limits;
};

// "delivered", "bounced", "refused", "deferred", "DSN": the message's outcome in a word, and its tone class.
std::pair<std::string, std::string> outcome_badge(const message_record& m);

// The anchor of the view of the message with that Message-ID ("msg-3"), "" when it has none.
std::string message_anchor(const message_model& model, const std::string& message_id);

// One delivered copy: each header field beside what it means (Received
// numbered bottom-up), then the body; at most `max_bytes` of either.
std::string annotated_copy(const filed_message& copy, std::size_t max_bytes, bool show_body);

// <article id="msg-N">: heading, envelope, route, hops with times, the DSNs
// it caused (rendered and raw), the delivered copy with its header annotated.
std::string message_article(const message_record& m, const message_context& ctx);

}  // namespace sim::report
