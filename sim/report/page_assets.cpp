// sim/report/page_assets.cpp - style sheet, script and Content-Security-Policy of the report page.
#include "sim/report/page_assets.hpp"

#include <fmt/format.h>

#include "sim/message/mime.hpp"
#include "sim/report/sha256.hpp"
#include "sim/report/tones.hpp"

namespace sim::report {
namespace {

constexpr const char* base_style = R"(
:root { --ink: #1d2430; --mute: #5b6675; --faint: #8a93a0; --rule: #e3e7ec; --mono: 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.45 'DejaVu Sans', system-ui, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 0 20px 48px; }
a { color: #1f4e8c; }
a.g { color: inherit; text-decoration: underline dotted #6a7d99; text-underline-offset: 2px; }
code, pre { font-family: var(--mono); font-size: 0.88em; overflow-wrap: anywhere; }
header.top { padding: 22px 0 6px; border-bottom: 1px solid var(--rule); }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 34px 0 4px; padding-top: 10px; border-top: 2px solid var(--ink); }
h3 { font-size: 17px; margin: 22px 0 4px; }
h4 { font-size: 14.5px; margin: 18px 0 6px; }
.id, .caption, .lead, .ids, .env { color: var(--mute); font-size: 13.5px; margin: 2px 0 8px; }
.description { max-width: 62em; }
nav.toc { font-size: 13.5px; margin: 10px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.alert { background: #fdecea; border-left: 4px solid #c62828; padding: 8px 12px; margin: 12px 0; }
.glance { font-size: 16px; max-width: 62em; }
ul.numbers { display: flex; flex-wrap: wrap; gap: 8px 28px; list-style: none; padding: 0; margin: 10px 0; font-size: 12.5px; color: var(--mute); }
ul.numbers b { display: block; font-size: 22px; line-height: 1.1; color: var(--ink); font-variant-numeric: tabular-nums; }
ul.numbers li.zero b { color: #b8bfc9; }
svg.sq, svg.map { display: block; width: 100%; max-width: 1160px; height: auto; }
.mapbox { border: 1px solid var(--rule); border-radius: 6px; padding: 4px 0; }
.legend { color: var(--mute); font-size: 12.5px; display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 6px 0; }
.legend span::before { content: ""; display: inline-block; width: 22px; height: 0; vertical-align: middle; margin-right: 6px; border-top: 2px solid; }
.legend .l-cmd::before { border-color: #1f4e8c; } .legend .l-ok::before { border-color: #2e7d32; border-top-style: dashed; }
.legend .l-temp::before { border-color: #c77700; border-top-style: dashed; } .legend .l-perm::before { border-color: #c62828; border-top-style: dashed; }
.legend .l-dns::before { border-color: #6a3d9a; } .legend .l-fetch::before { border-color: #2e7d32; border-top-style: dashed; }
.seq { border: 1px solid var(--rule); border-radius: 6px; }
.seq-head { position: sticky; top: 0; z-index: 3; background: rgba(255,255,255,0.96); border-bottom: 1px solid var(--rule); }
details.blk > summary { display: block; list-style: none; cursor: pointer; }
details.blk > summary::-webkit-details-marker { display: none; }
details.blk > summary::marker { content: ""; }
details.blk > summary > span { display: block; }
details.blk[open] > summary > .folded, details.blk:not([open]) > summary > .unfolded { display: none; }
details.blk > summary:hover .fr, details.blk > summary:focus .fr { stroke: #1f4e8c; }
#seq-tools { margin: 6px 0; } #seq-tools button { font: inherit; font-size: 13px; margin-right: 6px; }
.ll { stroke-width: 1.5; } .ll.host { stroke: #c9d0da; } .ll.dns { stroke: #d9c8ea; } .ll.others { stroke: #d5d5d5; stroke-dasharray: 2 3; }
.ll.lda { stroke: #6a3d9a; stroke-dasharray: 3 2; }
.lifeline .lh { fill: #fff; stroke: #5b6675; } .lifeline.dns .lh { fill: #f3edf9; stroke: #6a3d9a; } .lifeline.others .lh { stroke-dasharray: 3 3; }
.hn { font: bold 12px 'DejaVu Sans', system-ui, sans-serif; fill: var(--ink); }
.hr { font: 10px 'DejaVu Sans', system-ui, sans-serif; fill: var(--mute); }
text.tm { font: 10px var(--mono); fill: var(--faint); }
.a text { font: 11px var(--mono); paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.a text.sm { font-size: 10.5px; }
.a .ln { stroke-width: 1.4; } .a.data .ln { stroke-width: 3.2; } .a .x { stroke-width: 2.2; }
.m text { font: 10.5px 'DejaVu Sans', system-ui, sans-serif; } .m .bx { stroke-width: 1; }
.fr { fill: #f7f9fc; stroke: #c5cedb; } .fr.folded { fill: #fbfcfe; stroke-dasharray: 4 3; }
text.bt { font: bold 10.5px 'DejaVu Sans', system-ui, sans-serif; fill: var(--mute); }
rect.band { fill: #f6f7f9; } path.brk { stroke: #9aa3ad; stroke-width: 1.2; fill: none; }
text.later { font: italic 11.5px 'DejaVu Sans', system-ui, sans-serif; fill: #5b6675; paint-order: stroke; stroke: #f6f7f9; stroke-width: 5px; }
text.note { font: italic 10.5px 'DejaVu Sans', system-ui, sans-serif; fill: #8a5200; }
.node .box { fill: #fff; stroke: #44505e; stroke-width: 1.3; } .node.client .box { fill: #f5f8fc; }
.node.anonymous .box { fill: #fafbfc; stroke-dasharray: 4 3; } .node.hurt .box { stroke: #c62828; stroke-width: 2.2; }
.node.dns .box { fill: #faf7fd; stroke: #6a3d9a; } .node.more .box { fill: #fafafa; stroke-dasharray: 3 3; }
.node text.name { font: bold 12.5px 'DejaVu Sans', system-ui, sans-serif; fill: var(--ink); }
.node text.role { font: 11px 'DejaVu Sans', system-ui, sans-serif; fill: #37414d; }
.node text.addr { font: 10.5px var(--mono); fill: #6b7480; } .node text.fault { font: 11px 'DejaVu Sans', system-ui, sans-serif; fill: #a31515; }
.dot.r-client { fill: #1f4e8c; } .dot.r-msa { fill: #00796b; } .dot.r-mx { fill: #2e7d32; } .dot.r-backup { fill: #c77700; }
.dot.r-relay { fill: #607d8b; } .dot.r-lda { fill: #6a3d9a; } .dot.r-policy { fill: #a31515; }
.edge .wire { fill: none; stroke-width: 2.2; } .edge.mail .wire { stroke: #1f4e8c; } .edge.mail .tip { fill: #1f4e8c; }
.edge.fetch .wire { stroke: #2e7d32; stroke-dasharray: 7 4; } .edge.fetch .tip { fill: #2e7d32; }
.edge.fail .wire { stroke: #c62828; stroke-dasharray: 5 4; } .edge .cross { stroke: #c62828; stroke-width: 2.4; }
.edge.reject .wire { stroke: #c62828; } .edge.reject .tip { fill: #c62828; } .edge.defer .wire { stroke: #c77700; } .edge.defer .tip { fill: #c77700; }
.edge .lbl { fill: #fff; fill-opacity: 0.94; stroke: #e1e5ea; }
.edge text.eh { font: bold 10.5px 'DejaVu Sans', system-ui, sans-serif; fill: #37414d; }
.edge text.ec { font: 10.5px 'DejaVu Sans', system-ui, sans-serif; fill: var(--mute); }
.edge.fail text.ec, .edge.reject text.ec { fill: #a31515; }
.badge { display: inline-block; font: bold 12px 'DejaVu Sans', system-ui, sans-serif; color: #fff; border-radius: 3px; padding: 1px 6px; vertical-align: 2px; }
.badge.good, .pass .badge { background: #2e7d32; } .badge.bad, .fail .badge { background: #c62828; }
.badge.warn { background: #c77700; } .badge.dsn { background: #6a3d9a; }
table.list, table.hops, table.timeline, table.fields { border-collapse: collapse; width: 100%; font-size: 13px; }
table.list td, table.list th, table.hops td, table.hops th, table.timeline td, table.timeline th { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid #eef0f3; overflow-wrap: anywhere; }
table.hops td.t, table.timeline td.time { font-family: var(--mono); font-size: 12px; white-space: nowrap; color: var(--mute); }
table.hops tr td:last-child { border-left: 3px solid transparent; } table.hops td:nth-child(2) { white-space: nowrap; }
table.fields { width: auto; max-width: 100%; } table.fields th { text-align: left; padding: 2px 12px 2px 0; font-weight: normal; color: var(--mute); white-space: nowrap; vertical-align: top; }
table.fields td { padding: 2px 0; overflow-wrap: anywhere; } table.fields tr.sep td { border-top: 1px solid var(--rule); padding: 0; height: 6px; }
.why { color: var(--mute); font-size: 12.5px; }
article.msg { border-top: 1px solid var(--rule); margin-top: 26px; }
ol.route { display: flex; flex-wrap: wrap; align-items: center; list-style: none; padding: 0; margin: 8px 0; gap: 4px; font-size: 13px; }
ol.route li { border: 1px solid #c5cedb; border-radius: 12px; padding: 1px 10px; background: #f7f9fc; }
ol.route li.many { border-radius: 8px; line-height: 1.35; padding: 3px 10px; }
ol.route li.arr { border: 0; background: none; padding: 0 2px; color: var(--faint); }
ol.route li.box { background: #e8f5e9; border-color: #2e7d32; } ol.route li.gone { background: #fdecea; border-color: #c62828; }
ol.route small { color: var(--mute); }
.hdr .f { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 4px 16px; border-left: 4px solid #eef0f3; padding: 3px 8px; margin: 1px 0; }
.hdr .f pre { margin: 0; white-space: pre-wrap; font-size: 12px; }
.hdr .f p { margin: 0; font-size: 12.5px; color: #37414d; }
.hdr .f.trace { border-color: #1f4e8c; background: #f5f8fc; } .hdr .f.lda { border-color: #6a3d9a; background: #faf7fd; }
.hdr .f.auth { border-color: #00796b; background: #f1faf8; } .hdr .f.author { border-color: #c5cedb; }
.hop { display: inline-block; min-width: 1.5em; text-align: center; background: #1f4e8c; color: #fff; border-radius: 9px; font: bold 11px 'DejaVu Sans', sans-serif; margin-right: 6px; }
pre.body, pre.raw, pre.dsn-text { white-space: pre-wrap; background: #fafbfc; border: 1px solid var(--rule); padding: 8px 10px; font-size: 12px; max-height: 30em; overflow: auto; }
section.dsn { border-left: 4px solid #c62828; padding: 0 0 4px 12px; margin: 14px 0; }
.cut { color: #8a5200; font-style: italic; font-size: 13px; }
ul.expect { list-style: none; padding: 0; } ul.expect li { margin: 5px 0; } ul.expect .reason { color: var(--mute); }
ul.expect .badge { min-width: 3.4em; text-align: center; margin-right: 8px; }
table.timeline { table-layout: fixed; } table.timeline col.time { width: 8.5em; } table.timeline col.host { width: 13em; } table.timeline col.agent { width: 3.5em; }
table.timeline td.what { font-size: 12.5px; } table.timeline tr.wire td.what { font-family: var(--mono); font-size: 12px; }
table.timeline tr.cmd td.what { color: #1f4e8c; } table.timeline tr.ok td.what { color: #1b5e20; }
table.timeline tr.temp td.what { color: #8a5200; } table.timeline tr.perm td.what { color: #a31515; }
table.timeline tr.good { background: #f1f8f2; } table.timeline tr.warn { background: #fdf8ec; } table.timeline tr.bad { background: #fdf0ef; }
table.timeline td.agent { font-variant: small-caps; color: var(--mute); }
#tl-filter input { font: inherit; font-size: 13px; width: 22em; max-width: 100%; }
dl.glossary dt { font-weight: bold; margin-top: 10px; } dl.glossary dd { margin: 2px 0 0 1.4em; max-width: 60em; }
:target { scroll-margin-top: 64px; } dt:target, article:target h3 { background: #fff6d5; }
footer { color: var(--faint); font-size: 12.5px; margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 8px; }
@media print { .seq-head { position: static; } #seq-tools, #tl-filter { display: none; } }
)";

// The delivery analytics: the table by domain, the outcome bars and their
// legend, the time-to-delivery curve, the periods strip.
constexpr const char* analytics_style = R"(
.wide { overflow-x: auto; }
article.campaign { border-top: 1px solid var(--rule); margin-top: 18px; }
p.lead { color: var(--ink); font-size: 15px; max-width: 62em; }
table.stats { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; margin: 8px 0; }
table.stats th, table.stats td { padding: 3px 9px; border-bottom: 1px solid #eef0f3; text-align: right; white-space: nowrap; }
table.stats thead th { color: var(--mute); font-weight: normal; border-bottom: 1px solid #c5cedb; }
table.stats th[scope=row], table.stats thead th:first-child { text-align: left; }
table.stats td.zero { color: #b8bfc9; } table.stats td.tm, table.stats th.tm { color: #37414d; }
table.stats tr.total th, table.stats tr.total td { font-weight: bold; border-top: 1px solid #c5cedb; }
svg.bars, svg.curve, svg.periods { display: block; max-width: 100%; height: auto; }
svg.bars text, svg.curve text, svg.periods text { font: 12px 'DejaVu Sans', system-ui, sans-serif; }
svg.bars .bar.total text.bl { font-weight: bold; } svg text.ax { font-size: 10.5px; } svg text.bn, svg text.pw { font-size: 10.5px; }
text.bl { fill: var(--ink); } text.bs { fill: var(--mute); } text.bn { font-size: 10.5px; fill: #fff; text-anchor: middle; }
text.bn.s-late, text.bn.s-soft { fill: var(--ink); } line.sep { stroke: #c5cedb; }
.s-inbox { fill: #2e7d32; } .s-late { fill: #81c784; } .s-junk { fill: #8d6e63; } .s-hard { fill: #c62828; }
.s-soft { fill: #ef9a9a; } .s-queued { fill: #c77700; } .s-rejected { fill: #6a3d9a; }
.legend.bars span::before { width: 12px; height: 12px; border: 0; border-radius: 2px; }
.legend span.s-inbox::before { background: #2e7d32; } .legend span.s-late::before { background: #81c784; }
.legend span.s-junk::before { background: #8d6e63; } .legend span.s-hard::before { background: #c62828; }
.legend span.s-soft::before { background: #ef9a9a; } .legend span.s-queued::before { background: #c77700; }
.legend span.s-rejected::before { background: #6a3d9a; }
line.grid { stroke: #eef0f3; } text.ax { font-size: 10.5px; fill: var(--mute); }
path.cdf { fill: none; stroke: #1f4e8c; stroke-width: 2; } circle.pm { fill: #fff; stroke: #1f4e8c; stroke-width: 1.6; }
line.track { stroke: #e3e7ec; stroke-width: 2; } text.pw { font-size: 10.5px; fill: #fff; pointer-events: none; }
rect.p-listed { fill: #c62828; } rect.p-accept { fill: #2e7d32; } rect.p-junk { fill: #8d6e63; }
rect.p-throttle { fill: #c77700; } rect.p-block { fill: #6a1b1b; } rect.open { stroke: #fff; stroke-dasharray: 3 2; }
table.reasons td:nth-child(3) { text-align: right; font-variant-numeric: tabular-nums; }
table.reasons td:nth-child(-n+3), table.reasons th:nth-child(-n+3) { white-space: nowrap; } table.reasons td:nth-child(2) { white-space: normal; min-width: 12em; }
)";

constexpr const char* script = R"(
(function () {
  var d = document;
  var tools = d.getElementById('seq-tools');
  if (tools) {
    tools.hidden = false;
    tools.addEventListener('click', function (ev) {
      var b = ev.target.closest('button');
      if (!b) return;
      var open = b.getAttribute('data-open') === '1';
      d.querySelectorAll('details.blk').forEach(function (x) { x.open = open; });
    });
  }
  var filter = d.getElementById('tl-filter');
  if (filter) {
    filter.hidden = false;
    var input = filter.querySelector('input');
    var rows = d.querySelectorAll('table.timeline tbody tr');
    input.addEventListener('input', function () {
      var q = input.value.toLowerCase();
      rows.forEach(function (r) { r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0; });
    });
  }
})();
)";

std::string hash_source(const std::string& text) {
  auto digest = sha256(text);
  std::string bytes(digest.begin(), digest.end());
  return "'sha256-" + message::base64_encode(bytes, 0) + "'";
}

}  // namespace

const std::string& page_style() {
  static const std::string style = std::string(base_style) + analytics_style + tone_css();
  return style;
}

const std::string& page_script() {
  static const std::string text = script;
  return text;
}

const std::string& page_policy() {
  static const std::string policy = fmt::format(
      "default-src 'none'; style-src {}; script-src {}; img-src 'none'; font-src 'none'; connect-src 'none'; "
      "base-uri 'none'; form-action 'none'",
      hash_source(page_style()), hash_source(page_script()));
  return policy;
}

}  // namespace sim::report
