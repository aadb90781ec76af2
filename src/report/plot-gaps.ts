/** What the gap notes read of a chart's series (plot.ts's PlotSeries has these fields). */
export interface GapSeries {
  readonly name: string;
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number | null; readonly gap?: string }>;
  readonly faint?: boolean;
}

/** Most gap notes a chart shows: past it, one line says how many more series have gaps. */
const MAX_GAP_NOTES = 4;

const xRange = (a: number, b: number): string => (a === b ? `${a}` : `${a}–${b}`);

/** A series' points without a drawn value, as runs of consecutive points sharing a reason. */
function gapRuns(s: GapSeries): { from: number; to: number; why: string }[] {
  const runs: { from: number; to: number; why: string }[] = [];
  let open = false;
  for (const p of s.points) {
    const missing = Number.isFinite(p.x) && !(p.y !== null && Number.isFinite(p.y));
    const why = p.gap ?? 'no value';
    const last = runs.at(-1);
    if (missing && open && last !== undefined && last.why === why) last.to = p.x;
    else if (missing) runs.push({ from: p.x, to: p.x, why });
    open = missing;
  }
  return runs;
}

/**
 * Where each series (faint ones aside: they are cases drawn behind their median) has no drawn
 * value, as runs of x with their reason, e.g. "‖∂L/∂h_t‖ (float64): not drawn at distance 299–999
 * (float64 overflow)". A chart keeps its x axis over every point given (xExtent), so a line that
 * stops is never mistaken for an axis that ends; these notes, under the title, say why it stops.
 */
export function gapNotes(spec: { readonly series: readonly GapSeries[]; readonly xTitle: string }): string[] {
  const notes: string[] = [];
  for (const s of spec.series.filter((x) => !x.faint)) {
    const runs = gapRuns(s);
    if (runs.length === 0) continue;
    const byWhy = [...new Set(runs.map((r) => r.why))].map((why) => {
      const mine = runs.filter((r) => r.why === why);
      const points = mine.reduce((n, r) => n + Math.abs(r.to - r.from) + 1, 0);
      const at =
        mine.length <= 3
          ? mine.map((r) => xRange(r.from, r.to)).join(', ')
          : `${points} points from ${Math.min(...mine.map((r) => Math.min(r.from, r.to)))} to ${Math.max(...mine.map((r) => Math.max(r.from, r.to)))}`;
      return `${at} (${why})`;
    });
    notes.push(`${s.name}: not drawn at ${spec.xTitle} ${byWhy.join('; ')}`);
  }
  return notes.length <= MAX_GAP_NOTES
    ? notes
    : [...notes.slice(0, MAX_GAP_NOTES - 1), `${notes.length - MAX_GAP_NOTES + 1} more series have points not drawn`];
}

/** The x extent of every point with a finite x, drawn or not: the axis spans it, so missing values never shorten it. */
export function xExtent(series: readonly GapSeries[]): [number, number] | null {
  let lo = Infinity,
    hi = -Infinity;
  for (const s of series) for (const p of s.points) if (Number.isFinite(p.x)) [lo, hi] = [Math.min(lo, p.x), Math.max(hi, p.x)];
  return lo <= hi ? [lo, hi] : null;
}
