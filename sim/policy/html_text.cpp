// sim/policy/html_text.cpp - HTML to visible text and links in one pass.
#include "sim/policy/html_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "sim/message/text.hpp"

namespace sim::policy {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

constexpr std::array<std::string_view, 32> block_tags = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tr", "ul"};
constexpr std::array<std::string_view, 3> hidden_tags = {"script", "style", "title"};

template <std::size_t N>
bool one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// The reference starting at text[i] == '&': its decoded bytes and length,
// or nullopt when it is not one we know.
std::optional<std::pair<std::string, std::size_t>> reference_at(std::string_view text, std::size_t i) {
  const std::size_t semi = text.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return std::nullopt;
  const std::string_view name = text.substr(i + 1, semi - i - 1);
  const std::size_t length = semi - i + 1;
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> named = {
      {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}}};
  for (const auto& [n, v] : named) {
    if (message::iequals(name, n)) return std::pair{std::string(v), length};
  }
  if (name.size() < 2 || name[0] != '#') return std::nullopt;
  const bool hex = name[1] == 'x' || name[1] == 'X';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty()) return std::nullopt;
  std::uint32_t cp = 0;
  for (char c : digits) {
    const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : hex && std::isxdigit(static_cast<unsigned char>(c)) ? (std::tolower(c) - 'a' + 10) : -1;
    if (d < 0) return std::nullopt;
    cp = std::min<std::uint32_t>(cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d), 0x110000);
  }
  std::string out;
  append_utf8(out, cp);
  return std::pair{out, length};
}

std::string decode_references(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') {
      if (auto ref = reference_at(text, i)) {
        out += ref->first;
        i += ref->second - 1;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

class html_reader {
 public:
  explicit html_reader(std::string_view html) : h_(html) {}

  html_content run() {
    while (i_ < h_.size()) {
      if (h_[i_] == '<' && markup()) continue;
      if (h_[i_] == '&') {
        if (auto ref = reference_at(h_, i_)) {
          for (char c : ref->first) emit(c);
          i_ += ref->second;
          continue;
        }
      }
      emit(h_[i_++]);
    }
    close_link();
    if (!out_.text.empty() && out_.text.back() != '\n') out_.text += '\n';
    return std::move(out_);
  }

 private:
  void emit(char c) {
    if (is_space(c)) {
      space_ = !out_.text.empty() && out_.text.back() != '\n';
      return;
    }
    if (space_) out_.text += ' ';
    space_ = false;
    out_.text += c;
  }

  void line_break() {
    space_ = false;
    if (!out_.text.empty() && out_.text.back() != '\n') out_.text += '\n';
  }

  void close_link() {
    if (!link_) return;
    out_.links[*link_].text = std::string(message::trim(std::string_view(out_.text).substr(link_start_)));
    link_.reset();
  }

  // Skips past `end` (or to the end of input).
  void skip_past(std::string_view end) {
    const std::size_t at = h_.find(end, i_);
    i_ = at == std::string_view::npos ? h_.size() : at + end.size();
  }

  // At '<': a comment, declaration or tag is consumed (true); a '<' that
  // starts none of them is text (false).
  bool markup() {
    const std::string_view rest = h_.substr(i_);
    if (rest.starts_with("<!--")) {
      i_ += 4;
      skip_past("-->");
      return true;
    }
    if (rest.size() < 2) return false;
    if (rest[1] == '!' || rest[1] == '?') {
      skip_past(">");
      return true;
    }
    const bool closing = rest[1] == '/';
    const std::size_t name_at = i_ + (closing ? 2 : 1);
    if (name_at >= h_.size() || !std::isalpha(static_cast<unsigned char>(h_[name_at]))) return false;
    tag(closing, name_at);
    return true;
  }

  void tag(bool closing, std::size_t name_at) {
    i_ = name_at;
    while (i_ < h_.size() && is_name_char(h_[i_])) ++i_;
    const std::string name = message::to_lower(h_.substr(name_at, i_ - name_at));
    const std::optional<std::string> href = attributes(name == "a" || name == "area");
    if (one_of(name, block_tags)) line_break();
    if (name == "td" || name == "th") emit(' ');
    if (closing) {
      if (name == "a") close_link();
      return;
    }
    if (one_of(name, hidden_tags)) {
      skip_hidden(name);
      return;
    }
    if (href && out_.links.size() < html_max_links) {
      close_link();
      out_.links.push_back({decode_references(*href), ""});
      link_ = out_.links.size() - 1;
      link_start_ = out_.text.size();
    }
  }

  // Reads attributes up to '>'; returns the href when `want_href`.
  std::optional<std::string> attributes(bool want_href) {
    std::optional<std::string> href;
    while (i_ < h_.size() && h_[i_] != '>') {
      if (is_space(h_[i_]) || h_[i_] == '/') { ++i_; continue; }
      const std::size_t name_at = i_;
      while (i_ < h_.size() && !is_space(h_[i_]) && h_[i_] != '=' && h_[i_] != '>') ++i_;
      const std::string_view attr = h_.substr(name_at, i_ - name_at);
      while (i_ < h_.size() && is_space(h_[i_])) ++i_;
      if (i_ >= h_.size() || h_[i_] != '=') continue;
      ++i_;
      while (i_ < h_.size() && is_space(h_[i_])) ++i_;
      std::string_view value;
      if (i_ < h_.size() && (h_[i_] == '"' || h_[i_] == '\'')) {
        const std::size_t end = h_.find(h_[i_], i_ + 1);
        const std::size_t stop = end == std::string_view::npos ? h_.size() : end;
        value = h_.substr(i_ + 1, stop - i_ - 1);
        i_ = std::min(stop + 1, h_.size());
      } else {
        const std::size_t start = i_;
        while (i_ < h_.size() && !is_space(h_[i_]) && h_[i_] != '>') ++i_;
        value = h_.substr(start, i_ - start);
      }
      if (want_href && message::iequals(attr, "href")) href = std::string(message::trim(value));
    }
    if (i_ < h_.size()) ++i_;  // '>'
    return href;
  }

  // Drops everything up to the element's end tag ("</script", any case).
  void skip_hidden(const std::string& name) {
    const std::string end = "</" + name;
    while (i_ < h_.size()) {
      const std::size_t lt = h_.find("</", i_);
      if (lt == std::string_view::npos) break;
      i_ = lt + 2;
      if (message::iequals(h_.substr(lt, end.size()), end)) {
        skip_past(">");
        return;
      }
    }
    i_ = h_.size();
  }

  std::string_view h_;
  std::size_t i_ = 0;
  html_content out_;
  bool space_ = false;
  std::optional<std::size_t> link_;  // the <a> whose text is being read
  std::size_t link_start_ = 0;
};

}  // namespace

html_content html_to_text(std::string_view html) { return html_reader(html).run(); }

}  // namespace sim::policy
