// sim/http/message_view.cpp - header fields, addresses and MIME parts of a stored message.
#include "sim/http/message_view.hpp"

#include <fmt/format.h>

#include "sim/message/encoded_words.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"

namespace sim::http {

namespace {

// The header and its empty line: a summary never copies the body.
std::string_view header_of(std::string_view raw) {
  auto crlf = raw.find("\r\n\r\n");
  auto lf = raw.find("\n\n");
  if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf < lf)) return raw.substr(0, crlf + 4);
  if (lf != std::string_view::npos) return raw.substr(0, lf + 2);
  return raw;
}

std::string decoded(const message::message& m, std::string_view name) {
  auto value = m.get(name);
  return value ? message::decode_words(*value) : std::string();
}

json time_json(const std::optional<sim::time_point>& t, sim::wall_time start) {
  if (!t) return nullptr;
  return format_rfc3339(start + t->time_since_epoch());
}

json summary_of(const stored_message& m, const message::message& header, sim::wall_time start) {
  json to = json::array();
  for (const auto& a : split_address_list(decoded(header, "To"))) to.push_back(a);
  json out = {{"id", m.id},           {"host", m.host}, {"mailbox", m.mailbox},
              {"folder", m.folder},   {"from", decoded(header, "From")},
              {"to", to},             {"subject", decoded(header, "Subject")},
              {"date", header.get("Date").value_or("")},
              {"size", m.raw.size()}, {"delivered", time_json(m.delivered, start)}};
  out["delivered_t"] = m.delivered ? json(millis(*m.delivered)) : json(nullptr);
  return out;
}

struct part_walk {
  json parts = json::array();
  json text = nullptr;
  json html = nullptr;

  void leaf(const message::message& entity, const std::string& path) {
    if (parts.size() >= max_listed_parts) return;
    auto type = message::content_type_of(entity);
    std::string disposition, filename;
    if (auto d = entity.get("Content-Disposition"))
      if (auto cd = message::parse_content_disposition(*d)) {
        disposition = cd->type;
        for (const auto& [name, value] : cd->parameters)
          if (name == "filename") filename = message::decode_words(value);
      }
    if (filename.empty())
      if (auto name = type.parameter("name")) filename = message::decode_words(*name);
    std::string charset = type.parameter("charset").value_or(type.type == "text" ? "us-ascii" : "");
    std::string body = message::decode_body(entity);
    json part = {{"part", path},         {"content_type", type.mime_type()}, {"charset", charset},
                 {"disposition", disposition}, {"filename", filename},           {"size", body.size()}};
    if (type.type == "text") {
      std::string utf8 = to_utf8(body, charset);
      bool inline_part = disposition != "attachment";
      if (inline_part && type.subtype == "plain" && text.is_null()) text = utf8;
      if (inline_part && type.subtype == "html" && html.is_null()) html = utf8;
      part["text"] = std::move(utf8);
    }
    parts.push_back(std::move(part));
  }

  static std::string join(const std::string& path, std::size_t index) {
    return path.empty() ? std::to_string(index) : fmt::format("{}.{}", path, index);
  }

  // Part numbers as IMAP gives them (RFC 9051 section 6.4.5, BODY[section]).
  void walk(const message::mime_entity& node, const std::string& path) {
    auto type = message::content_type_of(node.entity);
    if (type.is_multipart()) {
      for (std::size_t i = 0; i < node.children.size(); ++i) walk(node.children[i], join(path, i + 1));
    } else if (type.mime_type() == "message/rfc822" && !node.children.empty()) {
      const auto& inner = node.children.front();
      if (message::content_type_of(inner.entity).is_multipart()) walk(inner, path);
      else leaf(inner.entity, join(path, 1));
    } else {
      leaf(node.entity, path.empty() ? "1" : path);
    }
  }
};

}  // namespace

json summary_json(const stored_message& m, sim::wall_time start) {
  return summary_of(m, message::message::parse(header_of(m.raw)), start);
}

json detail_json(const stored_message& m, sim::wall_time start) {
  auto tree = message::parse_mime(m.raw);
  json out = summary_of(m, tree.entity, start);
  out["envelope"] = {{"mail_from", m.return_path}, {"rcpt_to", m.mailbox}};
  json headers = json::array();
  for (const auto& f : tree.entity.fields()) {
    auto value = message::unfold(f.value);
    headers.push_back({{"name", f.name}, {"value", value}, {"decoded", message::decode_words(value)}});
  }
  out["headers"] = std::move(headers);
  part_walk walk;
  walk.walk(tree, "");
  out["parts"] = std::move(walk.parts);
  out["text"] = std::move(walk.text);
  out["html"] = std::move(walk.html);
  return out;
}

std::vector<std::string> split_address_list(std::string_view value) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false;
  int comment = 0, angle = 0;
  auto flush = [&] {
    auto t = message::trim(current);
    if (!t.empty()) out.emplace_back(t);
    current.clear();
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && (quoted || comment > 0) && i + 1 < value.size()) {
      current += c;
      current += value[++i];
      continue;
    }
    if (c == '"' && comment == 0) quoted = !quoted;
    else if (!quoted && c == '(') ++comment;
    else if (!quoted && c == ')' && comment > 0) --comment;
    else if (!quoted && comment == 0 && c == '<') ++angle;
    else if (!quoted && comment == 0 && c == '>' && angle > 0) --angle;
    else if (!quoted && comment == 0 && angle == 0 && c == ',') {
      flush();
      continue;
    }
    current += c;
  }
  flush();
  return out;
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  auto cs = message::to_lower(charset);
  if (cs != "iso-8859-1" && cs != "latin1" && cs != "latin-1" && cs != "windows-1252") return std::string(bytes);
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

}  // namespace sim::http
