/** Small statistics for the benchmark: medians and an ordinary least-squares line. */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** y ≈ intercept + slope·x by least squares, with the coefficient of determination R². */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  /** 1 − SS_res/SS_tot; 1 for a perfect line (and for constant y fitted exactly). */
  readonly r2: number;
}

export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  if (xs.length !== ys.length || xs.length < 2) throw new RangeError('linearFit: need at least two (x, y) pairs of equal count');
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) throw new RangeError('linearFit: all x are equal');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) ssRes += (ys[i] - (intercept + slope * xs[i])) ** 2;
  return { slope, intercept, r2: syy === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / syy };
}
