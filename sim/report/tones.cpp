// sim/report/tones.cpp - the colour table.
#include "sim/report/tones.hpp"

#include <fmt/format.h>

namespace sim::report {
namespace {

// In the order of enum class tone.
constexpr tone_style styles[] = {
    {"command", "#1f4e8c", "#1f4e8c", "#e8eef7"}, {"ok", "#2e7d32", "#1b5e20", "#e8f5e9"},
    {"info", "#00796b", "#00594f", "#e0f2f1"},    {"temp", "#c77700", "#8a5200", "#fff4e0"},
    {"perm", "#c62828", "#a31515", "#fdecea"},    {"dns", "#6a3d9a", "#553080", "#f3edf9"},
    {"dnsfail", "#b0306a", "#8e1f52", "#fbe9f1"}, {"data", "#1f4e8c", "#1f4e8c", "#e8eef7"},
    {"connect", "#546e7a", "#37474f", "#eceff1"}, {"close", "#90a4ae", "#607d8b", "#f3f5f6"},
    {"queue", "#455a64", "#263238", "#eceff1"},   {"route", "#6a3d9a", "#553080", "#f3edf9"},
    {"defer", "#c77700", "#8a5200", "#fff4e0"},   {"bounce", "#c62828", "#a31515", "#fdecea"},
    {"deliver", "#2e7d32", "#1b5e20", "#e8f5e9"}, {"fault", "#c62828", "#a31515", "#fdecea"},
    {"heal", "#2e7d32", "#1b5e20", "#e8f5e9"},    {"policy", "#607d8b", "#455a64", "#f3f5f6"},
    {"compose", "#1f4e8c", "#1f4e8c", "#e8eef7"},
};
static_assert(sizeof(styles) / sizeof(styles[0]) == static_cast<std::size_t>(tone::compose) + 1);

}  // namespace

const tone_style& style_of(tone t) { return styles[static_cast<std::size_t>(t)]; }

std::string tone_class(tone t) { return std::string("t-") + style_of(t).name; }

std::string tone_css() {
  std::string out;
  for (const auto& s : styles)
    out += fmt::format(".t-{0} .ln{{stroke:{1}}}.t-{0} .hd{{fill:{1}}}.t-{0} text{{fill:{2}}}.t-{0} .bx{{fill:{3};stroke:{1}}}"
                       "tr.t-{0} td:last-child{{border-left-color:{1};color:{2}}}\n",
                       s.name, s.line, s.text, s.tint);
  return out;
}

}  // namespace sim::report
