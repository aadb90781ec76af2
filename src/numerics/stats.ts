/**
 * The project's one set of small statistics: median, mean and an ordinary least-squares line
 * with R². Every function takes finite numbers only and says so loudly: an empty list or a
 * NaN or infinite entry throws a StatsInputError naming the function, the argument and the
 * index, because a NaN that flowed on into a predicate would be judged as a plain "false".
 */

/** Bad input to a statistic: which function, which argument, and what was wrong with it. */
export class StatsInputError extends RangeError {
  override readonly name = 'StatsInputError';
  /** The function that refused the input, e.g. `linearFit`. */
  readonly fn: string;
  /** The argument at fault, e.g. `xs`. */
  readonly argument: string;

  constructor(fn: string, argument: string, problem: string) {
    super(`${fn}: ${argument} ${problem}`);
    this.fn = fn;
    this.argument = argument;
  }
}

/** Throws unless `values` is non-empty and every entry is finite. */
function requireFinite(fn: string, argument: string, values: readonly number[]): void {
  if (values.length === 0) throw new StatsInputError(fn, argument, 'is empty; expected at least one finite number');
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new StatsInputError(fn, argument, `[${bad}] is ${values[bad]}; expected finite numbers only`);
}

/** Σv, left to right (the order every caller's old copy summed in, so results stay bit for bit). */
const sumOf = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);

/**
 * The arithmetic mean Σv / n, summed left to right; ±Infinity if that sum overflows (|Σv| > 1.8e308).
 * @throws StatsInputError when `values` is empty or holds a NaN or an infinity.
 */
export function mean(values: readonly number[]): number {
  requireFinite('mean', 'values', values);
  return sumOf(values) / values.length;
}

/**
 * The median: the middle value of the sorted list, or the mean of the two middle values when
 * the count is even. It does not depend on the order of `values`, which it leaves untouched.
 * @throws StatsInputError when `values` is empty or holds a NaN or an infinity: a caller whose
 * series marks underflow (null) or non-finite steps drops those entries first, knowingly.
 */
export function median(values: readonly number[]): number {
  requireFinite('median', 'values', values);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The least-squares line y ≈ intercept + slope·x, and how much of the variance of y it explains. */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  /**
   * The coefficient of determination R² = S_xy² / (S_xx·S_yy), equal to 1 − SS_res/SS_tot for
   * a least-squares line with intercept; in [0, 1] (rounding above 1 is clipped). 1 when every
   * y is equal (the horizontal line fits exactly).
   */
  readonly r2: number;
}

/**
 * Ordinary least squares of `ys` on `xs`, the k-th y paired with the k-th x. The sums run on
 * x and y scaled by powers of two (exact), so tiny or huge values neither underflow nor
 * overflow when squared; for values of ordinary size the result is bit for bit that of the
 * unscaled textbook sums. A slope too large for a double (tiny x spread, huge y) is ±Infinity.
 *
 * Edge cases, chosen so that a claim testing for decay (slope < 0) reads a degenerate series
 * as "no decay" rather than failing:
 * - all y equal: slope 0, intercept that y, R² 1, whatever the x;
 * - all x equal (one point included) and y not: the slope is undetermined; the fit is the
 *   horizontal line through the mean, slope 0 and intercept mean(y), with R² 0 (that line
 *   explains none of the variance of y).
 * @throws StatsInputError when either list is empty, the lengths differ, or an entry is NaN
 * or infinite.
 */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  requireFinite('linearFit', 'xs', xs);
  requireFinite('linearFit', 'ys', ys);
  if (xs.length !== ys.length) throw new StatsInputError('linearFit', 'ys', `has ${ys.length} values but xs has ${xs.length}; expected one y per x`);
  // Tested exactly: the mean of equal values can round away from them, and S_yy would then be a few ulps instead of 0.
  if (ys.every((y) => y === ys[0])) return { slope: 0, intercept: ys[0], r2: 1 };
  const n = xs.length;
  const kx = unitExponent(xs),
    ky = unitExponent(ys);
  const x = xs.map((v) => timesPow2(v, kx)),
    y = ys.map((v) => timesPow2(v, ky));
  const mx = sumOf(x) / n;
  const my = sumOf(y) / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  // Tested exactly, as for y: the mean of equal x can round away from them, leaving S_xx a few ulps.
  if (sxx === 0 || xs.every((v) => v === xs[0])) return { slope: 0, intercept: timesPow2(my, -ky), r2: 0 };
  const slope = sxy / sxx;
  return {
    slope: timesPow2(slope, kx - ky),
    intercept: timesPow2(my - slope * mx, -ky),
    r2: syy === 0 ? 1 : Math.min(1, (sxy * sxy) / (sxx * syy)),
  };
}

/** The k for which the largest |v|·2^k lies in [1, 2) (0 when every value is 0). */
function unitExponent(values: readonly number[]): number {
  let top = 0;
  for (const v of values) top = Math.max(top, Math.abs(v));
  return top === 0 ? 0 : -Math.floor(Math.log2(top));
}

/** v·2^k, exact in the normal range; in two steps when 2^k alone would overflow or underflow (|k| > 1000). */
function timesPow2(v: number, k: number): number {
  if (k > 1000) return v * 2 ** (k - 1000) * 2 ** 1000;
  if (k < -1000) return v * 2 ** (k + 1000) * 2 ** -1000;
  return v * 2 ** k;
}
