import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve.js';
import { ConfigError } from '../config/errors.js';
import type { Claim, ClaimVerdict, Domain, Region } from '../engine/types.js';
import { type EngineOptions, engineOptionsFromEnv } from '../engine/options.js';
import { newEvaluationContext } from '../engine/run-cache.js';
import { type RegionResult, runRegion, sampleCap } from '../engine/run-region.js';
import { regionsToRun, selectClaims } from '../engine/select.js';
import { allureActive, reportRegion } from '../report/allure.js';
import { writeRecord } from '../report/evidence-store.js';
import { regionOutcome } from '../report/outcome.js';
import type { PlotSeries } from '../report/plot.js';
import type { RegionRecord } from '../report/region-record.js';

/**
 * Claims as vitest tests: one test per (claim, region) that runs the region's property, checks
 * that no tensor leaked, and passes when the measurement matches the region's registered
 * expectation (for a mixed region: inside its band). The project's claim specs and users' own
 * suites use it alike. A thin adapter: the engine (src/engine) selects and runs, the report
 * layer records.
 *
 * Quiet by default: the evidence goes to Allure only when allure-vitest is a reporter of the run,
 * and a JSON record per region is written only when asked (the `evidenceDir` option, or the
 * run's engine options, which `vg verify` passes in VG_OPTIONS).
 */

/**
 * A region's test timeout: vitest's default of 2 minutes plus a quarter second per case the
 * region may grow to (sampleCap), so a region of 400 cases on a loaded machine is not cut short.
 * Training regions keep the training spec's own timeouts (their runs are trained beforehand).
 */
export function regionTimeout(region: Pick<Region, 'runs' | 'maxRuns'>): number {
  return 120_000 + 250 * sampleCap(region);
}

/** Options of {@link verifyClaims}. */
export interface VerifyClaimsOptions {
  /** Write one JSON record per (claim, region) here. Default: the run's engine options' evidenceDir, or no records. */
  readonly evidenceDir?: string;
  /** The run's options (filters, runs, pinned fields). Default: those this process was started with. */
  readonly engine?: EngineOptions;
  /**
   * The verdict a claim's node shows in the report. Default: the verdict its regions expect. A
   * suite that runs part of a claim's regions (a training shard) passes the whole claim's.
   */
  readonly claimVerdict?: (claim: Claim<Domain>) => ClaimVerdict;
  /**
   * Curves to draw light beside a region's own in its evidence plot (the vanilla RNN beside a
   * gated cell), read from runs the suite has already made; never a reason to measure or train.
   * Default: none.
   */
  readonly beside?: (claim: Claim<Domain>, region: Region<Domain>) => readonly PlotSeries[] | Promise<readonly PlotSeries[]>;
}

/** The claims left after the run's filters (`vg verify` --claim, --section, --verdict, --config). */
export function selectedClaims(registered: readonly Claim<Domain>[], engine: EngineOptions = engineOptionsFromEnv()): readonly Claim<Domain>[] {
  return selectClaims(registered, engine);
}

/**
 * What a region's failed test says: expected and measured verdicts, the counts, the fast-check
 * seed that replays the region, and the smallest counterexample as its subject names it (for a
 * user's claim, the model seed). Each seed is named by its kind, so no number reads as the other.
 */
export function regionMismatchMessage(
  claim: Pick<Claim<Domain>, 'id'>,
  region: Pick<Region, 'id' | 'expected' | 'band'>,
  result: Pick<RegionResult, 'verdict' | 'counts' | 'cases' | 'seed'>,
  record: Pick<RegionRecord, 'counterexample' | 'broken'>,
): string {
  const detail = record.counterexample ? `; smallest counterexample: ${record.counterexample.subject}, ${JSON.stringify(record.counterexample.numbers)}` : '';
  const band = region.band ? `, band ${region.band.lo}–${region.band.hi} (${region.band.basis})` : '';
  return (
    `${claim.id} [${region.id}] expected ${region.expected}${band}, measured ${result.verdict} ` +
    `(${result.counts.holds}/${result.cases.length} hold; fast-check seed ${result.seed} replays the ` +
    `region)${detail}${record.broken ? `; broken: ${record.broken}` : ''}`
  );
}

/**
 * One test per (claim, region) of the given claims, after the run's filters (and --runs). Two
 * claims with one id are refused here, when the suite is collected (a ConfigError naming the id),
 * not left to make two tests of one name whose results Allure would fold into one.
 */
export function verifyClaims(registered: readonly Claim<Domain>[], options: VerifyClaimsOptions = {}): void {
  if (!Array.isArray(registered)) throw new ConfigError('claims', registered, 'an array of claims (modelClaim(…) each)');
  const ids = registered.map((c) => c?.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined)
    throw new ConfigError(
      'claims',
      `id ${String(repeated)} given ${ids.filter((id) => id === repeated).length} times`,
      'claims with distinct ids: each id names one test per region and one entry in the report',
    );
  const engine = options.engine ?? engineOptionsFromEnv();
  const evidenceDir = options.evidenceDir ?? engine.evidenceDir;
  // One run: the regions of these claims share one cache of measurements, and nothing else does.
  const context = newEvaluationContext();
  for (const claim of selectClaims(registered, engine)) {
    for (const region of regionsToRun(claim, engine)) {
      it(
        `${claim.id} [${region.id}] should be ${region.expected}${region.band ? ` (${region.band.lo}–${region.band.hi} holding)` : ''}`,
        async () => {
          const backend = await resolveBackend();
          const before = tf.memory().numTensors;
          const { value: result, use } = await context.cache.track(() => runRegion(claim, region, undefined, context));
          expect(tf.memory().numTensors, `${claim.id} [${region.id}]: tensors leaked`).toBe(before);
          const report = allureActive();
          const outcome = regionOutcome(claim, result, {
            backend: backend.name,
            backendUse: use,
            claimVerdict: options.claimVerdict?.(claim),
            beside: report && options.beside ? await options.beside(claim, region) : [],
          });
          const { record } = outcome;
          if (evidenceDir !== null) await writeRecord(record, evidenceDir);
          if (report) await reportRegion(outcome);
          expect(result.premiseError, `${claim.id} [${region.id}]: ${result.premiseError}`).toBeNull();
          expect(result.matches, regionMismatchMessage(claim, region, result, record)).toBe(true);
        },
        regionTimeout(region),
      );
    }
  }
}
