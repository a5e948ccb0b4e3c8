// sim/message/mime.cpp - Content-Type, multipart, base64 and quoted-printable.
#include "sim/message/mime.hpp"

#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::message {

namespace {

// Splits at ';' outside quoted strings.
std::vector<std::string> split_parameters(std::string_view text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ';' && !quoted) { parts.emplace_back(); continue; }
    if (c == '"') quoted = !quoted;
    if (c == '\\' && quoted && i + 1 < text.size()) { parts.back() += c; parts.back() += text[++i]; continue; }
    parts.back() += c;
  }
  return parts;
}

std::string unquote(std::string_view value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::string(value);
  std::string out;
  for (std::size_t i = 1; i + 1 < value.size(); ++i) {
    if (value[i] == '\\' && i + 2 < value.size()) ++i;
    out += value[i];
  }
  return out;
}

// The "name=value" pieces after the first; stray ";" are tolerated.
std::vector<std::pair<std::string, std::string>> parameters_of(const std::vector<std::string>& parts) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string_view param = trim(parts[i]);
    const auto eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace_back(to_lower(trim(param.substr(0, eq))), unquote(trim(param.substr(eq + 1))));
  }
  return out;
}

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// A "--boundary" or "--boundary--" line; sets is_close for the latter.
bool is_delimiter(std::string_view line, std::string_view boundary, bool& is_close) {
  if (line.size() < boundary.size() + 2 || !line.starts_with("--") ||
      line.substr(2, boundary.size()) != boundary) {
    return false;
  }
  auto rest = line.substr(boundary.size() + 2);
  is_close = rest.starts_with("--");
  if (is_close) rest.remove_prefix(2);
  return trim(rest).empty();  // RFC 2046 section 5.1.1: transport padding
}

}  // namespace

std::optional<std::string> content_type::parameter(std::string_view name) const {
  for (const auto& [key, value] : parameters) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::optional<content_type> parse_content_type(std::string_view value) {
  const std::string text = strip_comments(value);
  auto parts = split_parameters(text);
  const std::string_view media = trim(parts.front());
  const auto slash = media.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  content_type ct{to_lower(trim(media.substr(0, slash))), to_lower(trim(media.substr(slash + 1))), {}};
  if (ct.type.empty() || ct.subtype.empty()) return std::nullopt;
  ct.parameters = parameters_of(parts);
  return ct;
}

std::optional<content_disposition> parse_content_disposition(std::string_view value) {
  auto parts = split_parameters(strip_comments(value));
  content_disposition cd{to_lower(trim(parts.front())), parameters_of(parts)};
  if (cd.type.empty()) return std::nullopt;
  return cd;
}

content_type content_type_of(const message& entity) {
  if (const auto value = entity.get("Content-Type")) {
    if (auto ct = parse_content_type(*value)) return *ct;
  }
  return {"text", "plain", {{"charset", "us-ascii"}}};
}

std::vector<std::string_view> split_multipart(std::string_view body, std::string_view boundary) {
  std::vector<std::string_view> parts;
  std::optional<std::size_t> part_start;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const auto lf = body.find('\n', pos);
    const std::size_t next = lf == std::string_view::npos ? body.size() : lf + 1;
    bool is_close = false;
    if (is_delimiter(trim(body.substr(pos, next - pos)), boundary, is_close) &&
        body.substr(pos, 2) == "--") {
      if (part_start) {
        std::size_t end = pos;  // the line end before the delimiter belongs to it
        if (end >= *part_start + 1 && body[end - 1] == '\n') --end;
        if (end >= *part_start + 1 && body[end - 1] == '\r') --end;
        parts.push_back(body.substr(*part_start, end - *part_start));
      }
      if (is_close) return parts;
      part_start = next;
    }
    pos = next;
  }
  if (part_start && *part_start < body.size()) parts.push_back(body.substr(*part_start));
  return parts;
}

std::string make_boundary(std::string_view seed, std::string_view content) {
  std::uint64_t hash = 1469598103934665603ull;
  for (char c : seed) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  std::string boundary = fmt::format("=_mailsim_{:016x}", hash);
  for (int n = 1; content.find(boundary) != std::string_view::npos; ++n) boundary += fmt::format("_{}", n);
  return boundary;
}

std::string base64_encode(std::string_view bytes, std::size_t line_length) {
  std::string out;
  std::size_t column = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      group = (group << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      out += k <= n ? base64_alphabet[(group >> (18 - 6 * k)) & 63] : '=';
    }
    column += 4;
    if (line_length > 0 && column >= line_length && i + 3 < bytes.size()) {
      out += "\r\n";
      column = 0;
    }
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  std::uint32_t group = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') { padding = true; continue; }
    const auto index = base64_alphabet.find(c);
    if (index == std::string_view::npos || padding) return std::nullopt;
    group = (group << 6) | static_cast<std::uint32_t>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((group >> bits) & 0xff);
    }
  }
  return out;
}

std::optional<unsigned char> decode_hex_pair(std::string_view two) {
  if (two.size() != 2) return std::nullopt;
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const int high = digit(two[0]);
  const int low = digit(two[1]);
  if (high < 0 || low < 0) return std::nullopt;
  return static_cast<unsigned char>(high * 16 + low);
}

std::string quoted_printable_decode(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const auto lf = text.find('\n');
    std::string_view line = text.substr(0, lf);
    const bool has_end = lf != std::string_view::npos;
    text.remove_prefix(has_end ? lf + 1 : text.size());
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    bool soft_break = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] != '=') { out += line[i]; continue; }
      if (i + 1 == line.size()) { soft_break = true; break; }
      if (const auto byte = decode_hex_pair(line.substr(i + 1, 2))) {
        out += static_cast<char>(*byte);
        i += 2;
      } else {
        out += '=';
      }
    }
    if (has_end && !soft_break) out += "\r\n";
  }
  return out;
}

namespace {

// RFC 2045 section 6.8: in a body, characters outside the base64 alphabet are
// ignored, and the data ends at the padding.
std::string base64_decode_body(std::string_view text) {
  std::string kept;
  for (char c : text) {
    if (c == '=') break;
    if (base64_alphabet.find(c) != std::string_view::npos) kept += c;
  }
  return base64_decode(kept).value_or(std::string());
}

}  // namespace

std::string decode_body(const message& entity) {
  const std::string encoding = to_lower(entity.get("Content-Transfer-Encoding").value_or("7bit"));
  if (encoding == "base64") return base64_decode_body(entity.body());
  if (encoding == "quoted-printable") return quoted_printable_decode(entity.body());
  return entity.body();
}

mime_entity parse_mime(std::string_view raw, int depth) {
  mime_entity node{message::parse(raw), {}};
  if (depth >= max_mime_depth) return node;
  const content_type ct = content_type_of(node.entity);
  if (ct.is_multipart()) {
    if (const auto boundary = ct.parameter("boundary"); boundary && !boundary->empty()) {
      for (const std::string_view part : split_multipart(node.entity.body(), *boundary)) {
        node.children.push_back(parse_mime(part, depth + 1));
      }
    }
  } else if (ct.mime_type() == "message/rfc822") {
    node.children.push_back(parse_mime(decode_body(node.entity), depth + 1));
  }
  return node;
}

}  // namespace sim::message
