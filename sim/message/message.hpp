// sim/message/message.hpp - an RFC 5322 message: ordered header fields and a body.
//
// Parsing keeps every byte: a message that is parsed and not changed
// serializes back to exactly the input, whatever its line ends (CRLF or LF).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::message {

// RFC 5322 section 2.1.1: lines SHOULD be at most 78 characters.
inline constexpr std::size_t fold_column = 78;

// One header field as written: `name` ":" `value` `line_end`.
struct field {
  std::string name;      // as written ("Subject", "X-Mailer")
  std::string value;     // everything after the colon, folds kept as written
  std::string line_end;  // the field's final "\r\n" or "\n" ("" at end of input)
};

// RFC 5322 section 2.2.3: remove every line end that is followed by
// white space, then trim the ends.
std::string unfold(std::string_view raw_value);

// The raw value (leading space included) for a generated field.  A value
// holding "\n" followed by a space or tab is pre-folded: each "\n" becomes
// `line_end`.  Otherwise the value is folded at spaces so that lines stay
// within fold_column where a space allows it (section 2.2.3).
std::string fold(std::string_view name, std::string_view value, std::string_view line_end);

// Without building the whole message (for every delivery of a message, so
// the body is never copied to be looked at):
// - where the header ends (after its empty line; the whole text when none):
//   parse(raw.substr(0, header_end(raw))) has every field parse(raw) has;
std::size_t header_end(std::string_view raw);
// - the first field of that name, unfolded, as parse(raw).get(name) gives;
std::optional<std::string> header_value(std::string_view raw, std::string_view name);
// - how many fields of that name there are, as parse(raw).count(name) says;
std::size_t header_count(std::string_view raw, std::string_view name);
// - `raw` with these fields on top, in this order, exactly as parsing it,
//   prepending them (the last one first) and serializing would give.
struct new_field {
  std::string_view name;
  std::string_view value;
};
std::string with_fields_on_top(std::string_view raw, std::initializer_list<new_field> fields);
// - and only the size of that (when nobody needs the bytes).
std::size_t size_with_fields_on_top(std::string_view raw, std::initializer_list<new_field> fields);

class message {
 public:
  message() = default;
  // Header and body split at the first empty line; a line that is neither a
  // field nor a continuation also ends the header.  Never fails.
  static message parse(std::string_view raw);

  std::string serialize() const;
  // The header fields as serialized, without the empty separator line.
  std::string header_text() const;

  const std::vector<field>& fields() const { return fields_; }
  // First field of that name (case-insensitive), unfolded; nullopt if absent.
  std::optional<std::string> get(std::string_view name) const;
  std::vector<std::string> get_all(std::string_view name) const;
  std::size_t count(std::string_view name) const;

  // Trace fields go on top (RFC 5322 section 3.6.7); `value` as for fold().
  void prepend(std::string_view name, std::string_view value);
  void append(std::string_view name, std::string_view value);
  // Removes every field of that name; returns how many there were.
  std::size_t remove(std::string_view name);

  const std::string& body() const { return body_; }
  void set_body(std::string body);
  // The line end used for generated fields: the input's first one, or CRLF.
  const std::string& line_end() const { return line_end_; }

 private:
  void keep_body_apart();

  std::vector<field> fields_;
  std::string separator_;  // the empty line after the header ("" when absent)
  std::string body_;
  std::string line_end_ = "\r\n";
};

}  // namespace sim::message
