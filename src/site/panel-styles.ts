/**
 * The panel's CSS, scoped under #vg-panel. Text at least 12 px at every width; colours at least
 * 4.5:1 against white; controls wrap, so the panel fits 390 px as well as 1280 px.
 */
export const PANEL_CSS = `
#vg-panel { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; max-width: 860px; }
#vg-panel form { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: flex-end; margin: 0 0 10px; }
#vg-panel .vg-control { display: flex; flex-direction: column; gap: 2px; min-width: 0; flex: 1 1 160px; max-width: 300px; }
#vg-panel label { font-size: 14px; font-weight: 600; }
#vg-panel select, #vg-panel input[type=number] { width: 100%; box-sizing: border-box; font: inherit; font-size: 15px; padding: 4px 6px; max-width: 100%; }
#vg-panel input[type=range] { width: 100%; }
#vg-panel output { font-size: 14px; font-variant-numeric: tabular-nums; }
#vg-panel .vg-plot { display: block; width: 100%; max-width: 640px; height: auto; }
#vg-panel .vg-plot text { font-size: 15px; fill: #1b1b1b; }
@media (max-width: 600px) { #vg-panel .vg-plot text { font-size: 21px; } }
#vg-panel .vg-grid { stroke: #d4d4d4; stroke-width: 0.6; }
#vg-panel .vg-frame { fill: none; stroke: #6b6b6b; stroke-width: 0.8; }
#vg-panel .vg-measured { fill: none; stroke: #174a8b; stroke-width: 2; stroke-linejoin: round; }
#vg-panel .vg-dot { fill: #174a8b; }
#vg-panel .vg-bound { fill: none; stroke: #3d3d3d; stroke-width: 1.6; stroke-dasharray: 6 4; }
#vg-panel .vg-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 14px; margin: 4px 0 8px; padding: 0; list-style: none; }
#vg-panel .vg-legend svg { width: 28px; height: 10px; vertical-align: middle; margin-right: 6px; }
#vg-panel .vg-note { font-size: 14px; color: #4a4a4a; margin: 4px 0; }
#vg-panel .vg-flagged { color: #b00020; }
#vg-panel .vg-rulings { padding-left: 1.1em; margin: 6px 0; }
#vg-panel .vg-rulings li { margin: 4px 0; overflow-wrap: anywhere; }
#vg-panel .vg-holds { color: #0b6b2e; font-weight: 700; }
#vg-panel .vg-fails { color: #a3000f; font-weight: 700; }
#vg-panel .vg-unread { color: #4a4a4a; font-weight: 700; }
#vg-panel [role=alert] { color: #a3000f; font-weight: 600; }
#vg-panel details { margin-top: 8px; }
#vg-panel .vg-table-wrap { max-height: 320px; overflow: auto; }
#vg-panel table { border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
#vg-panel th, #vg-panel td { padding: 2px 10px; text-align: right; border-bottom: 1px solid #e2e2e2; }
`;
