import { describe, expect, it } from 'vitest';
import { describeMismatch, isClose, type Tolerance } from '../../src/numerics/close.js';
import type { Evaluation } from '../../src/engine/types.js';
import type { Case } from '../../src/engine/run-region.js';
import { evidenceSeries, splittingAxis } from '../../src/report/plot-stats.js';
import { lineChartVegaLite, renderLineChartSvg, renderScatterSvg, type PlotSpec } from '../../src/report/plot.js';

interface DataRow {
  readonly series: string;
  readonly group: string;
  readonly weight: string;
  readonly x: number;
  readonly y: number;
}

const measured = Array.from({ length: 12 }, (_, t) => ({ x: t, y: t === 5 ? null : -0.25 * t + 0.1 * Math.sin(t) }));
const bound = Array.from({ length: 12 }, (_, t) => ({ x: t, y: -0.2 * t + 0.3 }));

const SPEC: PlotSpec = {
  title: 'Gradient norm along the sequence',
  xTitle: 'step t',
  yTitle: 'log10 ‖∂L/∂h_t‖',
  series: [
    { name: 'measured gradient', points: measured },
    { name: 'theoretical bound', points: bound, dashed: true },
  ],
};

function dataRows(spec: PlotSpec): DataRow[] {
  return (lineChartVegaLite(spec) as { data: { values: DataRow[] } }).data.values;
}

/** What toBeCloseTo(e, 9) allowed: |a − e| < 0.5e-9, with no relative part. */
const NINE_DIGITS: Tolerance = { atol: 5e-10, rtol: 0 };

const legendLabels = (svg: string): string[] =>
  [...svg.matchAll(/<g class="mark-text role-legend-label"[^>]*>(.*?)<\/g>/g)].flatMap((m) => [...m[1].matchAll(/>([^<]*)<\/text>/g)].map((t) => t[1]));

/** A case whose measured curve decays at `slope` decades per step, with a γ^(T−t) bound at log10 γ = `log10Gamma`. */
function decayCase(slope: number, log10Gamma: number, holds: boolean, hiddenSize: number): Case {
  const evaluation: Evaluation = {
    holds,
    numbers: { gamma: 10 ** log10Gamma },
    series: [
      { name: 'measured', points: Array.from({ length: 10 }, (_, x) => ({ x, y: -slope * x })) },
      { name: 'bound', points: Array.from({ length: 10 }, (_, x) => ({ x, y: log10Gamma * x })), dashed: true },
    ],
  };
  return { subject: { hiddenSize, seed: hiddenSize }, evaluation };
}

describe('line chart rendering', () => {
  it('should render an SVG with a legend naming both series and a dashed stroke', async () => {
    const svg = await renderLineChartSvg(SPEC);
    expect(svg.startsWith('<svg'), `the SVG's first 40 characters: ${svg.slice(0, 40)}`).toBe(true);
    expect(legendLabels(svg), `legend labels as drawn: ${JSON.stringify(legendLabels(svg))}`).toEqual(['measured gradient', 'theoretical bound']);
    expect(svg, `a 6,4 dash among the SVG's stroke-dasharray values: ${JSON.stringify(svg.match(/stroke-dasharray="[^"]*"/g))}`).toMatch(
      /stroke-dasharray="6,4"/,
    );
  });

  it('should give byte-identical SVG for the same input', async () => {
    const first = await renderLineChartSvg(SPEC);
    const second = await renderLineChartSvg(SPEC);
    expect(second, `the second rendering (${second.length} characters) against the first (${first.length} characters)`).toBe(first);
  });

  it('should never cut a legend label, however long', async () => {
    const long = 'training loss (lstm-fb1, recall at lag 50, seed 3, solved at 1800 updates)';
    const svg = await renderLineChartSvg({ ...SPEC, series: [{ name: long, points: measured }] });
    expect(legendLabels(svg), 'legend labels as drawn').toEqual([long]);
    expect(svg, 'an ellipsis in the SVG').not.toContain('…');
  });

  it('should leave a null y point out of the data instead of plotting it', () => {
    const rows = dataRows(SPEC);
    const measuredRows = rows.filter((r) => r.series === 'measured gradient');
    expect(
      measuredRows.map((r) => r.x),
      `x of the measured rows: ${measuredRows.map((r) => r.x).join(', ')}`,
    ).not.toContain(5);
    expect(measuredRows, `measured rows: ${measuredRows.length} against 11`).toHaveLength(11);
    expect(
      rows.every((r) => Number.isFinite(r.y)),
      `y of every row: ${rows.map((r) => r.y).join(', ')}`,
    ).toBe(true);
  });

  it('should drop non-finite y values too', () => {
    const rows = dataRows({
      ...SPEC,
      series: [
        {
          name: 'odd',
          points: [
            { x: 0, y: Number.NaN },
            { x: 1, y: Infinity },
            { x: 2, y: -3 },
          ],
        },
      ],
    });
    expect(
      rows.map((r) => [r.x, r.y]),
      `rows kept as [x, y]: ${JSON.stringify(rows.map((r) => [r.x, r.y]))} against [[2,-3]]`,
    ).toEqual([[2, -3]]);
  });

  it("should draw faint lines in their group's colour with no legend entry of their own", async () => {
    const svg = await renderLineChartSvg({
      ...SPEC,
      series: [
        { name: 'case 1', points: bound, faint: true, group: 'measured' },
        { name: 'case 2', points: measured, faint: true, group: 'measured' },
        { name: 'median', points: measured, group: 'measured' },
      ],
    });
    expect(legendLabels(svg), `legend labels as drawn: ${JSON.stringify(legendLabels(svg))}`).toEqual(['measured']);
    expect(svg, 'faint lines drawn at 22 % opacity').toMatch(/ opacity="0\.22"/);
  });
});

describe('evidence of a region with many cases', () => {
  const cases = [decayCase(0.3, 0.5, true, 16), decayCase(0.5, -0.1, true, 20), decayCase(0.4, 0.2, false, 90), decayCase(0.6, 0.3, false, 100)];

  it('should draw every case faint, their median bold, and the bound from the case where it lies closest to its curve', () => {
    const series = evidenceSeries(cases);
    const faint = series.filter((s) => s.faint).map((s) => s.name);
    expect(faint, `faint series: ${JSON.stringify(faint)}`).toEqual(['measured · case 1', 'measured · case 2', 'measured · case 3', 'measured · case 4']);
    const median = series.find((s) => s.name === 'measured (median of 4 cases)')!;
    const medianY = median.points[9].y ?? Number.NaN;
    expect(isClose(medianY, -0.45 * 9, NINE_DIGITS), describeMismatch('median y at x = 9', medianY, -0.45 * 9, NINE_DIGITS)).toBe(true);
    const drawnBound = series.filter((s) => s.dashed);
    expect(drawnBound, `one bound, from the γ < 1 case; drawn: ${JSON.stringify(drawnBound.map((s) => s.name))}`).toHaveLength(1);
    const boundY = drawnBound[0].points[9].y ?? Number.NaN;
    expect(isClose(boundY, -0.9, NINE_DIGITS), describeMismatch('bound y at x = 9', boundY, -0.9, NINE_DIGITS)).toBe(true);
  });

  it('should split a region along the configuration axis that separates holds from fails', () => {
    const axis = splittingAxis(cases);
    expect(axis, `splitting axis: ${axis} against hiddenSize`).toBe('hiddenSize');
  });

  it('should render the split as points coloured by outcome, with both outcomes in the legend', async () => {
    const svg = await renderScatterSvg({
      title: 'split',
      xTitle: 'hidden size',
      points: [
        { x: 16, outcome: 'holds' },
        { x: 90, outcome: 'fails' },
        { x: Number.NaN, outcome: 'fails' },
      ],
    });
    expect(legendLabels(svg), `legend labels as drawn: ${JSON.stringify(legendLabels(svg))}`).toEqual(['holds', 'fails']);
    const fills = [...new Set(svg.match(/#[0-9a-f]{6}/g))];
    expect(svg, `the holds colour #2e7d32 among the SVG's colours ${fills.join(' ')}`).toContain('#2e7d32');
    expect(svg, `the fails colour #c62828 among the SVG's colours ${fills.join(' ')}`).toContain('#c62828');
  });
});

describe('a line chart whose series stop before the axis ends', () => {
  const T = 100;
  const stops = { name: 'float64', points: Array.from({ length: T }, (_, x) => (x < 30 ? { x, y: -0.1 * x } : { x, y: null, gap: 'float64 overflow' })) };
  const underflows = { name: 'tfjs', points: Array.from({ length: T }, (_, x) => ({ x, y: x >= 20 && x < 25 ? null : -0.1 * x })) };
  const spec: PlotSpec = { title: 'cut', xTitle: 'distance', yTitle: 'log10', series: [stops, underflows] };
  const vl = lineChartVegaLite(spec) as { title: { subtitle: string[] }; encoding: { x: { scale: { domain?: number[] } } } };

  it('should keep the x axis over every point given, so a missing end never shortens it', () => {
    const alone = lineChartVegaLite({ ...spec, series: [stops] }) as typeof vl;
    expect(alone.encoding.x.scale.domain, `x scale domain ${JSON.stringify(vl.encoding.x.scale.domain)} against [0, ${T - 1}]`).toEqual([0, T - 1]);
  });

  it('should say under the title where each series is not drawn, and why', () => {
    expect(vl.title.subtitle, `subtitle lines ${JSON.stringify(vl.title.subtitle)}`).toEqual([
      'float64: not drawn at distance 30–99 (float64 overflow)',
      'tfjs: not drawn at distance 20–24 (no value)',
    ]);
  });

  it('should set no x domain when the drawn points already span the axis, and still note a gap inside a series', () => {
    const whole = lineChartVegaLite(SPEC) as { title: unknown; encoding: { x: { scale: { domain?: number[] } } } };
    expect(whole.encoding.x.scale.domain, `x domain ${JSON.stringify(whole.encoding.x.scale.domain)} of a chart whose only gap is inside`).toBeUndefined();
    expect(typeof whole.title, `title ${JSON.stringify(whole.title)}: a subtitle only for the inner gap at x 5`).toBe('object');
  });
});
