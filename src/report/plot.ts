import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** One line of a chart: a name (shown in the legend) and its points in drawing order. */
export interface PlotSeries {
  /** Legend label; must be unique within a chart. */
  readonly name: string;
  /** Points; a `y` that is `null` or non-finite (or a non-finite `x`) is a gap: it is dropped and the line breaks there. */
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number | null }>;
  /** Draw this series dashed (e.g. a theoretical bound beside a measured curve). */
  readonly dashed?: boolean;
}

/** A line chart: titles, series and optional size in pixels (plot area, default 480 × 300). */
export interface PlotSpec {
  readonly title: string;
  readonly xTitle: string;
  /** The y values are plotted as given (already log10); say so here, e.g. "log10 ‖∂L/∂h_t‖". */
  readonly yTitle: string;
  readonly series: readonly PlotSeries[];
  readonly width?: number;
  readonly height?: number;
}

/** One row of the inline data handed to vega: `segment` numbers the unbroken runs of a series so gaps stay gaps. */
interface Row {
  readonly series: string;
  readonly segment: number;
  readonly x: number;
  readonly y: number;
}

const SOLID: number[] = [1, 0];
const DASHED: number[] = [6, 4];

function rows(series: readonly PlotSeries[]): Row[] {
  const out: Row[] = [];
  for (const s of series) {
    let segment = 0;
    let open = false;
    for (const p of s.points) {
      if (p.y === null || !Number.isFinite(p.y) || !Number.isFinite(p.x)) {
        if (open) segment += 1;
        open = false;
        continue;
      }
      out.push({ series: s.name, segment, x: p.x, y: p.y });
      open = true;
    }
  }
  return out;
}

/**
 * Builds the vega-lite spec of a line chart: one colour per series with a legend, dashed series drawn with
 * a stroke dash, data inline as `[{series, segment, x, y}]` with gap points (null / non-finite) left out.
 * Returned as a plain object so it can be inspected or saved as JSON; it is a vega-lite `TopLevelSpec`.
 */
export function lineChartVegaLite(spec: PlotSpec): object {
  const names = spec.series.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new Error(`plot series names must be unique: ${names.join(', ')}`);
  const legendTitle = null;
  const vlSpec: TopLevelSpec = {
    ...chartFrame(spec, rows(spec.series)),
    // No `clip`: vega numbers clip-path ids from a process-wide counter, so a clipped mark would make the SVG differ
    // between calls; without a fixed scale domain nothing falls outside the plot anyway.
    mark: { type: 'line' },
    // Wider legend symbols (20 px instead of 10) so a dash pattern is visible in the legend.
    config: { legend: { symbolSize: 400 } },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: spec.xTitle, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: spec.yTitle, scale: { zero: false } },
      // Same field, domain and title on colour and dash, so vega-lite merges them into one legend whose symbols show the dash.
      color: { field: 'series', type: 'nominal', title: legendTitle, scale: { domain: names } },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: legendTitle,
        scale: { domain: names, range: spec.series.map((s) => (s.dashed ? DASHED : SOLID)) },
      },
      // One path per unbroken run, so a gap breaks the line instead of bridging it (lines are drawn sorted by x).
      detail: { field: 'segment', type: 'nominal' },
    },
  };
  return vlSpec;
}

/**
 * Renders a line chart to an SVG string with vega-lite + vega in Node (headless: renderer `'none'`, `view.toSVG()`,
 * no browser, fonts or network). The y values are plotted as given (already log10; the axis title says so);
 * null or non-finite points are gaps, never plotted as 0. The same input gives byte-identical SVG.
 */
export async function renderLineChartSvg(spec: PlotSpec): Promise<string> {
  return renderSvg(lineChartVegaLite(spec) as TopLevelSpec);
}

/** What every chart here shares: schema, title, size (480 × 300 unless given), white background, inline data. */
function chartFrame(spec: { readonly title: string; readonly width?: number; readonly height?: number }, values: object[]) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: spec.title,
    width: spec.width ?? 480,
    height: spec.height ?? 300,
    background: 'white',
    data: { values },
  } as const;
}

/** A vega-lite spec rendered to SVG headless (renderer 'none', no browser, fonts or network). */
async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A grouped bar chart: one bar per (category, group), e.g. effective memory per model and task. */
export interface BarSpec {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly bars: ReadonlyArray<{ readonly category: string; readonly group: string; readonly value: number }>;
  readonly width?: number;
  readonly height?: number;
}

/** Renders a grouped bar chart to SVG, like renderLineChartSvg (headless, deterministic). Categories keep their order. */
export async function renderBarChartSvg(spec: BarSpec): Promise<string> {
  const categories = [...new Set(spec.bars.map((b) => b.category))];
  const vlSpec: TopLevelSpec = {
    ...chartFrame(spec, spec.bars.map((b) => ({ ...b }))),
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'category', type: 'nominal', title: spec.xTitle, sort: categories },
      xOffset: { field: 'group', type: 'nominal' },
      y: { field: 'value', type: 'quantitative', title: spec.yTitle },
      color: { field: 'group', type: 'nominal', title: null },
    },
  };
  return renderSvg(vlSpec);
}
