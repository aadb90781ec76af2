import fc from 'fast-check';
import type { BudgetVerdict, Claim, Domain, Evaluation, Region, RegionRole, RegionVerdict, SubjectOf } from './types.js';
import { subjectOf, trainingSubjects } from './arbitraries/subject-of.js';
import { inBand } from './bands.js';
import { type DecisionRule, LOOKS, casesForCleanVerdict, decide, ruleOf } from './decision.js';
import { type EvaluationContext, newEvaluationContext } from './run-cache.js';

/** One sampled case of a region: the subject and what the claim's predicate measured on it. */
export interface Case<S = unknown> {
  readonly subject: S;
  readonly evaluation: Evaluation;
}

/** The smallest case fast-check shrank to, with what replays it. */
export interface Counterexample<S = unknown> extends Case<S> {
  /** fast-check's path: `fc.check(property, { seed, path })` replays this case exactly. */
  readonly path: string;
  readonly shrinks: number;
}

/** A region's counts: holds, fails and broken over the cases its verdict is read from; outside: cases that missed the premise. */
export interface RegionCounts {
  readonly holds: number;
  readonly fails: number;
  readonly broken: number;
  readonly outside: number;
}

/** Whether a case meets its claim's premise: measured (the evaluation says), else decided from the subject, else met. */
export function meetsPremise<D extends Domain>(claim: Pick<Claim<D>, 'premise'>, c: Case<SubjectOf<D>>): boolean {
  return c.evaluation.inPremise ?? claim.premise.of?.(c.subject) ?? true;
}

/**
 * Whether a case counts toward its region's verdict: every case of a boundary probe, only the
 * cases inside the premise of a premise region (PREMISE_RULE in engine/types.ts).
 */
export function countsToward<D extends Domain>(claim: Pick<Claim<D>, 'premise'>, role: RegionRole, c: Case<SubjectOf<D>>): boolean {
  return role === 'boundary' || meetsPremise(claim, c);
}

/** Everything a region's run measured, for the spec's assertion, Allure and the summary. */
export interface RegionResult<S = unknown> {
  readonly claimId: string;
  readonly regionId: string;
  readonly expected: Region['expected'];
  readonly verdict: RegionVerdict;
  readonly seed: number;
  readonly runs: number;
  /** Whether the region tests the claim's premise or probes beyond it. */
  readonly role: RegionRole;
  /**
   * The cases the verdict is read from (every case of a boundary probe; those inside the premise
   * of a premise region), and how many of all `runs` cases missed the premise.
   */
  readonly counts: RegionCounts;
  /** Share of the region's cases that meet the claim's premise (1 for an unconditional claim). */
  readonly premiseShare: number;
  /** Set when a premise region's cases mostly miss the premise: the region is mis-stated (an error naming claim and region). */
  readonly premiseError: string | null;
  readonly cases: readonly Case<S>[];
  /** For a region where the predicate fails somewhere (whatever its verdict): the smallest case where it fails. */
  readonly counterexample: Counterexample<S> | null;
  /** Where a value first turned NaN or infinite, when the verdict is numerically-broken. */
  readonly broken: string | null;
  /** Training regions: the verdict at each budget of the ladder, the cap last; empty otherwise. */
  readonly budgets: readonly BudgetVerdict[];
  /** The verdict at the cap (equal to `verdict` unless that is budget-limited or outside the premise). */
  readonly capVerdict: Exclude<RegionVerdict, 'budget-limited' | 'outside-premise'>;
  /** Whether the measurement is what the region expects (see {@link matchesExpectation}). */
  readonly matches: boolean;
  /** How the region was decided: by one counterexample (a universal claim), by shares, or exactly over enumerated seeds (training). */
  readonly rule: DecisionRule | 'enumerated';
  /** The cases on the minority side of the counts (failing ones when most hold; at most LISTED_EXCEPTIONS): behind a clean verdict, its exceptions, so nothing is hidden. */
  readonly exceptions: readonly Case<S>[];
}

/**
 * A region's measurement matches its expectation when the verdict is the expected one and, for
 * an expected `mixed`, the holding fraction lies in the region's band. A mixed expectation
 * without a band is an error in the claim, not a pass. A region with no stated expectation
 * (`unstated`, built only in record mode) accepts what it measured: that run is for review.
 */
export function matchesExpectation(
  region: Pick<Region, 'id' | 'expected' | 'band' | 'unstated'>,
  verdict: RegionVerdict,
  holds: number,
  runs: number,
): boolean {
  if (region.unstated === true) return true;
  if (verdict !== region.expected) return false;
  if (region.expected !== 'mixed') return true;
  if (!region.band) throw new RangeError(`region ${region.id}: a mixed expectation needs a band of holding fractions (bandOf in engine/bands.ts)`);
  return inBand(holds, runs, region.band);
}

/**
 * Sequential sampling, under the decision rule of engine/decision.ts. A region of a claim decided
 * by shares first samples {@link firstSample} cases: its `runs`, and at least the fewest cases that
 * can decide a clean verdict at all. While its counts decide nothing it doubles, continuing the same
 * seeded sequence (fast-check's sample is prefix-stable, so the first cases are those a smaller run
 * measures), for at most LOOKS looks or up to `region.maxRuns`; a region still undecided then is
 * 'undetermined', never rounded. A universal claim's region is decided by its first sample.
 */
export function firstSample(region: Pick<Region, 'runs'>, rule: DecisionRule = 'share'): number {
  return rule === 'universal' ? region.runs : Math.max(region.runs, casesForCleanVerdict());
}

/** The sample size a region may grow to (under the share rule unless told otherwise: the larger of the two). */
export function sampleCap(region: Pick<Region, 'runs' | 'maxRuns'>, rule: DecisionRule = 'share'): number {
  const first = firstSample(region, rule);
  return rule === 'universal' ? first : Math.max(first, region.maxRuns ?? first * 2 ** (LOOKS - 1));
}

/** The rare cases listed beside a clean verdict, at most this many (the counts give the rest). */
export const LISTED_EXCEPTIONS = 10;

/** New evaluations allowed while shrinking a counterexample. */
export const SHRINK_BUDGET = 16;

/**
 * Subjects handed to one `evaluate` call at the most. A batch's evidence (weights, the float64
 * oracle's per-step Jacobians) stays alive until its evaluations return: 1600 configurations
 * of VG-SUMMARY-GATED at once peaked at 2.8 GB resident (1.3 GB in batches). Evaluations do not depend on the batch (each subject is evaluated on its own configuration),
 * so this bounds memory without changing a result.
 */
export const EVALUATION_BATCH = 100;

/** claim.evaluate over `subjects` in batches of EVALUATION_BATCH, evaluations in subject order. */
async function evaluateInBatches<D extends Domain>(claim: Claim<D>, subjects: readonly SubjectOf<D>[], context: EvaluationContext): Promise<Evaluation[]> {
  const out: Evaluation[] = [];
  for (let start = 0; start < subjects.length; start += EVALUATION_BATCH) {
    out.push(...(await claim.evaluate(subjects.slice(start, start + EVALUATION_BATCH), context)));
  }
  return out;
}

/** FNV-1a, so each region gets its own seed from the run's seed and its id, whatever the test order. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The seed a region runs with: the global fast-check seed (VG_FC_SEED) mixed with the
 * region's domain and run count. Regions of different claims over the same domain sample the
 * same subjects, so their measurements are shared (see the evidence cache), whatever the order.
 */
export function regionSeed(region: Pick<Region, 'domain' | 'runs'>, globalSeed = Number(fc.readConfigureGlobal().seed ?? 424242)): number {
  return (hash32(`${JSON.stringify(region.domain)}/${region.runs}`) ^ globalSeed) >>> 0 || 1;
}

function verdictOfHolds(holds: readonly (boolean | null)[]): Exclude<RegionVerdict, 'budget-limited' | 'outside-premise' | 'undetermined'> {
  if (holds.some((h) => h === null)) return 'numerically-broken';
  if (holds.every((h) => h === true)) return 'holds';
  if (holds.every((h) => h === false)) return 'refuted';
  return 'mixed';
}

/**
 * The verdict at every budget the cases were read at (all cases carry the same ladder), and
 * whether the region is budget-limited: its verdict at half the cap differs from the one at the cap.
 */
export function budgetVerdicts(cases: readonly Case[]): { budgets: BudgetVerdict[]; limited: boolean } {
  const ladders = cases.map((c) => c.evaluation.byBudget ?? []);
  if (ladders.length === 0 || ladders[0].length === 0) return { budgets: [], limited: false };
  const budgets = ladders[0].map(({ budget }, i) => {
    const holds = ladders.map((l) => {
      if (l[i]?.budget !== budget) throw new RangeError(`budgetVerdicts: cases were read at different budgets (${budget} against ${l[i]?.budget})`);
      return l[i].holds;
    });
    return { budget, verdict: verdictOfHolds(holds), holds: holds.filter((h) => h === true).length, fails: holds.filter((h) => h === false).length };
  });
  const cap = budgets[budgets.length - 1];
  // A predicate read at the cap only (a quantity measured once, at the end of training) has no ladder to move along.
  if (budgets.length === 1) return { budgets, limited: false };
  const half = budgets.find((b) => b.budget === cap.budget / 2);
  if (!half) throw new RangeError(`budgetVerdicts: the ladder ${budgets.map((b) => b.budget).join(', ')} has no half of its cap`);
  return { budgets, limited: half.verdict !== cap.verdict };
}

/**
 * Runs one region of a claim: samples `region.runs` subjects with the region's seed (more, up to
 * its cap, when a mixed verdict rests on few minority cases: see MIN_MINORITY),
 * evaluates them in one batch (model claims share tfjs passes), and when the predicate
 * fails somewhere, replays the same property through fc.check (same seed, so the same
 * subjects, answered from a cache) to shrink to the smallest failing subject.
 */
export async function runRegion<D extends Domain>(
  claim: Claim<D>,
  region: Region<D>,
  seed = regionSeed(region),
  context: EvaluationContext = newEvaluationContext(),
): Promise<RegionResult<SubjectOf<D>>> {
  const arbitrary = subjectOf(region.domain);
  // A training region is enumerated, not sampled: every listed seed is one full training run.
  const exhaustive = region.domain.kind === 'training' ? (trainingSubjects(region.domain) as SubjectOf<D>[]) : null;
  // Known cases the region always checks (regression examples, like Hypothesis's @example) come first, then the sample.
  const examples = exhaustive ? [] : [...(region.examples ?? [])];
  const rule = ruleOf(claim.kind);
  let sampled = exhaustive ? 0 : firstSample(region, rule);
  const subjects = exhaustive ?? [...examples, ...fc.sample(arbitrary, { seed, numRuns: sampled })];
  const evaluations = await evaluateInBatches(claim, subjects, context);
  const cap = sampleCap(region, rule);
  const counted = (): Evaluation[] => evaluations.filter((e, i) => countsToward(claim, region.role, { subject: subjects[i], evaluation: e }));
  while (!exhaustive && sampled < cap) {
    const inside = counted();
    const holds = inside.filter((e) => e.holds === true).length,
      fails = inside.filter((e) => e.holds === false).length;
    if (decide(rule, holds, fails, inside.length - holds - fails) !== null) break;
    const next = Math.min(cap, 2 * sampled);
    const more = fc.sample(arbitrary, { seed, numRuns: next }).slice(sampled);
    evaluations.push(...(await evaluateInBatches(claim, more, context)));
    subjects.push(...more);
    sampled = next;
  }
  const cache = new Map<string, Evaluation>();
  subjects.forEach((s, i) => cache.set(JSON.stringify(s), evaluations[i]));
  // Each case records whether it met the premise, however the claim decides it (measured, or from the subject).
  const cases = subjects.map((subject, i) => ({
    subject,
    evaluation: { ...evaluations[i], inPremise: meetsPremise(claim, { subject, evaluation: evaluations[i] }) },
  }));
  let freshEvaluations = 0;
  const evaluate = async (s: SubjectOf<D>): Promise<Evaluation> => {
    const key = JSON.stringify(s);
    const hit = cache.get(key);
    if (hit) return hit;
    freshEvaluations++;
    const [fresh] = await claim.evaluate([s], context);
    cache.set(key, fresh);
    return fresh;
  };
  // Shrinking stops after a fixed number of new evaluations (deterministic, unlike a time limit):
  // past the budget an unseen candidate counts as passing, so fast-check keeps the smallest failure found.
  // A case outside the premise of a premise region is not a counterexample, so shrinking never ends on one.
  const withinBudget = async (s: SubjectOf<D>): Promise<boolean> => {
    if (freshEvaluations >= SHRINK_BUDGET && !cache.has(JSON.stringify(s))) return true;
    const evaluation = await evaluate(s);
    return evaluation.holds === true || !countsToward(claim, region.role, { subject: s, evaluation });
  };
  const decided = cases.filter((c) => countsToward(claim, region.role, c));
  const outside = cases.filter((c) => !meetsPremise(claim, c)).length;
  const premiseShare = cases.length === 0 ? 1 : (cases.length - outside) / cases.length;
  // A premise region must test the premise: most of its cases meeting it (else it is a boundary probe, or mis-stated).
  const premiseError =
    region.role === 'premise' && premiseShare < 0.5
      ? `${claim.id} [${region.id}]: a premise region, but ${outside} of its ${cases.length} cases miss the ` +
        `claim's premise (${claim.premise.text}); make it a boundary probe or narrow its domain`
      : null;
  const count = (v: boolean | null): number => decided.filter((c) => c.evaluation.holds === v).length;
  // Enumerated (training) regions are exact over their seeds; sampled ones are decided by the rule, or undetermined at the cap.
  const capVerdict = exhaustive
    ? verdictOfHolds(decided.map((c) => c.evaluation.holds))
    : (decide(rule, count(true), count(false), count(null)) ?? 'undetermined');
  const { budgets, limited } = budgetVerdicts(decided);
  const verdict: RegionVerdict = decided.length === 0 ? 'outside-premise' : limited ? 'budget-limited' : capVerdict;
  // The minority side of the counts (failing cases when most hold), whatever the verdict, so a pooled sweep can list a clean verdict's exceptions.
  const minority = count(false) <= count(true);
  const exceptions = decided.filter((c) => c.evaluation.holds === !minority).slice(0, LISTED_EXCEPTIONS);
  let counterexample: Counterexample<SubjectOf<D>> | null = null;
  if (count(false) > 0) {
    // For an enumerated region the listed subjects run first as examples, so every one is checked.
    const listed = exhaustive ?? examples;
    const details = await fc.check(fc.asyncProperty(arbitrary, withinBudget), {
      seed,
      numRuns: subjects.length - examples.length,
      ...(listed.length > 0 ? { examples: listed.map((s) => [s] as [SubjectOf<D>]) } : {}),
    });
    if (details.failed && details.counterexample && details.counterexamplePath !== null) {
      const [subject] = details.counterexample;
      counterexample = { subject, evaluation: await evaluate(subject), path: details.counterexamplePath, shrinks: details.numShrinks };
    }
  }
  const brokenCase = decided.find((c) => c.evaluation.holds === null);
  return {
    claimId: claim.id,
    regionId: region.id,
    expected: region.expected,
    verdict,
    seed,
    runs: cases.length,
    role: region.role,
    counts: { holds: count(true), fails: count(false), broken: count(null), outside },
    premiseShare,
    premiseError,
    cases,
    counterexample,
    broken: brokenCase ? (brokenCase.evaluation.broken ?? 'a non-finite value') : null,
    budgets,
    capVerdict,
    matches: premiseError === null && matchesExpectation(region, verdict, count(true), decided.length),
    rule: exhaustive ? 'enumerated' : rule,
    exceptions,
  };
}
