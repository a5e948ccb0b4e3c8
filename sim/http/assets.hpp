// sim/http/assets.hpp - the documents built into the program.
//
// CMake embeds sim/http/ui.html and sim/http/openapi.json at build time
// (sim/http/embed.cmake writes the generated assets.cpp), so the server
// never reads a file: it serves only what it generates and these.
#pragma once

#include <string_view>

namespace sim::http::assets {

// The web UI: one self-contained page (inline style and script, no external resource).
std::string_view ui_page();
// The page's Content-Security-Policy: its one inline script allowed by its
// SHA-256 hash (CSP level 3, hash-source), nothing else loaded from anywhere.
std::string_view ui_policy();
// The OpenAPI 3 document of the API.
std::string_view openapi_document();

}  // namespace sim::http::assets
