import { describe, expect, it } from 'vitest';
import { lineChartVegaLite, renderLineChartSvg, type PlotSpec } from '../../src/report/plot.js';

interface DataRow {
  readonly series: string;
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

describe('line chart rendering', () => {
  it('should render an SVG with a legend naming both series and a dashed stroke', async () => {
    const svg = await renderLineChartSvg(SPEC);
    expect(svg.startsWith('<svg')).toBe(true);
    const legendLabels = [...svg.matchAll(/<g class="mark-text role-legend-label"[^>]*>(.*?)<\/g>/g)].map((m) => m[1]).join('');
    expect(legendLabels).toContain('>measured gradient</text>');
    expect(legendLabels).toContain('>theoretical bound</text>');
    expect(svg).toMatch(/stroke-dasharray="6,4"/);
  });

  it('should give byte-identical SVG for the same input', async () => {
    const first = await renderLineChartSvg(SPEC);
    const second = await renderLineChartSvg(SPEC);
    expect(second).toBe(first);
  });

  it('should leave a null y point out of the data instead of plotting it', () => {
    const rows = dataRows(SPEC);
    const measuredRows = rows.filter((r) => r.series === 'measured gradient');
    expect(measuredRows.map((r) => r.x)).not.toContain(5);
    expect(measuredRows).toHaveLength(11);
    expect(rows.every((r) => Number.isFinite(r.y))).toBe(true);
  });

  it('should drop non-finite y values too', () => {
    const rows = dataRows({ ...SPEC, series: [{ name: 'odd', points: [{ x: 0, y: Number.NaN }, { x: 1, y: Infinity }, { x: 2, y: -3 }] }] });
    expect(rows.map((r) => [r.x, r.y])).toEqual([[2, -3]]);
  });
});
