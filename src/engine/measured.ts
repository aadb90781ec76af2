/**
 * A measured series with where it came from. The gradient claims measure in float32, on tfjs
 * models or on the fused kernel that is checked against them, and some quantities leave float32's
 * range (a gradient of 10⁻⁴⁰ underflows); the float64 oracle computes the same quantity from the
 * same weights without leaving its range. A claim may be judged on either, but it must say which:
 * the judged series carries its source, the report names it, and the plot draws exactly that
 * series (the other dashed and labelled).
 */

/**
 * tfjs ops in float32 on the model under test; the fused WebAssembly kernel in float32 on the same
 * weights and inputs (src/kernels/recurrent.c; agrees with the tfjs ops within float32 rounding,
 * specs/experiments/kernel-profile.test.ts); or the project's float64 oracle on the same weights.
 */
export type MeasurementSource = 'tfjs-f32' | 'kernel-f32' | 'oracle-f64';

/** How a source is named in predicates, plots and reports. */
export const SOURCE_LABEL: Readonly<Record<MeasurementSource, string>> = {
  'tfjs-f32': 'tfjs float32',
  'kernel-f32': 'kernel float32',
  'oracle-f64': 'float64 oracle',
};

/** Whether a source computes in float32 (and so can underflow or overflow where float64 does not). */
export function isFloat32Source(source: MeasurementSource): boolean {
  return source !== 'oracle-f64';
}

/** A series of log10 magnitudes by step, with its source and float32's range flags. */
export interface Measured {
  /** log10 by step; null where the source could not represent the value (float32 underflow or overflow). */
  readonly values: ReadonlyArray<number | null>;
  readonly source: MeasurementSource;
  /** Steps where the float32 value underflowed (all false for a series that never touched float32's limits). */
  readonly underflow: readonly boolean[];
  /** Steps where the float32 value overflowed (±∞ or NaN). */
  readonly overflow: readonly boolean[];
}

/** A series every value of which is a finite number: what a predicate can be judged on. */
export interface Judgeable extends Measured {
  readonly values: readonly number[];
}

/** Whether every value is a finite number. */
export function isJudgeable(m: Measured): m is Judgeable {
  return m.values.every((v) => v !== null && Number.isFinite(v));
}

/**
 * The series to judge on: the float32 one when every step is representable, otherwise the
 * float64 oracle's, which then carries the float32 series' flags (they are why it was chosen).
 */
export function judgedSeries(float32: Measured, oracle: Judgeable): Judgeable {
  if (isJudgeable(float32)) return float32;
  return { ...oracle, underflow: float32.underflow, overflow: float32.overflow };
}

/** One line for the report: the source and, for a fallback, why. */
export function describeSource(m: Measured): string {
  const under = m.underflow.filter(Boolean).length,
    over = m.overflow.filter(Boolean).length;
  if (isFloat32Source(m.source)) return SOURCE_LABEL[m.source];
  const why = [under ? `${under} step(s) underflowed` : '', over ? `${over} step(s) overflowed` : ''].filter(Boolean).join(', ');
  return `${SOURCE_LABEL[m.source]}${why ? ` (float32: ${why})` : ''}`;
}

/** The comparison of two series over the steps both can represent. */
export interface RepresentableComparison {
  /** Largest |a − b| in decades over the compared steps (0 when none is compared). */
  readonly maxDifference: number;
  /** Steps where both values are finite numbers, so they are compared. */
  readonly compared: number;
  /** Steps left out because `a` (or `b`) could not represent the value there, by reason. */
  readonly skipped: { readonly underflow: number; readonly overflow: number };
  /** The step of the largest difference, or null. */
  readonly worstStep: number | null;
}

/**
 * Compares two log10 series step by step over what both represent: a step where either
 * series underflowed or overflowed is counted as such, never compared, so the result is never
 * ±∞ or NaN. Both series must have the same length.
 */
export function compareRepresentable(a: Measured, b: Measured): RepresentableComparison {
  if (a.values.length !== b.values.length) throw new RangeError(`compareRepresentable: lengths ${a.values.length} and ${b.values.length} differ`);
  let maxDifference = 0,
    compared = 0,
    underflow = 0,
    overflow = 0,
    worstStep: number | null = null;
  a.values.forEach((x, t) => {
    const y = b.values[t];
    const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
    if (finite(x) && finite(y)) {
      const d = Math.abs(x - y);
      if (worstStep === null || d > maxDifference) {
        maxDifference = d;
        worstStep = t;
      }
      compared++;
      return;
    }
    const over =
      a.overflow[t] ||
      b.overflow[t] ||
      (x !== null && !Number.isFinite(x) && x > 0) ||
      (y !== null && !Number.isFinite(y) && y > 0) ||
      Number.isNaN(x) ||
      Number.isNaN(y);
    if (over) overflow++;
    else underflow++;
  });
  return { maxDifference, compared, skipped: { underflow, overflow }, worstStep };
}
