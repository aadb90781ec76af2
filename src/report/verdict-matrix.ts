import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './plot.js';
import { type ClaimSummary, type Summary, inDocumentOrder, keyNumberLine, keyNumberOf, regionCounts, roleOf } from './summary.js';

/** Region verdicts in legend order: the label the legend shows and the colour (Okabe–Ito, safe for colour-blind readers). */
export const VERDICT_COLOURS: ReadonlyArray<{ readonly verdict: string; readonly label: string; readonly colour: string }> = [
  { verdict: 'holds', label: 'holds', colour: '#009E73' },
  { verdict: 'refuted', label: 'refuted', colour: '#D55E00' },
  { verdict: 'mixed', label: 'split (mixed)', colour: '#E69F00' },
  { verdict: 'budget-limited', label: 'budget-limited', colour: '#56B4E9' },
  { verdict: 'numerically-broken', label: 'numerically broken', colour: '#000000' },
];

/** Pixels per region cell and per row. */
const CELL = 9;
const ROW = 15;
/** Marks a section's header row on the y axis (bold, no cells). */
const SECTION_MARK = '§ ';

/** The claim's line on the right: verdict, regions h/r/s, key number against the claimed range. */
function rowLine(c: ClaimSummary): string {
  const n = regionCounts(c);
  const key = keyNumberLine(c.keyNumber === undefined ? keyNumberOf(c) : c.keyNumber);
  return `${c.measured} · ${n.holds}/${n.refuted}/${n.split}${n.budgetLimited ? ` (+${n.budgetLimited} budget-limited)` : ''}${n.probes ? ` · ${n.probes} probe${n.probes > 1 ? 's' : ''}` : ''}${key ? ` · ${key}` : ''}`;
}

/**
 * The vega-lite spec of the verdict matrix (issue 16): one row per claim in the document's order
 * under a bold row per section, one cell per region coloured by its verdict, and on the right a
 * line per claim with its verdict, its regions h/r/s and its key number's measured range against
 * the claimed one. Claims without a verdict (pending) get a row with no cells.
 */
export function verdictMatrixVegaLite(summary: Summary): TopLevelSpec {
  const label = new Map(VERDICT_COLOURS.map((v) => [v.verdict, v.label]));
  const entries = inDocumentOrder<{ readonly id: string; readonly section: string; readonly claim?: ClaimSummary }>([
    ...summary.claims.map((c) => ({ id: c.id, section: c.section, claim: c })),
    ...summary.pending.map((p) => ({ id: p.id, section: p.section })),
  ]);
  const rows: string[] = [];
  const lines: { claim: string; line: string }[] = [];
  entries.forEach((e, i) => {
    if (i === 0 || entries[i - 1].section !== e.section) rows.push(`${SECTION_MARK}${e.section}`);
    rows.push(e.id);
    lines.push({ claim: e.id, line: e.claim ? rowLine(e.claim) : 'pending: not decided here (see CLAIMS.md)' });
  });
  const cells = entries.flatMap((e) => (e.claim?.regions ?? []).map((r, i) => ({ claim: e.id, region: i + 1, regionId: r.regionId, verdict: label.get(r.measured) ?? r.measured, role: roleOf(r) === 'boundary' ? 'boundary probe (not in the verdict)' : 'premise region' })));
  const widest = Math.max(1, ...cells.map((c) => c.region));
  const height = ROW * rows.length;
  const y = { field: 'claim', type: 'nominal', sort: rows, scale: { domain: rows }, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Verdicts on the claims of ${summary.document}`,
      anchor: 'start',
      subtitle: [
        `Rows: claims in the document's order. Cells: their regions, coloured by verdict; faded cells are boundary probes, which never enter the claim's verdict. Seed ${summary.seed}, backend ${summary.backends.join(', ') || 'none'}.`,
        'Right: the claim\'s verdict · premise regions holding/refuted/split · probes · its key number over every case, measured (claimed); † one case per region.',
      ],
    },
    background: 'white',
    config: { view: { stroke: null }, concat: { spacing: 8 } },
    hconcat: [
      {
        width: CELL * widest,
        height,
        data: { values: cells },
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          y: {
            ...y,
            axis: {
              labelFontSize: 10, labelLimit: 0, ticks: false, domain: false, labelPadding: 4,
              labelFontWeight: { condition: { test: `indexof(datum.value, '${SECTION_MARK}') === 0`, value: 'bold' }, value: 'normal' },
            },
          },
          x: { field: 'region', type: 'ordinal', title: 'region', scale: { domain: Array.from({ length: widest }, (_, i) => i + 1) }, axis: { labelFontSize: 8, labelAngle: 0, ticks: false, domain: false, values: [1, 10, 20, 30, 40, 50].filter((v) => v <= widest) } },
          color: {
            field: 'verdict', type: 'nominal', title: 'region verdict',
            scale: { domain: VERDICT_COLOURS.map((v) => v.label), range: VERDICT_COLOURS.map((v) => v.colour) },
            legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 0 },
          },
          opacity: { field: 'role', type: 'nominal', title: 'region role', scale: { domain: ['premise region', 'boundary probe (not in the verdict)'], range: [1, 0.35] }, legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 0 } },
        },
      },
      {
        width: 400,
        height,
        data: { values: lines },
        mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 10, x: 0 },
        encoding: { y: { ...y, axis: null }, text: { field: 'line', type: 'nominal' } },
      },
    ],
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}

/**
 * Renders the verdict matrix to SVG headless, as src/report/plot.ts renders its charts (vega-lite
 * compiled, vega with renderer 'none', no browser, fonts or network). The same summary gives
 * byte-identical SVG.
 */
export async function verdictMatrixSvg(summary: Summary): Promise<string> {
  return renderSvg(verdictMatrixVegaLite(summary), { aria: true });
}
