import type { Claim, Domain, RegionVerdict } from '../engine/types.js';
import { LISTED_EXCEPTIONS, matchesExpectation } from '../engine/run-region.js';
import { type KeyRange, type NumberStats, type RegionRecord, mergeRanges } from './region-record.js';
import { sig } from '../numerics/round.js';
import { type DecisionRule, decide, ruleOf } from '../engine/decision.js';

/**
 * A seed sweep (`vg verify --seeds a,b,c`): the gradient claims run once per fast-check seed, each
 * seed sampling other cases. A region's verdict is only as good as its sampling if another seed
 * gives the same verdict; the sweep compares them and publishes the pooled counts.
 */

/** One seed's run of a region. */
export interface SeedRun {
  readonly seed: number;
  readonly verdict: string;
  readonly holds: number;
  readonly fails: number;
  readonly broken: number;
  /** Cases outside the claim's premise (absent from records written before premises: 0). */
  readonly outside: number;
  /** The smallest counterexample that seed found, if any. */
  readonly counterexample: string | null;
}

/** A region across the sweep's seeds. */
export interface SweptRegion {
  readonly claimId: string;
  readonly regionId: string;
  readonly runs: readonly SeedRun[];
  /** Whether every seed gave the same verdict. */
  readonly stable: boolean;
}

const keyOf = (r: Pick<RegionRecord, 'claimId' | 'regionId'>): string => `${r.claimId} [${r.regionId}]`;

/** The verdict a sweep records for a seed whose run did not measure the region (a crash, a timeout). */
export const NOT_MEASURED = 'not measured';

/**
 * Every region measured by any seed, with each seed's verdict and counts. A region a seed did
 * not measure gets the verdict NOT_MEASURED for that seed, so it is unstable and reported,
 * never silently pooled from the other seeds.
 */
export function compareSeeds(bySeed: ReadonlyArray<{ readonly seed: number; readonly records: readonly RegionRecord[] }>): SweptRegion[] {
  const keys = [...new Set(bySeed.flatMap((s) => s.records.map(keyOf)))].sort();
  return keys.map((key) => {
    const runs = bySeed.map(({ seed, records }) => {
      const r = records.find((x) => keyOf(x) === key);
      if (!r) return { seed, verdict: NOT_MEASURED, holds: 0, fails: 0, broken: 0, outside: 0, counterexample: null };
      return {
        seed,
        verdict: r.measured,
        holds: r.counts.holds,
        fails: r.counts.fails,
        broken: r.counts.broken,
        outside: r.counts.outside ?? 0,
        counterexample: r.counterexample?.subject ?? null,
      };
    });
    const [claimId, regionId] = [key.slice(0, key.indexOf(' [')), key.slice(key.indexOf(' [') + 2, -1)];
    return { claimId, regionId, runs, stable: runs.every((s) => s.verdict === runs[0].verdict) };
  });
}

/** A terminal report of the regions whose verdict differs between seeds (empty string when none does). */
export function instabilityReport(regions: readonly SweptRegion[]): string {
  const unstable = regions.filter((r) => !r.stable);
  if (unstable.length === 0) return '';
  const lines = [`${unstable.length} region(s) changed verdict with the seed:`];
  for (const r of unstable) {
    lines.push(`  ${r.claimId} [${r.regionId}]`);
    for (const s of r.runs)
      lines.push(
        `    run seed ${s.seed}: ${s.verdict} (${s.holds} hold / ${s.fails} fail / ${s.broken} ` +
          `broken)${s.counterexample ? `; counterexample ${s.counterexample}` : ''}`,
      );
  }
  return lines.join('\n');
}

/**
 * The verdict of pooled counts: the same rule as a single run's (engine/decision.ts), over every
 * seed's cases; enumerated regions (training) are exact over their cases.
 */
export function pooledVerdict(
  holds: number,
  fails: number,
  broken: number,
  rule: DecisionRule | 'enumerated' = 'enumerated',
): Exclude<RegionVerdict, 'budget-limited'> {
  if (holds + fails + broken === 0) return 'outside-premise';
  if (broken > 0) return 'numerically-broken';
  if (rule !== 'enumerated') return decide(rule, holds, fails, broken) ?? 'undetermined';
  if (fails === 0) return 'holds';
  if (holds === 0) return 'refuted';
  return 'mixed';
}

function poolKey(records: readonly RegionRecord[]): KeyRange | null | undefined {
  if (records.some((r) => r.key === undefined)) return undefined;
  const parts = records.map((r) => r.key).filter((k): k is KeyRange => k !== null && k !== undefined);
  // Seeds whose representative cases report different key numbers have no common range.
  if (parts.length === 0 || parts.some((p) => p.name !== parts[0].name)) return null;
  return { name: parts[0].name, ...mergeRanges(parts) };
}

/** The minority cases of the pooled counts (failing ones when most hold) from every seed's list, at most LISTED_EXCEPTIONS. */
function poolExceptions(records: readonly RegionRecord[], mostHold: boolean): Pick<RegionRecord, 'exceptions'> {
  const cases = records
    .flatMap((r) => r.exceptions ?? [])
    .filter((e) => e.holds === !mostHold)
    .slice(0, LISTED_EXCEPTIONS);
  return { exceptions: cases };
}

/** Each number's range over every seed's cases; a median only when one seed's record holds them all. */
function poolStats(records: readonly RegionRecord[]): { stats?: Record<string, NumberStats> } {
  if (records.length === 1) return records[0].stats ? { stats: { ...records[0].stats } } : {};
  if (records.some((r) => !r.stats)) return {};
  const names = [...new Set(records.flatMap((r) => Object.keys(r.stats!)))];
  return {
    stats: Object.fromEntries(
      names.map((name) => {
        const parts = records.map((r) => r.stats![name]).filter((p): p is NumberStats => p !== undefined);
        return [name, { ...mergeRanges(parts), median: null }];
      }),
    ),
  };
}

/** A record of a region as the sweep publishes it: the first seed's record with pooled counts, ranges and verdict, and every seed's run. */
export type PooledRecord = RegionRecord & { readonly sweep: readonly SeedRun[] };

/**
 * Pools each region's records over the seeds: counts summed, verdict from the pooled counts,
 * matched against the region's expectation (a mixed band on the pooled fraction), key-number
 * range over every seed's cases; the representative numbers and counterexample stay the first
 * seed's that has one (the published seed first).
 */
export function poolRecords(
  claims: readonly Claim<Domain>[],
  bySeed: ReadonlyArray<{ readonly seed: number; readonly records: readonly RegionRecord[] }>,
): PooledRecord[] {
  const swept = compareSeeds(bySeed);
  return swept.map((s) => {
    const records = bySeed
      .map(({ records: rs }) => rs.find((x) => x.claimId === s.claimId && x.regionId === s.regionId))
      .filter((r): r is RegionRecord => r !== undefined);
    // The representative (numbers, counterexample and the seed that replays it) is one seed's record, whole.
    const first = records.find((r) => r.counterexample) ?? records[0];
    const holds = s.runs.reduce((n, r) => n + r.holds, 0),
      fails = s.runs.reduce((n, r) => n + r.fails, 0),
      broken = s.runs.reduce((n, r) => n + r.broken, 0),
      outside = s.runs.reduce((n, r) => n + r.outside, 0);
    const claim = claims.find((c) => c.id === s.claimId);
    const region = claim?.regions.find((r) => r.id === s.regionId);
    const verdict = pooledVerdict(holds, fails, broken, region?.domain.kind === 'training' ? 'enumerated' : ruleOf(claim?.kind ?? 'empirical'));
    if (!region) throw new RangeError(`poolRecords: ${s.claimId} [${s.regionId}] is not a registered region`);
    const key = poolKey(records);
    const sources: Record<string, number> = {};
    for (const r of records) for (const [k, n] of Object.entries(r.sources ?? {})) sources[k] = (sources[k] ?? 0) + (n ?? 0);
    return {
      ...first,
      measured: verdict,
      broken: records.find((r) => r.broken)?.broken ?? null,
      ...(Object.keys(sources).length > 0 ? { sources } : {}),
      counts: { holds, fails, broken, outside },
      runs: records.reduce((n, r) => n + r.runs, 0),
      premiseShare: sig(
        1 -
          outside /
            Math.max(
              1,
              records.reduce((n, r) => n + r.runs, 0),
            ),
      ),
      premiseError: records.find((r) => r.premiseError)?.premiseError ?? null,
      matches: !records.some((r) => r.premiseError) && matchesExpectation(region, verdict, holds, holds + fails + broken),
      key: key ?? null,
      ...poolStats(records),
      ...poolExceptions(records, fails <= holds),
      sweep: s.runs,
    };
  });
}
