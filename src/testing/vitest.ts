import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve.js';
import type { Claim, Domain, Region } from '../engine/types.js';
import { type EngineOptions, engineOptionsFromEnv } from '../engine/options.js';
import { newEvaluationContext } from '../engine/run-cache.js';
import { runRegion, sampleCap } from '../engine/run-region.js';
import { regionsToRun, selectClaims } from '../engine/select.js';
import { allureActive, reportRegion } from '../report/allure.js';
import { writeRecord } from '../report/evidence-store.js';
import { regionRecord } from '../report/region-record.js';

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
}

/** The claims left after the run's filters (`vg verify` --claim, --section, --verdict, --config). */
export function selectedClaims(registered: readonly Claim<Domain>[], engine: EngineOptions = engineOptionsFromEnv()): readonly Claim<Domain>[] {
  return selectClaims(registered, engine);
}

/** One test per (claim, region) of the given claims, after the run's filters (and --runs). */
export function verifyClaims(registered: readonly Claim<Domain>[], options: VerifyClaimsOptions = {}): void {
  const engine = options.engine ?? engineOptionsFromEnv();
  const evidenceDir = options.evidenceDir ?? engine.evidenceDir;
  // One run: the regions of these claims share one cache of measurements, and nothing else does.
  const context = newEvaluationContext();
  for (const claim of selectClaims(registered, engine)) {
    for (const region of regionsToRun(claim, engine)) {
      it(`${claim.id} [${region.id}] should be ${region.expected}${region.band ? ` (${region.band.lo}–${region.band.hi} holding)` : ''}`, async () => {
        const backend = await resolveBackend();
        const before = tf.memory().numTensors;
        const { value: result, use } = await context.cache.track(() => runRegion(claim, region, undefined, context));
        expect(tf.memory().numTensors, `${claim.id} [${region.id}]: tensors leaked`).toBe(before);
        const record = regionRecord(claim, result, backend.name, use);
        if (evidenceDir !== null) await writeRecord(record, evidenceDir);
        if (allureActive()) await reportRegion(claim, result, record);
        const detail = record.counterexample ? `; smallest counterexample ${record.counterexample.subject}: ${JSON.stringify(record.counterexample.numbers)}` : '';
        const band = region.band ? `, band ${region.band.lo}–${region.band.hi} (${region.band.basis})` : '';
        expect(result.matches, `${claim.id} [${region.id}] expected ${region.expected}${band}, measured ${result.verdict} (${result.counts.holds}/${result.cases.length} hold, seed ${result.seed})${detail}${record.broken ? `; broken: ${record.broken}` : ''}`).toBe(true);
      }, regionTimeout(region));
    }
  }
}
