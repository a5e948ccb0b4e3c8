// sim/lda/filing.cpp - INBOX or Junk for one mailbox.
#include "sim/lda/filing.hpp"

#include <fmt/format.h>

#include "sim/message/message.hpp"
#include "sim/message/received.hpp"
#include "sim/message/text.hpp"
#include "sim/policy/header_syntax.hpp"

namespace sim::lda {
namespace {

// The header alone: the body is never looked at.
std::string_view header_of(std::string_view content) {
  std::size_t end = content.find("\r\n\r\n");
  if (end == std::string_view::npos) end = content.find("\n\n");
  return end == std::string_view::npos ? content : content.substr(0, end + 2);
}

std::string author_of(const message::message& m, std::string_view reverse_path) {
  if (auto from = m.get("From"))
    if (auto list = policy::parse_mailbox_list(*from); list && !list->empty()) return list->front().address;
  return std::string(reverse_path);
}

std::optional<policy::ip_address> client_of(const message::message& m) {
  auto top = m.get("Received");  // the first field: the one this host's MTA added
  if (!top) return std::nullopt;
  auto fields = message::parse_received(*top);
  return fields ? policy::parse_ip(fields->ip) : std::nullopt;
}

// "X-Reputation: junk (why)" above the first Received field: why, else none.
std::optional<std::string> reputation_junk(const message::message& m) {
  for (const auto& f : m.fields()) {
    if (message::iequals(f.name, "Received")) break;
    if (!message::iequals(f.name, reputation_field)) continue;
    std::string value(message::trim(f.value));
    if (!message::iequals(value.substr(0, 4), "junk")) return std::nullopt;
    std::string why(message::trim(std::string_view(value).substr(4)));
    if (why.size() >= 2 && why.front() == '(' && why.back() == ')') why = why.substr(1, why.size() - 2);
    return why;
  }
  return std::nullopt;
}

}  // namespace

folder_choice choose_folder(std::string_view content, std::string_view reverse_path, const filing_rules& rules) {
  const bool lists = rules.lists && !rules.lists->empty();
  if (!rules.read_junk_field && !rules.read_reputation_field && !lists) return {};
  const auto m = message::message::parse(header_of(content));
  const auto verdict = m.get("X-Spam");
  const bool spam = rules.read_junk_field && verdict && message::iequals(message::trim(*verdict), "yes");
  const auto reputation = rules.read_reputation_field ? reputation_junk(m) : std::nullopt;
  const bool junk = spam || reputation;
  if (!lists && !rules.read_junk_field && !junk) return {};  // reputation alone, and it said nothing
  const std::string why = spam ? std::string("spam filter verdict junk")
                               : reputation ? fmt::format("sender reputation: {}", *reputation) : std::string();
  if (!lists) return junk ? folder_choice{"Junk", why, true} : folder_choice{"INBOX", "", true};
  const auto placed = policy::place_in_mailbox(*rules.lists, client_of(m), author_of(m, reverse_path), junk);
  if (placed.folder == policy::inbox_folder && !junk && placed.reason == "not junk") return {"INBOX", "", true};
  return {std::string(placed.folder), placed.reason, true};
}

}  // namespace sim::lda
