// sim/report/tones.hpp - the colours of the report's drawings, one per kind of thing shown.
//
// Green accepts, amber says "try again later", red refuses for good (the
// classes of RFC 5321 4.2.1 replies); blue is what a client says, purple is
// DNS, grey is bookkeeping.  The drawings carry class names; the page's
// style sheet (tone_css) gives them their colours.
#pragma once

#include <string>

#include "sim/report/sequence_model.hpp"

namespace sim::report {

struct tone_style {
  const char* name;  // CSS class "t-<name>"
  const char* line;  // strokes and arrowheads
  const char* text;  // labels (darker, for contrast on white)
  const char* tint;  // mark and box backgrounds
};

const tone_style& style_of(tone t);
// "t-ok", for a class attribute.
std::string tone_class(tone t);
// The rules for every tone: .t-X .ln (lines), .t-X .hd (arrowheads), .t-X text, .t-X .bx (boxes),
// and the last cell of a table row tr.t-X.
std::string tone_css();

}  // namespace sim::report
