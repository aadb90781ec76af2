import type { Claim, ClaimVerdict, Domain, KeyNumberDeclaration, Region, RegionVerdict } from '../engine/types.js';
import { expectedVerdict } from '../engine/types.js';
import type { Case, RegionResult } from '../engine/run-region.js';
import type { BackendUse } from '../engine/run-cache.js';
import type { PlotSeries } from './plot.js';
import { type RegionRecord, regionRecord } from './region-record.js';
import { keyNumberWords } from './key-words.js';
import { type KeyNumber, keyNumberOf } from './summary.js';

/**
 * What one region's run leaves for the report (issue 26): everything the Allure report, the
 * record and the messages need, built once by the caller that ran the region and passed down. The
 * report reads this and nothing else: no registry, no training plan, no environment.
 */
export interface RegionOutcome<D extends Domain = Domain> {
  /** The claim as registered: statement, premise, predicate, plot axes, its regions. */
  readonly claim: Claim<D>;
  readonly region: Region<D>;
  /** The region's measured verdict. */
  readonly verdict: RegionVerdict;
  /** holds / fails / broken over the cases in the premise, and the cases outside it. */
  readonly counts: RegionResult['counts'];
  /** Share of the region's cases that meet the claim's premise. */
  readonly premiseShare: number;
  /** Every case the region judged, with the series that decided it (what the evidence plot draws). */
  readonly cases: readonly Case[];
  /** The region's run in full (seed, counterexample, budgets), for the attachments. */
  readonly result: RegionResult;
  /** The key number over this region's cases, with its unit and the range the claim declares (null when its evaluations report no number). */
  readonly keyNumber: (KeyNumber & { readonly unit: string }) | null;
  /** What the published summary keeps of the run (rounded, no timings). */
  readonly record: RegionRecord;
  /**
   * The verdict the claim's node in the report shows. The caller decides it: a training shard's
   * caller knows the whole plan's claim; by default the verdict the claim's regions expect.
   */
  readonly claimVerdict: ClaimVerdict;
  /** Curves drawn light beside the region's own (the vanilla RNN beside a gated cell), read by the caller from runs already made; empty when none. */
  readonly beside: readonly PlotSeries[];
  /** The run: the backend that measured it and the region's fast-check seed. */
  readonly run: { readonly backend: string; readonly seed: number };
}

/** What the caller of {@link regionOutcome} knows beyond the run itself. */
export interface OutcomeContext {
  /** The tfjs backend the region ran on. */
  readonly backend: string;
  /** What the measurement asked of the backend (engine/run-cache.ts), kept in the record. */
  readonly backendUse?: BackendUse;
  /** The claim node's verdict (default: the claim's expected verdict). */
  readonly claimVerdict?: ClaimVerdict;
  /** Reference curves beside the region's own (default: none). */
  readonly beside?: readonly PlotSeries[];
}

/** The key number's unit: the claim's declaration, else the words dictionary's (report/key-words.ts). */
function unitOf(name: string, declared: KeyNumberDeclaration | undefined): string {
  return declared?.name === name ? declared.unit : keyNumberWords(name).unit;
}

/** A region's outcome from its run: the record built here, the rest as the caller gives it. */
export function regionOutcome<D extends Domain>(claim: Claim<D>, result: RegionResult, context: OutcomeContext): RegionOutcome<D> {
  const region = claim.regions.find((r) => r.id === result.regionId);
  if (!region) throw new RangeError(`regionOutcome: ${claim.id} has no region "${result.regionId}"; its regions: ${claim.regions.map((r) => r.id).join(', ')}`);
  const record = regionRecord(claim, result, context.backend, context.backendUse);
  const key = keyNumberOf({ regions: [record] }, claim.keyNumber);
  return {
    claim,
    region,
    verdict: result.verdict,
    counts: result.counts,
    premiseShare: result.premiseShare,
    cases: result.cases,
    result,
    keyNumber: key ? { ...key, unit: unitOf(key.name, claim.keyNumber) } : null,
    record,
    claimVerdict: context.claimVerdict ?? expectedVerdict(claim),
    beside: context.beside ?? [],
    run: { backend: context.backend, seed: result.seed },
  };
}
