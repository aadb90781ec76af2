import type { ClaimKind, RegionVerdict } from './types.js';

/**
 * What holds, refuted and split mean (issue 25): a statistical decision on a region's sampled
 * cases, with its error rates stated once, so a verdict does not hang on whether one seed drew a
 * rare case. Chosen before looking at which regions they move, and applied to every sampled region
 * alike:
 *
 * - A claim stated as universal (a theorem, an identity) is refuted by one counterexample; with
 *   none in n cases it holds, and the record bounds the failing share (1 − α^(1/n)).
 * - Any other claim (empirical, a recommendation, a statement about code) describes what happens
 *   in a region, exceptions allowed. Its region *holds* when the share of cases where the predicate
 *   fails is below EXCEPTION_SHARE at the stated confidence, *refuted* when the share where it holds
 *   is, and *split* when both shares are above it at that confidence. A region that is none of these
 *   samples more, doubling, and re-checks; at its cap it is *undetermined*, never rounded. The rare
 *   cases behind a clean verdict are listed with it.
 *
 * Re-checking the bounds at each doubling would let chance decide more often than the stated
 * confidence, so the error is spent over the looks: each look uses α = (1 − CONFIDENCE) / LOOKS
 * (Bonferroni), one-sided, with exact Clopper–Pearson bounds.
 *
 * Training regions are enumerated, not sampled (each case is a full training run, and the plan
 * lists its seeds): their verdict is exact over those seeds (all, none or some), which no rate can
 * bound with 5 seeds, and the records say how many seeds agree.
 */

/** δ: the share of exceptions a statement about a region may have and still hold there. */
export const EXCEPTION_SHARE = 0.1;
/** The confidence of every decision. */
export const CONFIDENCE = 0.95;
/** Looks at a region's growing sample: its cases, then 2×, 4× and 8× as many (GROWTH in run-region.ts). */
export const LOOKS = 4;
/** One-sided error per look. */
export const ALPHA_PER_LOOK = (1 - CONFIDENCE) / LOOKS;

/** log of the binomial coefficient C(n, k) via log-gamma (Lanczos), exact enough for bounds to 1e-12. */
function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  for (let i = 0; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i + 1);
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let sum = 0;
  const [lp, lq] = [Math.log(p), Math.log1p(-p)];
  for (let i = 0; i <= k; i++) sum += Math.exp(logChoose(n, i) + i * lp + (n - i) * lq);
  return Math.min(1, sum);
}

function check(k: number, n: number, alpha: number, name: string): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name}: n must be an integer ≥ 1, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`${name}: k must be an integer in [0, ${n}], got ${k}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${name}: alpha must lie in (0, 1), got ${alpha}`);
}

/** Bisection on p for a monotone condition, to 1e-12. */
function bisect(lo: number, hi: number, above: (p: number) => boolean): number {
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (above(mid)) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/** One-sided Clopper–Pearson upper bound on a rate seen k times in n: the p at which P(X ≤ k) = α. */
export function upperBound(k: number, n: number, alpha: number): number {
  check(k, n, alpha, 'upperBound');
  if (k === n) return 1;
  return bisect(k / n, 1, (p) => binomialCdf(k, n, p) < alpha);
}

/** One-sided Clopper–Pearson lower bound: the p at which P(X ≥ k) = α. */
export function lowerBound(k: number, n: number, alpha: number): number {
  check(k, n, alpha, 'lowerBound');
  if (k === 0) return 0;
  return bisect(0, k / n, (p) => 1 - binomialCdf(k - 1, n, p) >= alpha);
}

/** How a claim's regions are decided: universal claims by one counterexample, the others by shares. */
export type DecisionRule = 'universal' | 'share';
/** Theorems are universal statements; the other kinds describe what happens, exceptions allowed. */
export const ruleOf = (kind: ClaimKind): DecisionRule => (kind === 'theorem' ? 'universal' : 'share');

/** A region's decision from its counts (of the cases the verdict reads), or null: sample more. */
export function decide(
  rule: DecisionRule,
  holds: number,
  fails: number,
  broken: number,
  alpha = ALPHA_PER_LOOK,
): Exclude<RegionVerdict, 'budget-limited' | 'outside-premise' | 'undetermined'> | null {
  const n = holds + fails + broken;
  if (broken > 0) return 'numerically-broken';
  if (n === 0) return null;
  if (rule === 'universal') return fails > 0 ? 'refuted' : 'holds';
  if (upperBound(fails, n, alpha) < EXCEPTION_SHARE) return 'holds';
  if (upperBound(holds, n, alpha) < EXCEPTION_SHARE) return 'refuted';
  if (lowerBound(fails, n, alpha) > EXCEPTION_SHARE && lowerBound(holds, n, alpha) > EXCEPTION_SHARE) return 'mixed';
  return null;
}

/** The fewest cases with no exception that decide a clean verdict under the share rule. */
export function casesForCleanVerdict(alpha = ALPHA_PER_LOOK): number {
  let n = 1;
  while (upperBound(0, n, alpha) >= EXCEPTION_SHARE) n++;
  return n;
}
