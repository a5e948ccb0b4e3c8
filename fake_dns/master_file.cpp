// fake_dns/master_file.cpp - RFC 1035 section 5 master files.
#include "fake_dns/master_file.hpp"

#include <optional>
#include <string>

#include <fmt/format.h>

#include "fake_dns/presentation.hpp"

namespace dns {
namespace {

// One record or directive: its text with comments dropped and parentheses
// turned into blanks (RFC 1035 5.1: they let an entry span lines).
struct entry {
  std::string text;
  std::size_t line = 0;
  bool blank_owner = false;  // began with a blank: the previous owner applies
};

class entry_splitter {
 public:
  entry_splitter(std::string_view text, std::string_view file_name) : text_(text), file_name_(file_name) {}

  std::vector<entry> split() {
    for (std::size_t i = 0; i < text_.size(); ++i) step(i);
    if (in_quotes_) fail(line_, "unterminated quoted string");
    if (depth_ > 0) fail(open_line_, "'(' is never closed");
    finish();
    return std::move(entries_);
  }

 private:
  [[noreturn]] void fail(std::size_t line, std::string_view what) const {
    throw parse_error(fmt::format("{}:{}: {}", file_name_, line, what));
  }

  void step(std::size_t& i) {
    char c = text_[i];
    if (at_line_start_) begin_line(c);
    if (c == '\n') return end_line();
    if (in_comment_) return;
    if (c == '\\') {
      current_.text += c;
      if (i + 1 < text_.size() && text_[i + 1] != '\n') current_.text += text_[++i];
      return;
    }
    if (c == '"') in_quotes_ = !in_quotes_;
    else if (in_quotes_) {}
    else if (c == ';') return void(in_comment_ = true);
    else if (c == '(') {
      if (depth_++ == 0) open_line_ = line_;
      c = ' ';
    } else if (c == ')') {
      if (depth_-- == 0) fail(line_, "')' without '('");
      c = ' ';
    }
    current_.text += c;
  }

  void begin_line(char c) {
    at_line_start_ = false;
    if (depth_ > 0) return;  // a continuation of the entry
    finish();
    current_ = entry{"", line_, c == ' ' || c == '\t'};
  }

  void end_line() {
    if (in_quotes_) fail(line_, "unterminated quoted string");
    in_comment_ = false;
    at_line_start_ = true;
    ++line_;
    current_.text += ' ';
  }

  void finish() {
    if (current_.text.find_first_not_of(" \t\r") != std::string::npos) entries_.push_back(std::move(current_));
    current_ = entry{};
  }

  std::string_view text_, file_name_;
  std::vector<entry> entries_;
  entry current_;
  std::size_t line_ = 1, open_line_ = 0;
  int depth_ = 0;
  bool in_quotes_ = false, in_comment_ = false, at_line_start_ = true;
};

class master_reader {
 public:
  master_reader(std::string_view origin, std::uint32_t default_ttl)
      : origin_(canonical_name(origin)), default_ttl_(default_ttl) {}

  void read(const entry& e) {
    auto tokens = tokenize(e.text);
    if (tokens.empty()) return;
    if (!e.blank_owner && !tokens[0].quoted && tokens[0].text.starts_with('$')) return directive(tokens);
    std::span<const token> fields(tokens);
    if (!e.blank_owner) {
      if (tokens[0].quoted) throw parse_error("the owner name cannot be a quoted string");
      owner_ = resolve_name(tokens[0].text, origin_);
      fields = fields.subspan(1);
    } else if (!owner_) {
      throw parse_error("a record with a blank owner before any owner was given");
    }
    bool ttl_given = false;
    auto ttl = dollar_ttl_ ? *dollar_ttl_ : last_ttl_ ? *last_ttl_ : default_ttl_;
    records_.push_back(parse_rr_fields(*owner_, fields, origin_, ttl, &ttl_given));
    if (ttl_given) last_ttl_ = records_.back().ttl;
  }

  std::vector<record> take() { return std::move(records_); }

 private:
  void directive(const std::vector<token>& tokens) {
    const auto& name = tokens[0].text;
    if (name == "$ORIGIN" || name == "$TTL") {
      if (tokens.size() != 2 || tokens[1].quoted) throw parse_error(fmt::format("{} takes one value", name));
      if (name == "$ORIGIN") {
        origin_ = resolve_name(tokens[1].text, origin_);
        return;
      }
      dollar_ttl_ = parse_ttl(tokens[1].text);
      if (!dollar_ttl_) throw parse_error(fmt::format("$TTL \"{}\" is not a valid TTL", tokens[1].text));
      return;
    }
    if (name == "$INCLUDE") throw parse_error("$INCLUDE is not supported: list each file in dns_files instead");
    throw parse_error(fmt::format("unknown directive {}", name));
  }

  std::string origin_;
  std::uint32_t default_ttl_;
  std::optional<std::string> owner_;
  std::optional<std::uint32_t> dollar_ttl_, last_ttl_;
  std::vector<record> records_;
};

}  // namespace

std::vector<record> parse_master_file(std::string_view text, std::string_view file_name, std::string_view origin,
                                      std::uint32_t default_ttl) {
  auto entries = entry_splitter(text, file_name).split();
  master_reader reader(origin, default_ttl);
  for (const auto& e : entries) {
    try {
      reader.read(e);
    } catch (const parse_error& error) {
      throw parse_error(fmt::format("{}:{}: {}", file_name, e.line, error.what()));
    }
  }
  return reader.take();
}

}  // namespace dns
