// sim/report/message_copy.cpp - finding a message's delivered copies and showing one, header annotated.
#include <fmt/format.h>

#include "sim/message/message.hpp"
#include "sim/message/text.hpp"
#include "sim/report/dsn_view.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/glossary.hpp"
#include "sim/report/header_notes.hpp"
#include "sim/report/message_view.hpp"

namespace sim::report {
namespace {

constexpr std::size_t max_fields_shown = 120;

}  // namespace

std::string header_value(std::string_view raw, std::string_view name) {
  std::size_t at = 0;
  std::string value;
  bool in_field = false;
  while (at < raw.size()) {
    std::size_t end = raw.find('\n', at);
    std::string_view line = raw.substr(at, end == std::string_view::npos ? raw.size() - at : end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the header
    if (line[0] == ' ' || line[0] == '\t') {
      if (in_field) value.append(" ").append(message::trim(line));
    } else if (in_field) {
      break;
    } else {
      auto colon = line.find(':');
      if (colon != std::string_view::npos && message::iequals(message::trim(line.substr(0, colon)), name)) {
        in_field = true;
        value = std::string(message::trim(line.substr(colon + 1)));
      }
    }
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return value;
}

filed_index::filed_index(const std::vector<filed_message>& delivered) {
  for (std::size_t i = 0; i < delivered.size(); ++i) {
    std::string id = header_value(delivered[i].raw, "Message-ID");
    if (!id.empty()) by_id_[id].push_back(i);
  }
}

const std::vector<std::size_t>& filed_index::copies(const std::string& message_id) const {
  static const std::vector<std::size_t> none;
  auto it = by_id_.find(message_id);
  return it == by_id_.end() ? none : it->second;
}

// The header, one field per row with its note beside it, then the body.
std::string annotated_copy(const filed_message& copy, std::size_t max_bytes, bool show_body) {
  std::string_view raw = copy.raw;
  if (raw.size() > max_bytes * 4) raw = raw.substr(0, max_bytes * 4);  // never parse more than we could show
  auto m = message::message::parse(raw);
  auto notes = annotate_header(m, copy.host);
  std::string out = "<div class=\"hdr\">";
  std::size_t shown = 0, bytes = 0;
  for (const auto& n : notes) {
    if (shown >= max_fields_shown || bytes > max_bytes) break;
    ++shown;
    bytes += n.text.size();
    std::string hop = n.hop ? fmt::format("<span class=\"hop\">{}</span>", n.hop) : "";
    out += fmt::format("<div class=\"f {}\"><pre>{}{}</pre><p>{}</p></div>", n.kind.empty() ? "plain" : n.kind, hop,
                       xml_escape(n.text), link_terms(n.note));
  }
  if (shown < notes.size())
    out += fmt::format("<p class=\"cut\">\xE2\x80\xA6 {} more header fields not shown here.</p>", notes.size() - shown);
  out += "</div>";
  if (show_body) out += capped_pre(m.body(), max_bytes > bytes ? max_bytes - bytes : 256, "body");
  return out;
}

}  // namespace sim::report
