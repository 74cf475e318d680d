/** The page's stylesheet (inlined: the report works offline). Print keeps charts on whole pages. */
export const REPORT_STYLES = `
:root {
  --ink: #1b1f24; --muted: #5b6470; --line: #d9dee5; --card: #ffffff; --bg: #f3f5f8;
  --pass: #1e8e3e; --fail: #c5221f; --none: #6b7280; --warn: #b26a00;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1440px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 22px; margin: 0; }
h2 { font-size: 16px; margin: 0 0 10px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 0 0 16px; }
.header { display: grid; grid-template-columns: auto 1fr; gap: 18px; align-items: start; }
.verdict { font-size: 30px; font-weight: 800; letter-spacing: 0.06em; color: #fff; border-radius: 8px;
  padding: 14px 22px; text-align: center; min-width: 160px; }
.verdict small { display: block; font-size: 11px; font-weight: 600; letter-spacing: 0.04em; opacity: 0.9; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.none { background: var(--none); }
.reasons { margin: 6px 0 0; padding-left: 18px; }
.reasons li.fail { color: var(--fail); font-weight: 600; }
.warnings li { color: var(--warn); }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 4px 18px; margin-top: 12px; }
.facts div { min-width: 0; }
.facts dt { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; }
.facts dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin: 0 0 16px; }
.kpi { background: var(--card); border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.kpi.good { border-left-color: var(--pass); } .kpi.bad { border-left-color: var(--fail); }
.kpi .label { color: var(--muted); font-size: 12px; }
.kpi .value { font-size: 22px; font-weight: 700; white-space: nowrap; }
.kpi.bad .value { color: var(--fail); }
.kpi .detail { color: var(--muted); font-size: 12px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.grid2 > .card { margin: 0; }
.grid2 { margin-bottom: 16px; }
@media (max-width: 1000px) { .grid2 { grid-template-columns: 1fr; } .header { grid-template-columns: 1fr; } }
.chart-box { position: relative; width: 100%; }
.caption { color: var(--muted); font-size: 12px; margin: 8px 0 0; }
.views { float: right; display: flex; gap: 6px; }
.views button { font: inherit; font-size: 12px; border: 1px solid var(--line); background: #f7f8fa; border-radius: 6px;
  padding: 3px 10px; cursor: pointer; }
.views button.active { background: var(--ink); color: #fff; border-color: var(--ink); }
.nodata { color: var(--muted); font-style: italic; padding: 18px 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f7f8fa; font-weight: 600; position: sticky; top: 0; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.pass, span.pass { color: var(--pass); font-weight: 700; }
td.fail, span.fail { color: var(--fail); font-weight: 700; }
td.warn { color: var(--warn); font-weight: 600; }
td.empty { color: var(--muted); font-style: italic; }
.scroll { max-height: 420px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.scroll table { border: 0; }
details > summary { cursor: pointer; font-weight: 600; font-size: 16px; }
details[open] > summary { margin-bottom: 10px; }
.note { color: var(--muted); font-size: 12px; }
.error-banner { background: #fde7e9; color: var(--fail); border: 1px solid var(--fail); border-radius: 8px; padding: 10px 14px; margin-bottom: 16px; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
@media print {
  body { background: #fff; } .card { break-inside: avoid; border-color: #bbb; } .views { display: none; }
  .scroll { max-height: none; overflow: visible; }
}
`;
