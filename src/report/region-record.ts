import { sig } from '../numerics/round.js';
import { median } from '../numerics/stats.js';
import type { Claim, Domain, Evaluation, TrainingSubject } from '../engine/types.js';
import { describeSubject } from './describe.js';
import type { Case, RegionResult } from '../engine/run-region.js';
import type { MeasurementSource } from '../engine/measured.js';
import type { BackendUse } from '../engine/run-cache.js';

/** What the published summary keeps of one region's run: deterministic, rounded, no timings. */
export interface RegionRecord {
  readonly claimId: string;
  readonly section: string;
  readonly regionId: string;
  readonly region: string;
  readonly expected: string;
  readonly measured: string;
  readonly matches: boolean;
  readonly seed: number;
  readonly runs: number;
  /** Whether the region tests the claim's premise or probes beyond it (engine/types.ts RegionRole; absent from records written before roles: premise). */
  readonly role?: RegionResult['role'];
  /** Share of the region's cases that meet the claim's premise (absent from older records: 1). */
  readonly premiseShare?: number;
  /** Set when a premise region's cases mostly missed the premise (the region is mis-stated). */
  readonly premiseError?: string | null;
  /** holds / fails / broken over the cases the verdict is read from; outside: cases that missed the premise (absent from older records: 0). */
  readonly counts: Omit<RegionResult['counts'], 'outside'> & { readonly outside?: number };
  /** Key numbers of the representative case (the counterexample when there is one, else the first case). */
  readonly numbers: Readonly<Record<string, number | string | boolean | null>>;
  /**
   * The region's key number over all its cases, so the summary reports a range rather than one
   * seed's value: the number the claim declares (engine/types.ts Claim.keyNumber), or for a claim
   * that declares none, {@link keyNumberName}'s guess. Absent from records written before it
   * existed: readers fall back to `seeds` or `numbers` ({@link recordKeyName}).
   */
  readonly key?: KeyRange | null;
  /**
   * Every numeric number the cases report, over the region's cases (3 significant digits): what a
   * claim's prose quotes (`{{region|number|range}}`, report/prose.ts) is read from here. The median
   * is null when the record pools several seeds' runs.
   */
  readonly stats?: Readonly<Record<string, NumberStats>>;
  readonly counterexample: {
    readonly subject: string;
    readonly config: unknown;
    readonly path: string;
    readonly shrinks: number;
    readonly numbers: Evaluation['numbers'];
  } | null;
  readonly broken: string | null;
  /** How the verdict was decided (engine/decision.ts): universal (one counterexample refutes), share (exceptions below δ), enumerated (training seeds). Absent from older records. */
  readonly rule?: RegionResult['rule'];
  /** The cases on the minority side of the counts (failing when most hold), listed so a clean verdict hides nothing (at most LISTED_EXCEPTIONS; counts give the rest). */
  readonly exceptions?: ReadonlyArray<{ readonly subject: string; readonly holds: boolean | null; readonly numbers: Evaluation['numbers'] }>;
  readonly backend: string;
  /**
   * What the measurement asked of the tfjs backend (engine/run-cache.ts BackendUse): both 0 when
   * it was computed without it (the float64 oracle, the fused WebAssembly kernel), so the record
   * is the same on every backend. Absent from records written before it existed; the published
   * summary leaves it out (summary.ts buildSummary).
   */
  readonly backendUse?: BackendUse;
  /**
   * Which measured series decided the cases: how many cases read tfjs float32, how many the
   * float64 oracle (a case can read both). Absent when the claim's cases name no source.
   */
  readonly sources?: Readonly<Partial<Record<MeasurementSource, number>>>;
  /** Training regions: the verdict at each budget of the ladder (cap last) and the verdict at the cap. */
  readonly budgets?: RegionResult['budgets'];
  readonly capVerdict?: string;
  /** Training regions: every seed's case (one training run per lag): whether the predicate held, and when a per-run region's run was solved (null: not within the cap). */
  readonly seeds?: ReadonlyArray<{ readonly seed: number; readonly holds: boolean | null; readonly solvedAt?: number | null }>;
}

/** A key number over a region's cases: finite values give the range, null or non-finite ones are counted as missing. */
export interface NumberRange {
  /** Smallest and largest finite value (3 significant digits); null when no case had one. */
  readonly min: number | null;
  readonly max: number | null;
  /** Cases the range is taken over. */
  readonly cases: number;
  /** Cases without a finite value (e.g. an unsolved training run's solvedAt). */
  readonly missing: number;
}

/** A number over a region's cases: its range, its median (null when pooled over seeds), and the cases without a finite value. */
export interface NumberStats extends NumberRange {
  readonly median: number | null;
}

/** Every key that is a number in some case, with its range and median over the cases. */
export function numberStats(cases: ReadonlyArray<Evaluation['numbers']>): Record<string, NumberStats> {
  const names = [...new Set(cases.flatMap((n) => Object.keys(n).filter((k) => typeof n[k] === 'number')))];
  return Object.fromEntries(
    names.map((name) => {
      const range = keyRange(name, cases);
      const finite = cases.map((n) => n[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      return [name, { min: range.min, max: range.max, cases: range.cases, missing: range.missing, median: finite.length ? sig(median(finite)) : null }];
    }),
  );
}

/** A region's key number: its name and its range over the region's cases. */
export interface KeyRange extends NumberRange {
  readonly name: string;
}

/** Keys that say which case was run rather than what it measured, so never a key number. */
export const SUBJECT_KEYS: ReadonlySet<string> = new Set(['x', 'seed', 'lag', 'shortLag', 'longLag', 'size', 'factors', 'hiddenSize']);

/**
 * The key number of an evaluation whose claim declares none (a user's claim built with
 * `modelClaim` that sets no `keyNumber`, or a record written before claims declared one): the
 * first of its numbers, in the order the evaluation lists them, that is a number (or null: not
 * reached) and not a coordinate of the subject. A fallback only: the registry's claims declare
 * theirs, so reordering an evaluation's fields never changes what they publish.
 */
export function keyNumberName(numbers: Evaluation['numbers']): string | null {
  return Object.keys(numbers).find((k) => !SUBJECT_KEYS.has(k) && (typeof numbers[k] === 'number' || numbers[k] === null)) ?? null;
}

/** The name of a record's key number: its `key`, or for a record written before ranges were kept, {@link keyNumberName} of its numbers. */
export function recordKeyName(r: Pick<RegionRecord, 'key' | 'numbers'>): string | null {
  return r.key === undefined ? keyNumberName(r.numbers) : (r.key?.name ?? null);
}

/**
 * One range from several ranges of one number (a claim's regions, a sweep's seeds, a region
 * measured in two evidence directories): the smallest min, the largest max, the cases and the
 * missing ones added. The one place ranges are merged.
 */
export function mergeRanges(parts: readonly NumberRange[]): NumberRange {
  const mins = parts.map((p) => p.min).filter((v): v is number => v !== null);
  const maxs = parts.map((p) => p.max).filter((v): v is number => v !== null);
  return {
    min: mins.length ? Math.min(...mins) : null,
    max: maxs.length ? Math.max(...maxs) : null,
    cases: parts.reduce((n, p) => n + p.cases, 0),
    missing: parts.reduce((n, p) => n + p.missing, 0),
  };
}

/** One key over many cases: the range of its finite values (3 significant digits); any other value counts as missing. */
export function keyRange(name: string, cases: ReadonlyArray<Evaluation['numbers']>): KeyRange {
  const finite = cases.map((n) => n[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return {
    name,
    min: finite.length ? sig(Math.min(...finite)) : null,
    max: finite.length ? sig(Math.max(...finite)) : null,
    cases: cases.length,
    missing: cases.length - finite.length,
  };
}

/** 3 significant digits for every number, so the summary is readable and stable across backends' last bits. */
export function roundNumbers(numbers: Evaluation['numbers']): Record<string, number | string | boolean | null> {
  return Object.fromEntries(Object.entries(numbers).map(([k, v]) => [k, typeof v === 'number' ? sig(v) : v]));
}

/** The case a record shows: the smallest counterexample, else the first numerically broken case, else the first case. */
export function representative<S>(result: RegionResult<S>): Case<S> {
  return result.counterexample ?? result.cases.find((c) => c.evaluation.holds === null) ?? result.cases[0];
}

/**
 * The key number ranged over every case: the one the claim declares, else the representative's
 * first number (keyNumberName; null when its evaluation reports no number).
 */
function keyOf(declared: string | undefined, representative: Evaluation['numbers'], cases: readonly Case[]): KeyRange | null {
  const name = declared ?? keyNumberName(representative);
  return name === null
    ? null
    : keyRange(
        name,
        cases.map((c) => c.evaluation.numbers),
      );
}

/** Cases decided by each source, when any case names one. */
function sourcesOf(cases: readonly Case[]): { sources?: Partial<Record<MeasurementSource, number>> } {
  const counts: Partial<Record<MeasurementSource, number>> = {};
  for (const c of cases) for (const src of c.evaluation.sources ?? []) counts[src] = (counts[src] ?? 0) + 1;
  return Object.keys(counts).length > 0 ? { sources: counts } : {};
}

/** What a region's run leaves in the published summary (reports/claims.json), rounded and without timings. */
export function regionRecord<D extends Domain>(claim: Claim<D>, result: RegionResult, backend: string, backendUse?: BackendUse): RegionRecord {
  const region = claim.regions.find((r) => r.id === result.regionId)!;
  const rep = representative(result);
  const cx = result.counterexample;
  return {
    claimId: claim.id,
    section: claim.section,
    regionId: region.id,
    region: region.description,
    expected: region.expected,
    measured: result.verdict,
    matches: result.matches,
    seed: result.seed,
    runs: result.runs,
    role: result.role,
    premiseShare: sig(result.premiseShare),
    premiseError: result.premiseError,
    counts: result.counts,
    numbers: roundNumbers(rep.evaluation.numbers),
    key: keyOf(claim.keyNumber?.name, rep.evaluation.numbers, result.cases),
    stats: numberStats(result.cases.map((c) => c.evaluation.numbers)),
    counterexample: cx
      ? { subject: describeSubject(cx.subject), config: cx.subject, path: cx.path, shrinks: cx.shrinks, numbers: roundNumbers(cx.evaluation.numbers) }
      : null,
    broken: result.broken,
    rule: result.rule,
    ...(result.exceptions.length > 0
      ? {
          exceptions: result.exceptions.map((c) => ({
            subject: describeSubject(c.subject),
            holds: c.evaluation.holds,
            numbers: roundNumbers(c.evaluation.numbers),
          })),
        }
      : {}),
    backend,
    ...(backendUse ? { backendUse } : {}),
    ...sourcesOf(result.cases),
    ...(result.budgets.length > 0
      ? {
          budgets: result.budgets,
          capVerdict: result.capVerdict,
          seeds: result.cases.map((c) => {
            const n = c.evaluation.numbers;
            return {
              seed: (c.subject as TrainingSubject).seed,
              holds: c.evaluation.holds,
              ...('solvedAt' in n ? { solvedAt: n.solvedAt as number | null } : {}),
            };
          }),
        }
      : {}),
  };
}
