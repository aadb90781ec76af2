import type { RegionVerdict } from '../engine/types.js';
import { verdictMeaning } from './meaning.js';
import type { RegionRecord } from './region-record.js';
import { verdictWord } from './verdict-words.js';

/**
 * The published report's status of a region follows its measured verdict, not vitest's (which is
 * "passed" whenever the verdict matched the registered expectation, refuted or not): Allure's
 * landing page counts statuses, and a reader who skims its ring must not read "all green" off a
 * run that refuted half the document. The test run's own results, and its exit code, keep vitest's.
 */

/** The Allure statuses a verdict maps to. */
export type VerdictStatus = 'passed' | 'failed' | 'broken' | 'skipped';

/**
 * Only `holds` is green and `refuted` is the red, failed one. `numerically-broken` is broken:
 * the measurement itself broke, as Allure means by it. Split, budget-limited, undetermined and
 * outside-premise regions decided neither way; they are `skipped` (grey, left out of Allure's
 * success rate) rather than broken, so that broken keeps meaning one thing a reader can act on.
 * Their status message says what they measured.
 */
export const VERDICT_STATUS: Readonly<Record<RegionVerdict, VerdictStatus>> = {
  holds: 'passed',
  refuted: 'failed',
  'numerically-broken': 'broken',
  mixed: 'skipped',
  'budget-limited': 'skipped',
  undetermined: 'skipped',
  'outside-premise': 'skipped',
};

/** The label that says whether a region measured its registered expectation. */
export const EXPECTATION_LABEL = 'expectation';

/** `matches`, or `differs (registered holds)`: the value of {@link EXPECTATION_LABEL}. */
export function expectationValue(matches: boolean, expected: string): string {
  return matches ? 'matches' : `differs (registered ${expected})`;
}

/** The Allure status of a measured verdict; an unknown verdict (a newer engine's) is skipped, never passed. */
export function verdictStatus(verdict: string): VerdictStatus {
  return (VERDICT_STATUS as Readonly<Record<string, VerdictStatus>>)[verdict] ?? 'skipped';
}

/**
 * The first line of a region's status message: the verdict in words, the cases (or, for a
 * training region, seeds) where the predicate holds, and the expectation, e.g.
 * `refuted: 0 of 25 cases hold (as registered)`. Without the region's record, the verdict alone.
 */
export function verdictHeadline(
  verdict: string,
  expected: string,
  matches: boolean,
  record: Pick<RegionRecord, 'counts' | 'rule' | 'capVerdict'> | null,
): string {
  const cap = verdict === 'budget-limited' && record?.capVerdict ? ` (at the cap: ${record.capVerdict})` : '';
  const words = `${verdictWord(verdict)}${cap}`;
  const registered = matches ? 'as registered' : `registered: ${expected}`;
  if (!record) return `${words} (${registered})`;
  const { holds, fails, broken } = record.counts;
  const n = holds + fails + broken;
  const unit = record.rule === 'enumerated' ? (n === 1 ? 'seed' : 'seeds') : n === 1 ? 'case' : 'cases';
  if (n === 0) return `${words}: no case met the premise (${registered})`;
  if (verdict === 'numerically-broken') return `${words}: ${broken} of ${n} ${unit} gave a NaN or an overflow (${registered})`;
  return `${words}: ${holds} of ${n} ${unit} hold (${registered})`;
}

/** The parts of an Allure result file the restatement reads and writes; every other field is kept. */
export interface RegionResultFile {
  readonly status?: string;
  readonly statusDetails?: { readonly message?: string; readonly trace?: string; readonly [k: string]: unknown };
  readonly labels?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly [k: string]: unknown;
}

/**
 * A region's result as the published report shows it: status from its verdict, status message
 * starting with the headline and the verdict's meaning (vitest's own message, for a region that
 * differed from its expectation, follows), and an {@link EXPECTATION_LABEL} label right after the
 * verdict. `record` is the region's numbers.json; without it the labels `verdict` and `expected`
 * decide. A result with no verdict label (an overview) is returned unchanged.
 */
export function restateByVerdict<T extends RegionResultFile>(
  result: T,
  record: RegionRecord | null,
): T & Pick<RegionResultFile, 'status' | 'statusDetails' | 'labels'> {
  const labels = result.labels ?? [];
  const verdict = labels.find((l) => l.name === 'verdict')?.value;
  if (verdict === undefined) return result;
  const expected = record?.expected ?? labels.find((l) => l.name === 'expected')?.value ?? verdict;
  const matches = record?.matches ?? verdict === expected;
  const meaning = record ? `What that says: ${verdictMeaning(verdict, record.counts, record.rule)}.` : '';
  const vitest = result.statusDetails?.message ? `The test run said: ${result.statusDetails.message}` : '';
  const message = [verdictHeadline(verdict, expected, matches, record), meaning, vitest].filter((s) => s !== '').join('\n\n');
  const kept = labels.filter((l) => l.name !== EXPECTATION_LABEL);
  const at = kept.findIndex((l) => l.name === 'verdict');
  const expectation = { name: EXPECTATION_LABEL, value: expectationValue(matches, expected) };
  const next = [...kept.slice(0, at + 1), expectation, ...kept.slice(at + 1)];
  return { ...result, status: verdictStatus(verdict), statusDetails: { ...result.statusDetails, message }, labels: next };
}
