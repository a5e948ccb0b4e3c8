// sim/campaign/personalize.hpp - `{{field}}` templates filled per recipient.
//
// Fields: {{name}} (the recipient's name: from the list or the file, the
// generator's, else made from the local part), {{email}} (the address),
// {{local}} and {{domain}} (its two parts).  Spaces inside the braces are
// allowed ({{ name }}).  A template is checked when the scenario is loaded,
// so rendering never fails.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sim::campaign {

struct fields {
  std::string_view name;
  std::string_view email;
};

// The first problem of a template ("unknown field {{nmae}} (fields: name,
// email, local, domain)", "{{ at offset 12 is not closed"), or none.
std::optional<std::string> template_error(std::string_view text);
// Every {{field}} replaced; the text must have passed template_error().
std::string render(std::string_view text, const fields& f);
// "anna.berg" -> "Anna Berg": a name for a recipient listed without one.
std::string name_from_address(std::string_view address);

}  // namespace sim::campaign
