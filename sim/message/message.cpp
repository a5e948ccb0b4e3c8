// sim/message/message.cpp - RFC 5322 header parsing, unfolding and folding.
#include "sim/message/message.hpp"

#include <algorithm>

#include "sim/message/text.hpp"

namespace sim::message {

namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// RFC 5322 section 3.6.8: ftext is printable ASCII except ":".  White space
// before the colon is tolerated (obsolete syntax, section 4.5.8).
std::optional<std::size_t> field_colon(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::size_t end = colon;
  while (end > 0 && is_wsp(line[end - 1])) --end;
  if (end == 0) return std::nullopt;
  for (std::size_t i = 0; i < end; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c < 33 || c > 126) return std::nullopt;
  }
  return colon;
}

struct raw_line {
  std::string_view text;      // without the line end
  std::string_view line_end;  // "\r\n", "\n" or ""
};

raw_line next_line(std::string_view rest) {
  const auto lf = rest.find('\n');
  if (lf == std::string_view::npos) return {rest, {}};
  if (lf > 0 && rest[lf - 1] == '\r') return {rest.substr(0, lf - 1), rest.substr(lf - 1, 2)};
  return {rest.substr(0, lf), rest.substr(lf, 1)};
}

std::string_view name_of(const field& f) { return trim(f.name); }

}  // namespace

std::string unfold(std::string_view raw_value) {
  std::string out;
  out.reserve(raw_value.size());
  for (std::size_t i = 0; i < raw_value.size(); ++i) {
    const char c = raw_value[i];
    if (c == '\r' || c == '\n') continue;  // the white space after it stays
    out += c;
  }
  return std::string(trim(out));
}

std::string fold(std::string_view name, std::string_view value, std::string_view line_end) {
  std::string out;
  if (value.find('\n') != std::string_view::npos) {
    // Pre-folded (every Received field): each "\n" becomes `line_end`, every
    // "\r" goes; the text between is copied a line at a time.
    out.reserve(value.size() + value.size() / 16 + 1);
    if (value.empty() || !is_wsp(value.front())) out += ' ';
    for (std::size_t i = 0; i <= value.size();) {
      const std::size_t lf = std::min(value.find('\n', i), value.size());
      std::string_view piece = value.substr(i, lf - i);
      for (std::size_t cr; (cr = piece.find('\r')) != std::string_view::npos; piece.remove_prefix(cr + 1))
        out.append(piece.substr(0, cr));
      out.append(piece);
      if (lf < value.size()) out.append(line_end);
      i = lf + 1;
    }
    return out;
  }
  std::size_t column = name.size() + 1;
  bool line_has_word = false;
  std::size_t start = 0;
  while (start <= value.size()) {
    auto space = value.find(' ', start);
    if (space == std::string_view::npos) space = value.size();
    const auto word = value.substr(start, space - start);
    if (line_has_word && !word.empty() && column + 1 + word.size() > fold_column) {
      out += line_end;
      column = 0;
    }
    out += ' ';
    out += word;
    column += 1 + word.size();
    line_has_word = line_has_word || !word.empty();
    start = space + 1;
  }
  return out;
}

// The header ends at the first empty line; what follows never changes the
// fields, so parsing only up to there gives them all.
std::size_t header_end(std::string_view raw) {
  for (std::size_t lf = raw.find('\n'); lf != std::string_view::npos; lf = raw.find('\n', lf + 1)) {
    std::size_t next = lf + 1;
    if (next < raw.size() && raw[next] == '\r') ++next;
    if (next < raw.size() && raw[next] == '\n') return next + 1;
  }
  return raw.size();
}

// The lines as parse() reads them, but only the first field of that name
// is kept (each delivery asks for its Message-ID: no field is built for
// the others).  Its value gathers its continuation lines with their line
// ends, as parse() does, then is unfolded as get() unfolds it.
std::optional<std::string> header_value(std::string_view raw, std::string_view name) {
  std::optional<std::string> found;
  bool have_field = false, in_found = false;
  std::string_view last_end;  // the line end of the field being read
  for (std::string_view rest = raw; !rest.empty();) {
    const raw_line line = next_line(rest);
    if (line.text.empty() && !line.line_end.empty()) break;
    if (is_wsp(line.text.front()) && have_field) {
      if (in_found) {
        *found += last_end;
        *found += line.text;
      }
    } else if (const auto colon = field_colon(line.text)) {
      if (found) break;  // the first field of that name is whole
      have_field = true;
      in_found = iequals(trim(line.text.substr(0, *colon)), name);
      if (in_found) found.emplace(line.text.substr(*colon + 1));
    } else {
      break;
    }
    last_end = line.line_end;
    rest.remove_prefix(line.text.size() + line.line_end.size());
  }
  if (found) return unfold(*found);
  return std::nullopt;
}

// The lines as header_value() walks them; only the fields' names matter.
std::size_t header_count(std::string_view raw, std::string_view name) {
  std::size_t n = 0;
  bool have_field = false;
  for (std::string_view rest = raw; !rest.empty();) {
    const raw_line line = next_line(rest);
    if (line.text.empty() && !line.line_end.empty()) break;
    if (!is_wsp(line.text.front()) || !have_field) {
      const auto colon = field_colon(line.text);
      if (!colon) break;
      have_field = true;
      if (iequals(trim(line.text.substr(0, *colon)), name)) ++n;
    }
    rest.remove_prefix(line.text.size() + line.line_end.size());
  }
  return n;
}

namespace {

// parse() takes the line end of generated fields from the first line end.
std::string_view generated_line_end(std::string_view raw) {
  const auto lf = raw.find('\n');
  return lf == std::string_view::npos || (lf > 0 && raw[lf - 1] == '\r') ? "\r\n" : "\n";
}

}  // namespace

std::size_t size_with_fields_on_top(std::string_view raw, std::initializer_list<new_field> fields) {
  std::string_view line_end = generated_line_end(raw);
  std::size_t size = raw.size();
  for (const auto& f : fields) size += f.name.size() + 1 + fold(f.name, f.value, line_end).size() + line_end.size();
  return size;
}

std::string with_fields_on_top(std::string_view raw, std::initializer_list<new_field> fields) {
  std::string_view line_end = generated_line_end(raw);
  std::string out;
  out.reserve(raw.size() + 128);
  for (const auto& f : fields) {
    out += f.name;
    out += ':';
    out += fold(f.name, f.value, line_end);
    out += line_end;
  }
  out += raw;
  return out;
}

message message::parse(std::string_view raw) {
  message m;
  if (const auto lf = raw.find('\n'); lf != std::string_view::npos) {
    m.line_end_ = (lf > 0 && raw[lf - 1] == '\r') ? "\r\n" : "\n";
  }
  std::string_view rest = raw;
  while (!rest.empty()) {
    const raw_line line = next_line(rest);
    if (line.text.empty() && !line.line_end.empty()) {
      m.separator_ = std::string(line.line_end);
      rest.remove_prefix(line.line_end.size());
      break;
    }
    if (is_wsp(line.text.front()) && !m.fields_.empty()) {
      field& last = m.fields_.back();
      last.value += last.line_end;
      last.value += line.text;
      last.line_end = std::string(line.line_end);
    } else if (const auto colon = field_colon(line.text)) {
      m.fields_.push_back({std::string(line.text.substr(0, *colon)),
                           std::string(line.text.substr(*colon + 1)), std::string(line.line_end)});
    } else {
      break;  // not a header line: the body starts here (no separator)
    }
    rest.remove_prefix(line.text.size() + line.line_end.size());
  }
  m.body_ = std::string(rest);
  return m;
}

std::string message::header_text() const {
  std::string out;
  for (const field& f : fields_) {
    out += f.name;
    out += ':';
    out += f.value;
    out += f.line_end;
  }
  return out;
}

std::string message::serialize() const { return header_text() + separator_ + body_; }

std::optional<std::string> message::get(std::string_view name) const {
  for (const field& f : fields_) {
    if (iequals(name_of(f), name)) return unfold(f.value);
  }
  return std::nullopt;
}

std::vector<std::string> message::get_all(std::string_view name) const {
  std::vector<std::string> out;
  for (const field& f : fields_) {
    if (iequals(name_of(f), name)) out.push_back(unfold(f.value));
  }
  return out;
}

std::size_t message::count(std::string_view name) const {
  std::size_t n = 0;
  for (const field& f : fields_) n += iequals(name_of(f), name) ? 1 : 0;
  return n;
}

// A message with no header whose first line starts with white space would
// see that line become a continuation of the new field: an empty line keeps
// it in the body, as Postfix's cleanup does for a message without headers.
void message::keep_body_apart() {
  if (fields_.empty() && separator_.empty() && !body_.empty() && is_wsp(body_.front())) separator_ = line_end_;
}

void message::prepend(std::string_view name, std::string_view value) {
  keep_body_apart();
  fields_.insert(fields_.begin(), {std::string(name), fold(name, value, line_end_), line_end_});
}

void message::append(std::string_view name, std::string_view value) {
  keep_body_apart();
  if (!fields_.empty() && fields_.back().line_end.empty()) fields_.back().line_end = line_end_;
  fields_.push_back({std::string(name), fold(name, value, line_end_), line_end_});
}

std::size_t message::remove(std::string_view name) {
  return std::erase_if(fields_, [&](const field& f) { return iequals(name_of(f), name); });
}

void message::set_body(std::string body) {
  if (!fields_.empty() && fields_.back().line_end.empty()) fields_.back().line_end = line_end_;
  if (separator_.empty()) separator_ = line_end_;
  body_ = std::move(body);
}

}  // namespace sim::message
