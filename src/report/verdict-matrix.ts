import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { type Summary, inDocumentOrder, keyNumberLine, keyNumberOf, regionCounts } from './summary.js';

/** Region verdicts in legend order, with their colours (colour-blind safe: Okabe–Ito). */
export const VERDICT_COLOURS: ReadonlyArray<readonly [string, string]> = [
  ['holds', '#009E73'],
  ['refuted', '#D55E00'],
  ['mixed', '#E69F00'],
  ['budget-limited', '#56B4E9'],
  ['numerically-broken', '#000000'],
];

/** Pixels per region cell and per claim row. */
const CELL = 11;
const ROW = 15;

/** The claim's row label on the right: verdict, regions h/r/s, key number against the claimed range. */
function rowLine(c: Summary['claims'][number]): string {
  const n = regionCounts(c);
  const key = keyNumberLine(c.keyNumber ?? keyNumberOf(c));
  return `${c.measured} · ${n.holds}/${n.refuted}/${n.split}${n.budgetLimited ? ` (+${n.budgetLimited} budget)` : ''}${key ? ` · ${key}` : ''}`;
}

/**
 * The vega-lite spec of the verdict matrix: one row per claim in the document's order, one cell per
 * region coloured by its verdict, the section on the left and a line per claim on the right with its
 * verdict, its regions h/r/s and its key number's measured range against the claimed one (issue 16).
 */
export function verdictMatrixVegaLite(summary: Summary): TopLevelSpec {
  const claims = inDocumentOrder(summary.claims);
  const ids = claims.map((c) => c.id);
  const widest = Math.max(1, ...claims.map((c) => c.regions.length));
  const cells = claims.flatMap((c) => c.regions.map((r, i) => ({ claim: c.id, region: i + 1, regionId: r.regionId, verdict: r.measured })));
  const lines = claims.map((c, i) => ({ claim: c.id, line: rowLine(c), section: i === 0 || claims[i - 1].section !== c.section ? c.section : '' }));
  const y = { field: 'claim', type: 'nominal', sort: ids, title: null } as const;
  const height = ROW * claims.length;
  const textColumn = (field: 'line' | 'section', width: number, align: 'left' | 'right') => ({
    width,
    height,
    data: { values: lines },
    mark: { type: 'text', align, baseline: 'middle', fontSize: 10, ...(align === 'right' ? { x: width } : { x: 0 }) },
    encoding: { y: { ...y, axis: null }, text: { field, type: 'nominal' } },
  } as const);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Verdicts on the claims of ${summary.document}`, subtitle: `rows: claims in the document's order; cells: regions, coloured by verdict; right: verdict · regions holds/refuted/split · key number, measured (claimed). Seed ${summary.seed}, backend ${summary.backends.join(', ') || 'none'}.` },
    background: 'white',
    config: { view: { stroke: null }, concat: { spacing: 6 } },
    hconcat: [
      textColumn('section', 170, 'right'),
      {
        width: CELL * widest,
        height,
        data: { values: cells },
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          y: { ...y, axis: { labelFontSize: 10, ticks: false, domain: false, labelPadding: 4 } },
          x: { field: 'region', type: 'ordinal', title: 'region', axis: { labelFontSize: 8, labelAngle: 0, ticks: false, domain: false, values: [1, 10, 20, 30, 40, 50].filter((v) => v <= widest) } },
          color: { field: 'verdict', type: 'nominal', title: 'region verdict', scale: { domain: VERDICT_COLOURS.map((v) => v[0]), range: VERDICT_COLOURS.map((v) => v[1]) }, legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 0 } },
        },
      },
      textColumn('line', 430, 'left'),
    ],
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}

/**
 * Renders the verdict matrix to SVG headless, as src/report/plot.ts renders its charts (vega-lite
 * compiled, vega with renderer 'none', no browser). The same summary gives byte-identical SVG.
 */
export async function verdictMatrixSvg(summary: Summary): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(verdictMatrixVegaLite(summary)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
