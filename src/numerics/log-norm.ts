import { type Tolerance, isClose } from './close.js';

/** The smallest positive normal float32; below it float32 keeps few or no significant bits. */
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/** The smallest positive subnormal float32, 2⁻¹⁴⁹: the smallest magnitude gradual underflow keeps. */
export const FLOAT32_MIN_SUBNORMAL = 2 ** -149;

/** float32's unit roundoff u = 2⁻²⁴: the largest relative error of one correctly rounded operation. */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;

/**
 * A series of magnitudes carried as log10, with an explicit flag where float32 could not
 * represent them: a flagged entry has log10 null (underflow) or NaN (overflow), never a silent 0 or ±∞.
 */
export interface Log10Series {
  /** log10 of each magnitude, or null where it underflowed. NaN marks a non-finite value. */
  readonly log10: ReadonlyArray<number | null>;
  /** True where every entry of the vector was below float32's normal range (including exact 0). */
  readonly underflow: readonly boolean[];
  /**
   * True where float32 overflowed: the vector held ±∞ or NaN, or was computed from a value that
   * did (log10 is NaN there, underflow false). Optional so that series from probes that do not
   * track overflow still type-check; every series of the temporal profile and of gradientProfile has it.
   */
  readonly overflow?: readonly boolean[];
}

/** A Log10Series whose overflow flags are always present. */
export interface FlaggedLog10Series extends Log10Series {
  readonly overflow: readonly boolean[];
}

/** Where float32 first overflowed in a measurement, and in which quantity. */
export interface Float32Overflow<Quantity extends string = string> {
  /** The quantity that first held ±∞ or NaN, for example 'forward state s_t'. */
  readonly quantity: Quantity;
  /** Its step t (0-based), or null when the measurement cannot tell which step. */
  readonly step: number | null;
}

/**
 * The norm below which a float32 vector whose entries are sums of `terms` products may consist of
 * underflow alone, on arithmetic that keeps no magnitude below `smallestKept` (a backend's
 * Float32Arithmetic, src/backend/float32.ts). Each product smaller than that is lost (flushed to 0,
 * or rounded onto the subnormal grid): an absolute error below smallestKept per product,
 * terms·smallestKept per entry, √width·terms·smallestKept in norm (Higham's model of underflow,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., §2.1, with η = smallestKept). With
 * gradual underflow (smallestKept 2⁻¹⁴⁹) it lies far below float32's normal range and changes
 * no flag; where subnormals are flushed to zero (TensorFlow's kernels) it lies terms·√width
 * times above the smallest normal, and a norm below it is not a measurement.
 */
export function underflowFloor(width: number, terms: number, smallestKept: number): number {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`underflowFloor: width should be a positive integer, got ${width}`);
  if (!Number.isInteger(terms) || terms < 1) throw new RangeError(`underflowFloor: terms should be a positive integer, got ${terms}`);
  if (!(smallestKept >= FLOAT32_MIN_SUBNORMAL && smallestKept <= FLOAT32_MIN_NORMAL))
    throw new RangeError(`underflowFloor: smallestKept should lie in [2^-149, 2^-126], got ${smallestKept}`);
  return Math.sqrt(width) * terms * smallestKept;
}

/**
 * log10 of the Euclidean norm of a float32 vector, computed in float64 with scaling so
 * the squares cannot underflow. Returns null (underflow) when the whole vector is subnormal or
 * zero, or its norm lies below `floor` (an underflowFloor: on a backend that flushes subnormals,
 * where flushed products may make up the whole value), and NaN with `overflow` when any entry is
 * ±∞ or NaN.
 */
export function log10NormOf(
  values: ArrayLike<number>,
  from = 0,
  to = values.length,
  floor = 0,
): { log10: number | null; underflow: boolean; overflow: boolean } {
  let maxAbs = 0;
  let finite = true;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) finite = false;
    else maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  if (!finite) return { log10: NaN, underflow: false, overflow: true };
  if (maxAbs < FLOAT32_MIN_NORMAL) return { log10: null, underflow: true, overflow: false };
  // norm2's scaled sum of squares, over the range in place: no copy into a JS array
  // (Array.prototype.slice.call on a Float32Array is a slow generic path). Same arithmetic, same result.
  let sum = 0;
  for (let i = from; i < to; i++) sum += (values[i] / maxAbs) ** 2;
  const norm = maxAbs * Math.sqrt(sum);
  if (norm < floor) return { log10: null, underflow: true, overflow: false };
  return { log10: Math.log10(norm), underflow: false, overflow: false };
}

/** Splits a flat [rows, width] buffer into one series of row norms, both flags set per row (underflow below `floor` too). */
export function rowLog10Norms(values: ArrayLike<number>, rows: number, width: number, rowOffset = 0, rowStride = width, floor = 0): FlaggedLog10Series {
  const log10: (number | null)[] = [];
  const underflow: boolean[] = [];
  const overflow: boolean[] = [];
  for (let r = 0; r < rows; r++) {
    const start = rowOffset + r * rowStride;
    const n = log10NormOf(values, start, start + width, floor);
    log10.push(n.log10);
    underflow.push(n.underflow);
    overflow.push(n.overflow);
  }
  return { log10, underflow, overflow };
}

/** The same series with the entries where `poisoned` is true marked as overflowed (log10 NaN). */
export function markOverflow(series: FlaggedLog10Series, poisoned: (t: number) => boolean): FlaggedLog10Series {
  const hit = (t: number) => series.overflow[t] || poisoned(t);
  return {
    log10: series.log10.map((v, t) => (hit(t) ? NaN : v)),
    underflow: series.underflow.map((u, t) => u && !hit(t)),
    overflow: series.overflow.map((_, t) => hit(t)),
  };
}

/**
 * How far a float32 measurement of log10‖v‖ may sit from the same quantity in float64 when
 * rounding alone separates them: `steps` forward and up to `steps` backward steps of a
 * recurrence, each entry a dot product of at most `terms` products.
 *
 * Principle: worst-case linear accumulation of float32 rounding, with no amplification by the
 * dynamics. A length-n dot product has relative error ≤ γ_n = n·u/(1 − n·u) (Higham, Accuracy and
 * Stability of Numerical Algorithms, 2nd ed., §3.1), u = 2⁻²⁴; over 2·steps steps the error is
 * at most 2·steps·γ_terms, so atol = log10(1 + 2·steps·γ_terms) decades. rtol is 0: a relative
 * error of a norm is an additive error of its log10, whatever the magnitude. A larger gap means
 * the recurrence amplified rounding (a chaotic trajectory, a flipped ReLU mask, cancellation):
 * the float32 number then does not measure the float64 quantity.
 */
export function float32Log10Tolerance(steps: number, terms: number): Tolerance {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`float32Log10Tolerance: steps should be a positive integer, got ${steps}`);
  if (!Number.isInteger(terms) || terms < 1 || terms * FLOAT32_UNIT_ROUNDOFF >= 0.5)
    throw new RangeError(`float32Log10Tolerance: terms should be a positive integer below 2^23, got ${terms}`);
  const gamma = (terms * FLOAT32_UNIT_ROUNDOFF) / (1 - terms * FLOAT32_UNIT_ROUNDOFF);
  return { atol: Math.log10(1 + 2 * steps * gamma), rtol: 0 };
}

/**
 * Where a float32 series disagrees with the float64 values of the same quantity beyond
 * `tolerance`, on arithmetic whose underflow floor for this series is `floor` (underflowFloor;
 * 0 ignores underflow error). An overflowed entry is not compared (its flag already says float32
 * failed). An underflowed entry disagrees when float64's norm is above √width·FLOAT32_MIN_NORMAL,
 * or above 2·floor (a flagged norm lies below floor, and underflow moved it by at most floor), by
 * more than atol: then float32 could have measured it. Otherwise the rule is close.ts's isClose on
 * the log10 values with atol widened by log10(1 + floor/min(‖a‖, ‖e‖)): two norms at most floor
 * apart differ by that many decades (so a float64 −∞ or NaN never matches a number).
 * Where `expectedOverflow` flags the float64 value as computed from an overflow (ChainProfile's
 * flags), there is no reference and nothing is compared either.
 */
export function log10Disagreement(
  actual: Log10Series,
  expected: ArrayLike<number>,
  width: number,
  tolerance: Tolerance,
  floor = 0,
  expectedOverflow?: readonly boolean[],
): boolean[] {
  const lowest = Math.log10(Math.max(Math.sqrt(width) * FLOAT32_MIN_NORMAL, 2 * floor)) + tolerance.atol;
  return actual.log10.map((a, t) => {
    const e = expected[t];
    if (actual.overflow?.[t] || (a !== null && Number.isNaN(a)) || expectedOverflow?.[t]) return false;
    if (a === null) return Number.isNaN(e) || e > lowest;
    return !isClose(a, e, { atol: tolerance.atol + underflowDecades(floor, Math.min(a, e)), rtol: tolerance.rtol });
  });
}

/** log10(1 + floor/10^log10Norm): how far apart, in decades, two norms at most `floor` apart can be when the smaller is 10^log10Norm. */
export function underflowDecades(floor: number, log10Norm: number): number {
  return floor === 0 || Number.isNaN(log10Norm) ? 0 : Math.log10(1 + floor / 10 ** log10Norm);
}
