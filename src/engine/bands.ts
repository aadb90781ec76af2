import type { HoldingBand } from './types.js';

/**
 * Expectation bands for mixed regions. A region expected to be mixed is a region whose cases
 * split; what must not pass unnoticed is a change in how they split. The band is a Wilson
 * score interval around a recorded holding fraction, wide enough that a rerun (another seed,
 * the same number of cases) leaves it by sampling noise alone about once in a thousand: the
 * rerun's fraction carries its own noise as well as the recorded one's, and for equal sizes the
 * difference of two independent estimates has √2 times the standard error of one, so z is the
 * two-sided 99.9% quantile (3.29) times √2. A measured fraction outside it is a change in
 * behaviour. It is clipped to [1/(2n), 1 − 1/(2n)] because a mixed region has at least one
 * holding and one failing case.
 */

/** z of the band: the two-sided 99.9% normal quantile, times √2 for comparing two samples. */
export const BAND_Z = 3.2905 * Math.SQRT2;

/** The Wilson score interval of k successes in n trials at normal quantile z. */
export function wilsonInterval(k: number, n: number, z = BAND_Z): { lo: number; hi: number } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`wilsonInterval: n must be an integer ≥ 1, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`wilsonInterval: k must be an integer in [0, ${n}], got ${k}`);
  const p = k / n,
    z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** The band of a mixed region recorded with `holds` of `runs` cases holding (see the module's principle). */
export function bandOf(holds: number, runs: number): HoldingBand {
  if (holds <= 0 || holds >= runs) throw new RangeError(`bandOf: a mixed region has at least one holding and one failing case; got ${holds}/${runs}`);
  const { lo, hi } = wilsonInterval(holds, runs);
  const edge = 1 / (2 * runs);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return { lo: round(Math.max(edge, lo)), hi: round(Math.min(1 - edge, hi)), basis: `recorded ${holds}/${runs} holding; Wilson interval, z = 3.29·√2` };
}

/** Whether a measured holding fraction lies in the band (inclusive, to the band's 3 decimals). */
export function inBand(holds: number, runs: number, band: HoldingBand): boolean {
  const f = holds / runs;
  return f >= band.lo - 5e-4 && f <= band.hi + 5e-4;
}
