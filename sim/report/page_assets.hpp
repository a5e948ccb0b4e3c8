// sim/report/page_assets.hpp - the report page's style sheet, its one script, and the policy that pins them.
#pragma once

#include <string>

namespace sim::report {

const std::string& page_style();
// Folding and unfolding every block, filtering the narrated timeline.  It only
// reveals controls that are hidden in the markup, so the page reads the same
// with JavaScript off.
const std::string& page_script();
// The <meta http-equiv="Content-Security-Policy"> content: nothing may be
// loaded from anywhere, and only the page's own style sheet and script (named
// by their SHA-256) apply - an escaping mistake could not run anything.
const std::string& page_policy();

}  // namespace sim::report
