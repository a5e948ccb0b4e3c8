// sim/report/glossary.hpp - the report's short glossary, and links to it from running text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sim::report {

struct glossary_entry {
  const char* id;          // anchor: "g-<id>"
  const char* term;        // as the heading shows it
  const char* definition;  // plain text, two or three sentences
};

const std::vector<glossary_entry>& glossary();

// `text` escaped for HTML, the first mention of each glossary term linked to
// its entry ("MX", "DSN", "greylisted", "Return-Path", ...).  Words inside
// host names and addresses are never linked.
std::string link_terms(std::string_view text);

// The glossary as a definition list.
std::string glossary_html();

}  // namespace sim::report
