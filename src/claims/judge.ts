import type { EvidenceSeries, Evaluation } from './types.js';

type Numbers = Readonly<Record<string, number | string | boolean | null>>;

/**
 * An evaluation from a decision and the numbers behind it. A NaN or an infinity among the
 * numbers makes the case numerically broken (holds = null) and names where it appeared:
 * a broken number is never a pass, and never a plain failure either.
 */
export function judge(holds: boolean, numbers: Numbers, series?: readonly EvidenceSeries[]): Evaluation {
  for (const [key, value] of Object.entries(numbers)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return { holds: null, numbers, series, broken: `${key} = ${value}` };
  }
  return { holds, numbers, series };
}

/** A series against distance from the last step (distance 0 = step T−1), for log10 values indexed by step. */
export function seriesByDistance(name: string, log10ByStep: ReadonlyArray<number | null>, dashed = false): EvidenceSeries {
  const T = log10ByStep.length;
  const points = log10ByStep.map((y, t) => ({ x: T - 1 - t, y: y === null || Number.isFinite(y) ? y : null })).reverse();
  return { name, points, dashed };
}

/** log10 ‖∂L/∂s_T‖ + (T−1−t)·log10 γ: the document's bound on the gradient at every step. */
export function gammaBound(lastLog10: number, gamma: number, T: number): number[] {
  return Array.from({ length: T }, (_, t) => lastLog10 + (T - 1 - t) * Math.log10(gamma));
}

/** Median of finite values (NaN when there are none). */
export function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).slice().sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
