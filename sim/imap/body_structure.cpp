// sim/imap/body_structure.cpp - BODY and BODYSTRUCTURE (RFC 9051 §7.5.2).
#include "sim/imap/body_structure.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/imap/envelope.hpp"
#include "sim/imap/syntax.hpp"
#include "sim/message/text.hpp"
#include "sim/core/ascii.hpp"

namespace sim::imap {

namespace {

std::string params(const std::vector<std::pair<std::string, std::string>>& list) {
  if (list.empty()) return "NIL";
  std::string out = "(";
  for (const auto& [name, value] : list) {
    if (out.size() > 1) out += ' ';
    out += fmt::format("{} {}", format_string(ascii::to_upper(name)), format_string(value));
  }
  return out + ")";
}

std::size_t line_count(std::string_view body) {
  auto n = static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n'));
  return n + (!body.empty() && body.back() != '\n' ? 1 : 0);
}

// body-ext-1part / body-ext-mpart after the MD5 or the parameters:
// disposition, language, location.
std::string disposition_language_location(const message::message& m) {
  std::string dsp = "NIL";
  if (auto value = m.get("Content-Disposition")) {
    if (auto cd = message::parse_content_disposition(*value)) {
      dsp = fmt::format("({} {})", format_string(cd->type), params(cd->parameters));
    }
  }
  std::string lang = "NIL";
  if (auto value = m.get("Content-Language")) {
    std::vector<std::string> tags;
    std::string_view rest = *value;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto tag = message::trim(rest.substr(0, comma));
      if (!tag.empty()) tags.push_back(format_string(tag));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    if (tags.size() == 1) {
      lang = tags.front();
    } else if (tags.size() > 1) {
      std::string joined;
      for (const auto& t : tags) joined.append(joined.empty() ? "" : " ").append(t);
      lang = fmt::format("({})", joined);
    }
  }
  return fmt::format("{} {} {}", dsp, lang, format_nstring(m.get("Content-Location")));
}

std::string single_part(const message::mime_entity& e, message::content_type ct, bool ext) {
  const message::message& m = e.entity;
  // RFC 2045 §5.2: text without a charset is US-ASCII; say so.
  if (ct.type == "text" && !ct.parameter("charset")) ct.parameters.emplace_back("charset", "us-ascii");
  auto encoding = m.get("Content-Transfer-Encoding");
  std::string out = fmt::format("({} {} {} {} {} {} {}", format_string(ascii::to_upper(ct.type)), format_string(ascii::to_upper(ct.subtype)),
                                params(ct.parameters), format_nstring(m.get("Content-ID")),
                                format_nstring(m.get("Content-Description")),
                                format_string(encoding ? ascii::to_upper(message::trim(*encoding)) : "7BIT"), m.body().size());
  if (ct.mime_type() == "message/rfc822" && !e.children.empty()) {
    const auto& inner = e.children.front();
    out += fmt::format(" {} {} {}", format_envelope(inner.entity), format_body_structure(inner, ext),
                       line_count(m.body()));
  } else if (ct.type == "text") {
    out += fmt::format(" {}", line_count(m.body()));
  }
  if (ext) out += fmt::format(" {} {}", format_nstring(m.get("Content-MD5")), disposition_language_location(m));
  return out + ")";
}

}  // namespace

std::string format_body_structure(const message::mime_entity& e, bool extensible) {
  auto ct = message::content_type_of(e.entity);
  if (!ct.is_multipart()) return single_part(e, ct, extensible);
  std::string out = "(";
  for (const auto& child : e.children) out += format_body_structure(child, extensible);
  // A multipart needs at least one part (RFC 9051 §9 body-type-mpart):
  // an unparseable one shows as one empty text part.
  if (e.children.empty()) out += "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 0 0)";
  out += fmt::format(" {}", format_string(ascii::to_upper(ct.subtype)));
  if (extensible) out += fmt::format(" {} {}", params(ct.parameters), disposition_language_location(e.entity));
  return out + ")";
}

}  // namespace sim::imap
