// sim/report/svg.hpp - small helpers for drawing SVG by hand: text widths, fitting, numbers.
//
// There is no font engine here, so widths are estimates: exact for the
// monospace face the diagrams use for wire text (0.602 em per character,
// DejaVu Sans Mono and most others), generous for the sans-serif face.
// Everything drawn from the simulated world goes through fit() and
// xml_escape(), never straight into markup.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sim::report::svg {

inline constexpr const char* mono_family = "'DejaVu Sans Mono',Menlo,Consolas,monospace";
inline constexpr const char* sans_family = "'DejaVu Sans',system-ui,sans-serif";

// Estimated advance of `text` (UTF-8) in pixels at `font_px` (measured on
// DejaVu Sans, one of the widest sans-serif faces: others come out narrower).
double text_width(std::string_view text, double font_px, bool mono, bool bold = false);
// `text` cut at a character boundary so that it fits `width_px`, with "…"
// when cut; "" when not even one character and the ellipsis fit.
std::string fit(std::string_view text, double width_px, double font_px, bool mono, bool bold = false);
// A coordinate as SVG wants it: at most one decimal, no trailing ".0".
std::string num(double v);
// A length of simulated time for people: "1h55m", "4m59s", "12s", "250ms", "2d3h".
std::string human_duration(std::int64_t ms);

}  // namespace sim::report::svg
