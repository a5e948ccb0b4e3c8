// sim/campaign/plan.cpp - pacing and batches.
#include "sim/campaign/plan.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sim::campaign {

rate_parse parse_rate(std::string_view text) {
  rate_parse out;
  auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    out.error = "\"" + std::string(text) + "\" is not a rate (messages per period: \"50/s\", \"3000/h\", \"10/5m\")";
    return out;
  }
  auto count = text.substr(0, slash);
  if (!count.empty() && count.front() == '-') {
    out.error = "a rate cannot be negative (\"" + std::string(text) + "\")";
    return out;
  }
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
  if (count.empty() || ec != std::errc() || end != count.data() + count.size()) {
    out.error = "\"" + std::string(count) + "\" is not a whole number of messages";
    return out;
  }
  if (n == 0) {
    out.error = "a rate of 0 messages would never send anything";
    return out;
  }
  std::string period(text.substr(slash + 1));
  if (!period.empty() && !std::isdigit(static_cast<unsigned char>(period.front()))) period = "1" + period;
  auto per = sim::parse_duration(period);
  if (!per || per->count() <= 0) {
    out.error = "\"" + std::string(text.substr(slash + 1)) + "\" is not a period (\"s\", \"m\", \"h\", \"10s\")";
    return out;
  }
  if (*per > max_rate_period) {
    out.error = "a rate's period is at most 30d";
    return out;
  }
  out.value = rate{n, *per};
  return out;
}

std::uint64_t message_count(std::uint64_t recipients, std::uint64_t batch) {
  return batch == 0 ? 0 : (recipients + batch - 1) / batch;
}

std::pair<std::uint64_t, std::uint64_t> batch_of(std::uint64_t k, std::uint64_t recipients, std::uint64_t batch) {
  std::uint64_t first = k * batch;
  return {first, first >= recipients ? 0 : std::min(batch, recipients - first)};
}

sim::duration submit_offset(std::uint64_t k, const std::optional<rate>& pace) {
  if (!pace) return sim::duration{0};
  // k x period / N in the clock's unit: a period of at most 30 days
  // (2.6e9 ms) times at most max_recipients messages fits in 64 bits.
  auto per = static_cast<std::uint64_t>(pace->per.count());
  return sim::duration{static_cast<sim::duration::rep>(per * k / pace->messages)};
}

}  // namespace sim::campaign
