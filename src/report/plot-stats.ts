import type { InitScheme } from '../config/types.js';
import type { EvidenceSeries } from '../engine/types.js';
import type { Case } from '../engine/run-region.js';
import { median } from '../numerics/stats.js';
import type { PlotSeries } from './plot.js';

/**
 * What the evidence plots draw of a region's cases: the judged series of every case (a median
 * bold), the bound beside them, and the axis that splits holding from failing cases. Pure: from
 * the cases the region judged, nothing else.
 */

/** The most faint per-case lines one evidence plot draws. */
export const MAX_FAINT_LINES = 100;

/**
 * Every case's measured curves as faint lines with their median per x bold (a training region's
 * seeds, each named by its case, as one coloured line each), and each dashed
 * series (a bound, a threshold) drawn once, from the case where it lies closest to its measured
 * curve: for the γ^(T−t) bound that is the case with the smallest γ, not one where γ > 1 lifts
 * the bound 24 decades above everything else.
 */
export function evidenceSeries(cases: readonly Case[]): PlotSeries[] {
  const out: PlotSeries[] = [];
  const measured = new Map<string, EvidenceSeries[]>();
  for (const c of cases) {
    for (const s of c.evaluation.series ?? []) {
      if (s.dashed) continue;
      const list = measured.get(s.name);
      if (list) list.push(s);
      else measured.set(s.name, [s]);
    }
  }
  const perCase = cases.length > 1 && measured.size === cases.length && [...measured.values()].every((v) => v.length === 1);
  if (perCase) {
    // Each case names its own line (a training seed, with when it was solved): one coloured line each. No
    // median: a run stops when solved, so a median over the runs still going at an update would be biased.
    for (const s of [...measured.values()].map((v) => v[0])) out.push({ name: s.name, points: s.points, group: s.name });
  } else {
    for (const [name, all] of measured) {
      // At most MAX_FAINT_LINES faint lines, every k-th case (a region grown to 2400 cases would otherwise
      // put 2400 lines in one SVG); the median is over every case.
      const step = Math.ceil(all.length / MAX_FAINT_LINES);
      if (all.length > 1)
        all.forEach((s, i) => {
          if (i % step === 0) out.push({ name: `${name} · case ${i + 1}`, points: s.points, faint: true, group: name });
        });
      out.push({
        name: all.length > 1 ? `${name} (median of ${all.length} cases${step > 1 ? `; every ${step}th drawn` : ''})` : name,
        points: medianCurve(all),
        group: name,
      });
    }
  }
  const dashedNames = [...new Set(cases.flatMap((c) => (c.evaluation.series ?? []).filter((s) => s.dashed).map((s) => s.name)))];
  for (const name of dashedNames) {
    let best: { series: EvidenceSeries; gap: number } | null = null;
    for (const c of cases) {
      const bound = c.evaluation.series?.find((s) => s.dashed && s.name === name);
      const curve = c.evaluation.series?.find((s) => !s.dashed);
      if (!bound) continue;
      const gap = curve ? maxGap(bound, curve) : 0;
      if (best === null || gap < best.gap) best = { series: bound, gap };
    }
    if (best) out.push({ name, points: best.series.points, dashed: true, group: name });
  }
  return out;
}

/** Largest |bound − curve| over the x both share (0 when they share none). */
function maxGap(bound: EvidenceSeries, curve: EvidenceSeries): number {
  const at = new Map(curve.points.filter((p) => p.y !== null).map((p) => [p.x, p.y as number]));
  let gap = 0;
  for (const p of bound.points) if (p.y !== null && at.has(p.x)) gap = Math.max(gap, Math.abs(p.y - at.get(p.x)!));
  return gap;
}

/** The median of the finite y at each x over several curves (an x with no finite y is a gap). */
function medianCurve(curves: readonly EvidenceSeries[]): Array<{ x: number; y: number | null }> {
  const xs = [...new Set(curves.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  return xs.map((x) => {
    const ys = curves.flatMap((s) => s.points.filter((p) => p.x === x && p.y !== null && Number.isFinite(p.y)).map((p) => p.y as number));
    return { x, y: ys.length === 0 ? null : median(ys) };
  });
}

/** The numeric coordinates of a case: its subject's axes, then the numbers it measured. */
export function coordinates(c: Case): Array<[string, number, 'subject' | 'measured']> {
  const s = c.subject as Record<string, unknown> | number;
  const out: Array<[string, number, 'subject' | 'measured']> = [];
  if (typeof s === 'number') out.push(['x', s, 'subject']);
  else if (s && typeof s === 'object') {
    for (const [k, v] of Object.entries(s)) if (typeof v === 'number' && k !== 'seed') out.push([k, v, 'subject']);
    const init = s.recurrentInit as InitScheme | undefined;
    if (init?.kind === 'uniform') out.push(['W_hh half-width', init.high, 'subject']);
    if (init?.kind === 'normal') out.push(['W_hh σ', init.std, 'subject']);
  }
  for (const [k, v] of Object.entries(c.evaluation.numbers)) if (typeof v === 'number' && Number.isFinite(v)) out.push([k, v, 'measured']);
  return out;
}

/** Share of cases a configuration axis must classify right to be preferred over a measured number. */
const SUBJECT_AXIS_ENOUGH = 0.8;

/**
 * The axis that best splits a region's holding cases from its failing ones: for each numeric
 * coordinate, the share of cases one threshold classifies right. A configuration axis (hidden size,
 * weight scale) is chosen when it classifies at least 80 % right; otherwise the best of all, which
 * may be a measured number (γ for VG-GAMMA-COMMON, where only the seed varies).
 */
export function splittingAxis(cases: readonly Case[]): string | null {
  const decided = cases.filter((c) => c.evaluation.holds !== null);
  const names = [...new Set(decided.flatMap((c) => coordinates(c).map(([k, , kind]) => `${kind}:${k}`)))];
  let best: { name: string; score: number } | null = null;
  let bestSubject: { name: string; score: number } | null = null;
  for (const name of names) {
    const pts = decided.flatMap((c) =>
      coordinates(c)
        .filter(([k, , kind]) => `${kind}:${k}` === name)
        .map(([, v]) => ({ v, h: c.evaluation.holds === true })),
    );
    if (pts.length < decided.length || new Set(pts.map((p) => p.v)).size < 2) continue;
    let score = 0;
    for (const t of pts.map((p) => p.v)) {
      const below = pts.filter((p) => p.v <= t === p.h).length;
      score = Math.max(score, below, pts.length - below);
    }
    const adjusted = score / pts.length + (name.startsWith('subject:') ? 1e-6 : 0);
    if (!best || adjusted > best.score) best = { name, score: adjusted };
    if (name.startsWith('subject:') && (!bestSubject || adjusted > bestSubject.score)) bestSubject = { name, score: adjusted };
  }
  // A configuration axis that tells 80 % of the cases apart says more than a measured number that is the predicate itself.
  const chosen = bestSubject && bestSubject.score >= SUBJECT_AXIS_ENOUGH ? bestSubject : best;
  return chosen ? chosen.name.slice(chosen.name.indexOf(':') + 1) : null;
}
