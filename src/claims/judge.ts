import { type Measured, SOURCE_LABEL } from '../engine/measured.js';
import type { EvidenceSeries, Evaluation } from '../engine/types.js';

type Numbers = Readonly<Record<string, number | string | boolean | null>>;

/**
 * An evaluation from a decision and the numbers behind it. A NaN or an infinity among the
 * numbers makes the case numerically broken (holds = null) and names where it appeared:
 * a broken number is never a pass, and never a plain failure either. `decidedBy` lists the
 * measured series the decision read, so the record says which source decided the case.
 */
export function judge(holds: boolean, numbers: Numbers, series?: readonly EvidenceSeries[], decidedBy: readonly Measured[] = []): Evaluation {
  const sources = [...new Set(decidedBy.map((m) => m.source))];
  const withSources = sources.length > 0 ? { sources } : {};
  // A series that left its number range decides nothing: float32 overflow in the model under test,
  // or a NaN or +∞ from the float64 oracle (−∞ there is an exact zero, a value, not a failure).
  for (const m of decidedBy) {
    const t = m.values.findIndex((v, i) => m.overflow[i] || (v !== null && (Number.isNaN(v) || v === Infinity)));
    if (t >= 0)
      return {
        holds: null,
        numbers,
        series,
        broken: `${SOURCE_LABEL[m.source]} series ${m.overflow[t] ? 'overflowed' : `is ${m.values[t]}`} at step ${t}`,
        ...withSources,
      };
  }
  for (const [key, value] of Object.entries(numbers)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return { holds: null, numbers, series, broken: `${key} = ${value}`, ...withSources };
  }
  return { holds, numbers, series, ...withSources };
}

/**
 * A measured series for the plot, against distance from the last step, named with its source.
 * The judged series is drawn solid; any other (`judged: false`) dashed, so the plot shows exactly
 * the series that decided the case.
 */
export function measuredByDistance(name: string, m: Measured, judged = true): EvidenceSeries {
  return seriesByDistance(`${name} [${SOURCE_LABEL[m.source]}]`, m.values, !judged);
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
