import { wilsonInterval } from '../engine/bands.js';
import { ALPHA_PER_LOOK, CONFIDENCE, EXCEPTION_SHARE, LOOKS, upperBound } from '../engine/decision.js';

/**
 * What a region's verdict says about the region, from its counts and the rule that decided it
 * (engine/decision.ts): a verdict is only as good as the cases behind it. Bounds are the decision's
 * own, one-sided Clopper–Pearson at α = (1 − CONFIDENCE)/LOOKS.
 */

/** The 95% upper bound on a fraction never observed in n cases (exact: 1 − 0.05^(1/n) ≈ 3/n). */
export function upperBoundNoneIn(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`upperBoundNoneIn: n must be an integer ≥ 1, got ${n}`);
  return 1 - 0.05 ** (1 / n);
}

const pct = (x: number): string => `${x < 0.1 ? (x * 100).toFixed(1) : Math.round(x * 100)}%`;
/** How a region was decided (RegionRecord.rule); older records have none, read as the share rule. */
export type RuleName = 'universal' | 'share' | 'enumerated';
interface Counts {
  readonly holds: number;
  readonly fails: number;
  readonly broken: number;
}

/** The rule in one sentence, stated once (CLAIMS.md's protocol, the report). */
export const DECISION_RULE =
  `Theorems are refuted by one counterexample. Any other claim holds in a region when the share of its ` +
  `cases where the predicate fails is below ${EXCEPTION_SHARE * 100}% at ${CONFIDENCE * 100}% ` +
  `confidence, is refuted when the share where it holds is, and is split when both shares are above ` +
  `${EXCEPTION_SHARE * 100}%; a region that is none of these samples more, doubling, and at its cap is ` +
  `undetermined. The confidence is spent over up to ${LOOKS} looks (one-sided Clopper–Pearson, α = ` +
  `${ALPHA_PER_LOOK} each). Training regions are exact over their seeds.`;

/** One sentence for a reader (Allure's region page). */
export function verdictMeaning(measured: string, counts: Counts, rule: RuleName = 'share'): string {
  const n = counts.holds + counts.fails + counts.broken;
  if (n === 0) return 'no case met the premise';
  if (measured === 'numerically-broken') return `${counts.broken} of ${n} cases produced a NaN or an overflow in the model under test`;
  if (rule === 'enumerated') return `the predicate holds for ${counts.holds} of ${n} seeds (each a full training run; the verdict is exact over these seeds)`;
  if (rule === 'universal') {
    return counts.fails === 0
      ? `no counterexample in ${n} cases: the failing share is below ${pct(upperBound(0, n, ALPHA_PER_LOOK))} at the decision's confidence`
      : `${counts.fails} counterexample${counts.fails > 1 ? 's' : ''} in ${n} cases: one refutes a theorem`;
  }
  if (measured === 'holds')
    return (
      `the predicate fails in ${counts.fails} of ${n} cases: the failing share is below ` +
      `${pct(upperBound(counts.fails, n, ALPHA_PER_LOOK))} (< ${EXCEPTION_SHARE * 100}%) at the decision's ` +
      `confidence${counts.fails ? '; the exceptions are listed' : ''}`
    );
  if (measured === 'refuted')
    return (
      `the predicate holds in ${counts.holds} of ${n} cases: the holding share is below ` +
      `${pct(upperBound(counts.holds, n, ALPHA_PER_LOOK))} (< ${EXCEPTION_SHARE * 100}%) at the decision's ` +
      `confidence${counts.holds ? '; the exceptions are listed' : ''}`
    );
  const { lo, hi } = wilsonInterval(counts.holds, counts.holds + counts.fails, 1.96);
  const share =
    `${counts.holds} of ${counts.holds + counts.fails} cases ` + `(${pct(counts.holds / (counts.holds + counts.fails))}; 95% interval ${pct(lo)}–${pct(hi)})`;
  if (measured === 'mixed') return `split: the predicate holds in ${share}, both shares above ${EXCEPTION_SHARE * 100}%`;
  if (measured === 'undetermined')
    return `undetermined at the region's cap: the predicate holds in ${share}, neither share confidently below nor both above ${EXCEPTION_SHARE * 100}%`;
  return `${counts.holds} of ${n} cases hold at the cap`;
}

/** The same, compact, for CLAIMS.md's region lines: "60, fail <5%", "1/101 fail, <6.2%", "12/25, CI 30–67%". */
export function compactMeaning(measured: string, counts: Counts, rule: RuleName = 'share'): string {
  const n = counts.holds + counts.fails + counts.broken;
  if (n === 0) return '';
  if (rule === 'enumerated') return `${counts.holds}/${n} seeds`;
  if (measured === 'holds')
    return counts.fails
      ? `${counts.fails}/${n} fail, <${pct(upperBound(counts.fails, n, ALPHA_PER_LOOK))}`
      : `${n}, fail <${pct(upperBound(0, n, ALPHA_PER_LOOK))}`;
  if (measured === 'refuted' && rule === 'universal') return `${counts.fails}/${n} counterexample${counts.fails > 1 ? 's' : ''}`;
  if (measured === 'refuted')
    return counts.holds
      ? `${counts.holds}/${n} hold, <${pct(upperBound(counts.holds, n, ALPHA_PER_LOOK))}`
      : `${n}, hold <${pct(upperBound(0, n, ALPHA_PER_LOOK))}`;
  if (measured === 'mixed' || measured === 'undetermined') {
    const { lo, hi } = wilsonInterval(counts.holds, counts.holds + counts.fails, 1.96);
    return `${counts.holds}/${counts.holds + counts.fails}, CI ${pct(lo).replace('%', '')}–${pct(hi)}`;
  }
  return `${counts.holds}/${n}`;
}
