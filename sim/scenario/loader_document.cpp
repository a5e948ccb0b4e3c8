// sim/scenario/loader_document.cpp - JSON text to a document: comments
// allowed, syntax errors with line and column, duplicate keys refused.
#include <cctype>
#include <memory>

#include <fmt/format.h>

#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario::detail {
namespace {

// Line and column (both from 1) of the character at 0-based `offset`.
std::pair<std::size_t, std::size_t> position(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1,
// column 5: syntax error while parsing value - invalid literal; last read:
// 'x'" becomes "invalid literal; last read: 'x' (while parsing value)".
std::string syntax_message(std::string_view what) {
  auto colon = what.find(": ", what.find("column"));
  std::string_view rest = colon == std::string_view::npos ? what : what.substr(colon + 2);
  constexpr std::string_view prefix = "syntax error ";
  if (rest.substr(0, prefix.size()) == prefix) rest.remove_prefix(prefix.size());
  auto dash = rest.find(" - ");
  if (dash == std::string_view::npos) return std::string(rest);
  return fmt::format("{} ({})", rest.substr(dash + 3), rest.substr(0, dash));
}

// An unexpected token is reported where it starts, not where it ends.
std::size_t token_start(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return offset;
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; };
  if (text[offset] == '"') {
    std::size_t i = offset;
    while (i > 0 && !(text[i - 1] == '"' && (i < 2 || text[i - 2] != '\\'))) --i;
    return i > 0 ? i - 1 : offset;
  }
  std::size_t i = offset;
  while (i > 0 && is_word(text[i]) && is_word(text[i - 1])) --i;
  return i;
}

// Follows the parser through the document so that a key given twice in one
// object (which JSON parsers silently resolve to the last) is an error at
// its JSON pointer.
class duplicate_key_check {
 public:
  explicit duplicate_key_check(std::string_view name) : name_(name), frames_(std::make_shared<std::vector<frame>>()) {}

  // Where a value the parser could not hold sits (a number too large for
  // a double): the open container's pointer and the key or index it is at.
  std::string value_pointer() const {
    if (frames_->empty()) return "";
    const frame& top = frames_->back();
    return pointer() + "/" + (top.is_object ? pointer_token(top.key) : std::to_string(top.index));
  }

  bool operator()(int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: frames_->push_back({true, {}, {}, 0}); break;
      case json::parse_event_t::array_start: frames_->push_back({false, {}, {}, 0}); break;
      case json::parse_event_t::key: on_key(parsed.get<std::string>()); break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_->pop_back();
        element_done();
        break;
      case json::parse_event_t::value: element_done(); break;
    }
    return true;
  }

 private:
  struct frame {
    bool is_object;
    std::vector<std::string> keys;
    std::string key;
    std::size_t index;
  };

  void on_key(std::string key) {
    frame& top = frames_->back();
    if (std::find(top.keys.begin(), top.keys.end(), key) != top.keys.end())
      throw load_error(fmt::format("{}: {}/{}: duplicate key {}", name_, pointer(), pointer_token(key), quote(key)));
    top.keys.push_back(key);
    top.key = std::move(key);
  }

  void element_done() {
    if (!frames_->empty() && !frames_->back().is_object) ++frames_->back().index;
  }

  // The pointer of the innermost open object or array.
  std::string pointer() const {
    std::string out;
    const auto& frames = *frames_;
    for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
      out += '/';
      out += frames[i].is_object ? pointer_token(frames[i].key) : std::to_string(frames[i].index);
    }
    return out;
  }

  std::string_view name_;
  // Shared: the parser keeps its own copy of the callback, and the pointer
  // is still wanted after it throws.
  std::shared_ptr<std::vector<frame>> frames_;
};

}  // namespace

json parse_document(std::string_view text, std::string_view name) {
  duplicate_key_check walker(name);
  try {
    // `//` and `/* */` comments are allowed (scenario-format.md).
    return json::parse(text.begin(), text.end(), walker, true, true);
  } catch (const json::out_of_range& e) {
    // A number beyond a double's range ("1e400"): the file is at fault.
    std::string where = walker.value_pointer();
    throw load_error(fmt::format("{}: {}: a number out of range (larger than a double can hold)", name,
                                 where.empty() ? "top level" : where));
  } catch (const json::parse_error& e) {
    // e.byte counts the characters read, the offending one included.
    std::size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    // Lexer errors ("last read: ...") point at the character that broke
    // the token; parser errors at the start of the unexpected token.
    if (std::string_view(e.what()).find("last read:") == std::string_view::npos) offset = token_start(text, offset);
    auto [line, column] = position(text, offset);
    throw load_error(fmt::format("{}:{}:{}: syntax error: {}", name, line, column, syntax_message(e.what())));
  }
}

}  // namespace sim::scenario::detail
