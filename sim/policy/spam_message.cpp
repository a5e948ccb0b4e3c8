// sim/policy/spam_message.cpp - decoding a message once for the content rules.
#include "sim/policy/spam_message.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "sim/message/encoded_words.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"
#include "sim/policy/html_text.hpp"
#include "sim/policy/links.hpp"

namespace sim::policy {

using message::content_type;

namespace {

// RFC 2183 section 2 uses RFC 2045's parameter syntax, so the Content-Type
// reader reads "attachment; filename=..." once it is given as "x/attachment; ...".
std::optional<content_type> disposition_of(const message::message& entity) {
  const auto value = entity.get("Content-Disposition");
  if (!value) return std::nullopt;
  const std::size_t semi = value->find(';');
  const std::string_view type = message::trim(std::string_view(*value).substr(0, semi));
  const std::string rest = semi == std::string::npos ? "" : value->substr(semi);
  return message::parse_content_type("x/" + std::string(type) + rest);
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      if (const auto byte = message::decode_hex_pair(text.substr(i + 1, 2))) {
        out += static_cast<char>(*byte);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// RFC 2231 section 4: charset'language'%XX-encoded text; the charset is not converted.
std::string extended_value(std::string_view value) {
  const std::size_t first = value.find('\'');
  const std::size_t second = first == std::string_view::npos ? first : value.find('\'', first + 1);
  return percent_decode(second == std::string_view::npos ? value : value.substr(second + 1));
}

// A file name parameter in any of its forms: name="a.exe" (RFC 2047 words
// decoded, as mail programs write them), name*=utf-8''a.exe, or the RFC 2231
// section 3 continuations name*0=..., name*1*=...
std::string file_name(const content_type& params, const std::string& name) {
  if (auto v = params.parameter(name)) return message::decode_words(*v);
  if (auto v = params.parameter(name + "*")) return extended_value(*v);
  std::string joined;
  for (int n = 0; n < 100; ++n) {
    const std::string key = fmt::format("{}*{}", name, n);
    if (auto v = params.parameter(key)) joined += *v;
    else if (auto e = params.parameter(key + "*")) joined += n == 0 ? extended_value(*e) : percent_decode(*e);
    else break;
  }
  return joined;
}

bool is_base64_text(std::string_view body) {
  return std::all_of(body.begin(), body.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' || c == '\r' ||
           c == '\n' || c == ' ' || c == '\t';
  });
}

std::size_t non_space_count(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); }));
}

class scanner {
 public:
  explicit scanner(scanned_message& out) : out_(out) {}

  void walk(const message::mime_entity& node, int depth) {
    if (out_.parts.size() >= spam_max_parts) return;
    const message::message& e = node.entity;
    if (const auto value = e.get("Content-Type"); value && !message::parse_content_type(*value)) {
      problem(fmt::format("Content-Type \"{}\" cannot be read", value->substr(0, 60)));
    }
    const content_type ct = message::content_type_of(e);
    if (ct.is_multipart() || ct.mime_type() == "message/rfc822") {
      if (depth >= message::max_mime_depth) {  // parse_mime did not look inside
        problem(fmt::format("MIME parts nested deeper than {} levels", message::max_mime_depth));
        return;
      }
      if (ct.is_multipart()) check_multipart(node, ct);
      for (const auto& child : node.children) walk(child, depth + 1);
      return;
    }
    leaf(e, ct);
  }

 private:
  void problem(std::string text) { out_.mime_problems.push_back(std::move(text)); }

  void check_multipart(const message::mime_entity& node, const content_type& ct) {
    const auto boundary = ct.parameter("boundary");
    if (!boundary || boundary->empty()) problem(ct.mime_type() + " without a boundary parameter");
    else if (node.children.empty()) problem(ct.mime_type() + " with no part");
    else if (node.entity.body().find("--" + *boundary + "--") == std::string::npos)
      problem(ct.mime_type() + " never closed (no --boundary-- line)");
  }

  void leaf(const message::message& e, const content_type& ct) {
    scanned_part part;
    part.mime_type = ct.mime_type();
    const auto disposition = disposition_of(e);
    if (disposition) part.filename = file_name(*disposition, "filename");
    if (part.filename.empty()) part.filename = file_name(ct, "name");
    part.attachment = (disposition && disposition->subtype == "attachment") ||
                      (!part.filename.empty() && ct.type != "text");
    part.text = !part.attachment && (part.mime_type == "text/plain" || part.mime_type == "text/html");
    const bool base64 = message::iequals(message::trim(e.get("Content-Transfer-Encoding").value_or("")), "base64");
    if (base64 && !is_base64_text(e.body())) problem(part.mime_type + " part with bytes outside the base64 alphabet");
    if (part.text && text_parts_++ < spam_max_text_parts) read_text(e, part);
    out_.parts.push_back(std::move(part));
  }

  void read_text(const message::message& e, scanned_part& part) {
    const std::string decoded = message::decode_body(e);
    if (part.mime_type == "text/html") {
      html_content html = html_to_text(std::string_view(decoded).substr(0, spam_html_scan_bytes));
      part.visible_chars = non_space_count(html.text);
      html.text.resize(std::min(html.text.size(), spam_text_scan_bytes));
      part.body_text = std::move(html.text);
      for (const html_link& link : html.links) {
        const auto host = url_host(link.href);
        if (!host) continue;
        ++part.links;
        add_link(*host, link.text);
      }
      return;
    }
    part.body_text = message::to_lf(std::string_view(decoded).substr(0, spam_text_scan_bytes));
    for (const std::string& url : urls_in_text(part.body_text, spam_max_links)) {
      if (const auto host = url_host(url)) add_link(*host, "");
    }
  }

  void add_link(std::string host, std::string shown) {
    if (out_.links.size() < spam_max_links) out_.links.push_back({std::move(host), std::move(shown)});
  }

  scanned_message& out_;
  std::size_t text_parts_ = 0;
};

}  // namespace

std::vector<std::string> scanned_message::header_values(std::string_view name) const {
  std::vector<std::string> values;
  for (std::string& value : top.get_all(name)) {
    if (value.size() > 4 * spam_header_scan_bytes) value.resize(4 * spam_header_scan_bytes);
    std::string decoded = message::decode_words(value);
    if (decoded.size() > spam_header_scan_bytes) decoded.resize(spam_header_scan_bytes);
    values.push_back(std::move(decoded));
  }
  return values;
}

scanned_message scan_message(std::string_view raw) {
  scanned_message out;
  message::mime_entity root = message::parse_mime(raw);
  scanner(out).walk(root, 0);
  out.top = std::move(root.entity);
  return out;
}

}  // namespace sim::policy
