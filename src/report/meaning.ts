import { wilsonInterval } from '../engine/bands.js';

/**
 * What a region's verdict says about the region, from its counts (issue 17): a verdict is only
 * as good as the cases behind it. Clean verdicts bound the fraction that would go the other way
 * (0 of N: below 1 − 0.05^(1/N) at 95% confidence, about 3/N, the "rule of three"); a split
 * region gives its holding fraction with a 95% Wilson interval.
 */

/** The 95% upper bound on a fraction never observed in n cases (exact: 1 − 0.05^(1/n) ≈ 3/n). */
export function upperBoundNoneIn(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`upperBoundNoneIn: n must be an integer ≥ 1, got ${n}`);
  return 1 - 0.05 ** (1 / n);
}

const pct = (x: number): string => `${x < 0.1 ? (x * 100).toFixed(1) : Math.round(x * 100)}%`;

/** One sentence for a reader (Allure's region page). */
export function verdictMeaning(measured: string, counts: { readonly holds: number; readonly fails: number; readonly broken: number }): string {
  const n = counts.holds + counts.fails + counts.broken;
  if (n === 0) return 'no case was measured';
  if (measured === 'holds') return `no counterexample in ${n} sampled cases: the fraction of the region where the predicate fails is below ${pct(upperBoundNoneIn(n))} at 95% confidence`;
  if (measured === 'refuted') return `the predicate held in none of ${n} sampled cases: the fraction of the region where it holds is below ${pct(upperBoundNoneIn(n))} at 95% confidence`;
  if (measured === 'mixed') {
    const { lo, hi } = wilsonInterval(counts.holds, counts.holds + counts.fails, 1.96);
    return `the predicate holds in ${counts.holds} of ${counts.holds + counts.fails} cases (${pct(counts.holds / (counts.holds + counts.fails))}; 95% interval ${pct(lo)}–${pct(hi)})`;
  }
  if (measured === 'numerically-broken') return `${counts.broken} of ${n} cases produced a NaN or an overflow in the model under test`;
  return `${counts.holds} of ${n} cases hold at the cap`;
}

/** The same, compact, for CLAIMS.md's region lines: "25, fail <11%" (25 cases), "25, hold <11%" or "12/25, CI 30–67%" (95%). */
export function compactMeaning(measured: string, counts: { readonly holds: number; readonly fails: number; readonly broken: number }): string {
  const n = counts.holds + counts.fails + counts.broken;
  if (n === 0) return '';
  if (measured === 'holds') return `${n}, fail <${pct(upperBoundNoneIn(n))}`;
  if (measured === 'refuted') return `${n}, hold <${pct(upperBoundNoneIn(n))}`;
  if (measured === 'mixed') {
    const { lo, hi } = wilsonInterval(counts.holds, counts.holds + counts.fails, 1.96);
    return `${counts.holds}/${counts.holds + counts.fails}, CI ${pct(lo).replace('%', '')}–${pct(hi)}`;
  }
  return `${counts.holds}/${n}`;
}
