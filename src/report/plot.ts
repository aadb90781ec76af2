import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { gapNotes, xExtent } from './plot-gaps.js';

/** One line of a chart: a name (shown in the legend) and its points in drawing order. */
export interface PlotSeries {
  /** Legend label; must be unique within a chart. */
  readonly name: string;
  /**
   * Points; a `y` that is `null` or non-finite (or a non-finite `x`) is a gap: it is dropped, the
   * line breaks there, and the chart's subtitle says where (see gapNotes). `gap` says why y is
   * missing ("float32 underflow", "float64 overflow"); without it the note says "no value".
   */
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number | null; readonly gap?: string }>;
  /** Draw this series dashed (e.g. a theoretical bound beside a measured curve). */
  readonly dashed?: boolean;
  /** Draw it faint: one of many cases, shown behind their median (its group gives the legend entry). */
  readonly faint?: boolean;
  /** Draw it lighter than a measured line but plainer than a faint one: a reference beside the measurement (the vanilla RNN beside a gated cell). */
  readonly light?: boolean;
  /** The legend entry and colour it shares (e.g. the faint cases and their median); default its name. */
  readonly group?: string;
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
  /** A point marker at every measured value (for charts with few x values, such as lags). */
  readonly markers?: boolean;
  /** Lines under the title (before the generated gap notes), e.g. where a measurement failed. */
  readonly notes?: readonly string[];
}

/** One row of the inline data handed to vega: `segment` numbers the unbroken runs of a series so gaps stay gaps. */
interface Row {
  readonly series: string;
  readonly group: string;
  readonly weight: 'faint' | 'light' | 'bold';
  readonly segment: number;
  readonly x: number;
  readonly y: number;
}

/** Vega's tableau10, the default categorical palette, written out so reference lines can be kept out of it. */
const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
const REFERENCE_GREY = '#8c8c8c';
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
      out.push({ series: s.name, group: s.group ?? s.name, weight: s.faint ? 'faint' : s.light ? 'light' : 'bold', segment, x: p.x, y: p.y });
      open = true;
    }
  }
  return out;
}

/** Legends below the plot, every label whole (vega's default cuts labels at 160 px: "training loss (lst…"). */
const LEGEND = { orient: 'bottom', direction: 'vertical', labelLimit: 0, symbolSize: 400, columns: 1 } as const;

/**
 * Builds the vega-lite spec of a line chart: one colour per group with a legend below the plot (faint
 * lines share their group's colour and add no entry), dashed series drawn with a stroke dash, data
 * inline as `[{series, group, weight, segment, x, y}]` with gap points (null / non-finite) left out.
 * Returned as a plain object so it can be inspected or saved as JSON; it is a vega-lite `TopLevelSpec`.
 */
export function lineChartVegaLite(spec: PlotSpec): object {
  const names = spec.series.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new Error(`plot series names must be unique: ${names.join(', ')}`);
  const groups = [...new Set(spec.series.map((s) => s.group ?? s.name))];
  const dashedGroup = (g: string): boolean => spec.series.some((s) => (s.group ?? s.name) === g && s.dashed);
  // Vega's default palette for measured groups, one grey for reference groups (drawn light), so a reference never takes a measured line's colour.
  const lightGroup = (g: string): boolean => spec.series.some((s) => (s.group ?? s.name) === g && s.light);
  let next = 0;
  const colours = groups.map((g) => (lightGroup(g) ? REFERENCE_GREY : PALETTE[next++ % PALETTE.length]));
  const legendTitle = null;
  const data = rows(spec.series);
  const extent = xExtent(spec.series);
  // The axis spans every point given: without this, vega fits it to the drawn points, and a series
  // missing its far end (an overflow, an underflow) would cut the axis short without a word.
  const drawn = data.length === 0 ? null : [Math.min(...data.map((r) => r.x)), Math.max(...data.map((r) => r.x))];
  const domain = extent !== null && drawn !== null && (drawn[0] > extent[0] || drawn[1] < extent[1]) ? { domain: extent } : {};
  const notes = [...(spec.notes ?? []), ...gapNotes(spec)];
  const vlSpec: TopLevelSpec = {
    ...chartFrame(spec, data),
    ...(notes.length > 0 ? { title: { text: spec.title, subtitle: notes, subtitleFontSize: 10, anchor: 'start' as const } } : {}),
    // No `clip`: vega numbers clip-path ids from a process-wide counter, so a clipped mark would make the SVG differ
    // between calls; without a fixed scale domain nothing falls outside the plot anyway.
    mark: spec.markers ? { type: 'line', point: { filled: true, size: 30 } } : { type: 'line' },
    config: { legend: LEGEND },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: spec.xTitle, scale: { zero: false, ...domain } },
      y: { field: 'y', type: 'quantitative', title: spec.yTitle, scale: { zero: false } },
      // Same field, domain and title on colour and dash, so vega-lite merges them into one legend whose symbols show the dash.
      color: { field: 'group', type: 'nominal', title: legendTitle, scale: { domain: groups, range: colours } },
      strokeDash: {
        field: 'group',
        type: 'nominal',
        title: legendTitle,
        scale: { domain: groups, range: groups.map((g) => (dashedGroup(g) ? DASHED : SOLID)) },
      },
      strokeWidth: { field: 'weight', type: 'ordinal', legend: null, scale: { domain: ['faint', 'light', 'bold'], range: [1, 1.4, 2.2] } },
      opacity: { field: 'weight', type: 'ordinal', legend: null, scale: { domain: ['faint', 'light', 'bold'], range: [0.22, 0.6, 1] } },
      // One path per series and unbroken run, so a gap breaks the line instead of bridging it (lines are drawn sorted by x).
      detail: [
        { field: 'series', type: 'nominal' },
        { field: 'segment', type: 'nominal' },
      ],
    },
  };
  return vlSpec;
}

/** A strip plot of a region's cases: each case at its value of one axis, in the row of its outcome. */
export interface ScatterSpec {
  readonly title: string;
  /** The axis the cases are placed along (e.g. "gamma", "hiddenSize"). */
  readonly xTitle: string;
  /** One point per case; a non-finite x is left out. */
  readonly points: ReadonlyArray<{ readonly x: number; readonly outcome: 'holds' | 'fails' }>;
  readonly width?: number;
  readonly height?: number;
}

/** Renders a {@link ScatterSpec} to SVG: holds green, fails red, points jittered within their row so equal values stay visible. */
export async function renderScatterSvg(spec: ScatterSpec): Promise<string> {
  const values = spec.points.filter((p) => Number.isFinite(p.x)).map((p, i) => ({ ...p, jitter: (i * 7) % 11 }));
  const vlSpec: TopLevelSpec = {
    ...chartFrame(spec, values),
    mark: { type: 'point', filled: true, size: 70, opacity: 0.8 },
    config: { legend: { ...LEGEND, symbolSize: 70 } },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: spec.xTitle, scale: { zero: false } },
      y: { field: 'outcome', type: 'nominal', title: 'predicate', sort: ['holds', 'fails'] },
      yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-2, 12] } },
      color: { field: 'outcome', type: 'nominal', title: null, scale: { domain: ['holds', 'fails'], range: ['#2e7d32', '#c62828'] } },
    },
  };
  return renderSvg(vlSpec);
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

/**
 * A vega-lite spec rendered to SVG headless (renderer 'none', no browser, fonts or network). By default
 * without ARIA attributes on every mark (a quarter of a many-line chart's bytes, in a file shown as an image).
 */
export async function renderSvg(spec: TopLevelSpec, { aria = false }: { readonly aria?: boolean } = {}): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(aria ? spec : { ...spec, config: { ...spec.config, aria: false } }).spec), { renderer: 'none' });
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
    ...chartFrame(
      spec,
      spec.bars.map((b) => ({ ...b })),
    ),
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'category', type: 'nominal', title: spec.xTitle, sort: categories },
      xOffset: { field: 'group', type: 'nominal' },
      y: { field: 'value', type: 'quantitative', title: spec.yTitle },
      color: { field: 'group', type: 'nominal', title: null },
    },
    config: { legend: LEGEND },
  };
  return renderSvg(vlSpec);
}
