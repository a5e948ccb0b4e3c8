// sim/message/dsn_parse.cpp - read an RFC 3464 delivery status notification back.
#include "sim/message/dsn.hpp"
#include "sim/message/message.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"

namespace sim::message {

namespace {

// RFC 3464 section 2.1: the message/delivery-status body is groups of fields
// separated by empty lines; the first group is per message.
std::vector<message> field_groups(std::string_view content) {
  std::vector<message> groups;
  std::string group;
  for (const std::string_view line : split_lines(content)) {
    if (trim(line).empty()) {
      if (!group.empty()) groups.push_back(message::parse(group));
      group.clear();
      continue;
    }
    group += line;
    group += "\r\n";
  }
  if (!group.empty()) groups.push_back(message::parse(group));
  return groups;
}

// "rfc822; bob@example.org" -> "bob@example.org" (RFC 3464 section 2.1.2 types).
std::string typed_value(const message& group, std::string_view name) {
  const std::optional<std::string> value = group.get(name);
  if (!value) return {};
  const std::string_view text = *value;
  const auto semicolon = text.find(';');
  if (semicolon == std::string_view::npos) return *value;
  return std::string(trim(text.substr(semicolon + 1)));
}

dsn_report_recipient read_recipient(const message& group) {
  return {typed_value(group, "Final-Recipient"),
          typed_value(group, "Original-Recipient"),
          to_lower(group.get("Action").value_or("")),
          group.get("Status").value_or(""),
          typed_value(group, "Remote-MTA"),
          typed_value(group, "Diagnostic-Code"),
          group.get("Last-Attempt-Date").value_or(""),
          group.get("Will-Retry-Until").value_or("")};
}

void read_returned(const mime_entity& part, const std::string& type, dsn_report& report) {
  report.returned_type = type;
  if (type == "message/rfc822" && !part.children.empty()) {
    report.original_message_id = part.children.front().entity.get("Message-ID").value_or("");
  } else {
    report.original_message_id = message::parse(decode_body(part.entity)).get("Message-ID").value_or("");
  }
}

}  // namespace

std::optional<dsn_report> parse_dsn(std::string_view raw) {
  const mime_entity top = parse_mime(raw);
  // RFC 3462 says multipart/report; OpenSMTPD sends multipart/mixed with
  // the same parts, and mail readers read both.
  const std::string container = content_type_of(top.entity).mime_type();
  if (container != "multipart/report" && container != "multipart/mixed") return std::nullopt;
  std::optional<dsn_report> report;
  for (const mime_entity& part : top.children) {
    const std::string type = content_type_of(part.entity).mime_type();
    if (type == "message/delivery-status" && !report) {
      const auto groups = field_groups(decode_body(part.entity));
      if (groups.empty()) return std::nullopt;
      report.emplace();
      report->reporting_mta = typed_value(groups.front(), "Reporting-MTA");
      report->original_envelope_id = groups.front().get("Original-Envelope-Id").value_or("");
      report->arrival_date = groups.front().get("Arrival-Date").value_or("");
      for (std::size_t i = 1; i < groups.size(); ++i) report->recipients.push_back(read_recipient(groups[i]));
    } else if ((type == "message/rfc822" || type == "text/rfc822-headers") && report) {
      read_returned(part, type, *report);
    }
  }
  return report;
}

}  // namespace sim::message
