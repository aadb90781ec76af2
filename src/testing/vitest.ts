import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { runRegion } from '../../properties/runRegion.js';
import { resolveBackend } from '../backend/resolve.js';
import { pinClaims } from '../claims/pin.js';
import { type Claim, type Domain, expectedVerdict } from '../claims/types.js';
import { readPinnedFields } from '../cli/profile.js';
import { allureActive, reportRegion } from '../report/allure.js';
import { requestedEvidenceDir, writeRecord } from '../report/evidence-store.js';
import { regionRecord } from '../report/region-record.js';

/**
 * Claims as vitest tests: one test per (claim, region) that runs the region's property, checks
 * that no tensor leaked, and passes when the measured verdict is the region's registered
 * expectation. The project's claim specs and users' own suites use it alike.
 *
 * Quiet by default: the evidence goes to Allure only when allure-vitest is a reporter of the run,
 * and a JSON record per region is written only when asked (the `evidenceDir` option, or the
 * VG_EVIDENCE_DIR environment variable, which `vg verify` sets).
 */

/** Options of {@link verifyClaims}. */
export interface VerifyClaimsOptions {
  /** Write one JSON record per (claim, region) here. Default: VG_EVIDENCE_DIR, or no records. */
  readonly evidenceDir?: string;
}

/** The claims left after the filters `vg verify` sets (--claim, --section, --verdict). */
export function selectedClaims(registered: readonly Claim<Domain>[]): readonly Claim<Domain>[] {
  const only = (name: string, sep = ','): string[] | null => (process.env[name] ? process.env[name]!.split(sep) : null);
  const ids = only('VG_CLAIMS'), sections = only('VG_SECTIONS', '|'), verdicts = only('VG_VERDICTS');
  return registered.filter((c) => (!ids || ids.includes(c.id)) && (!sections || sections.includes(c.section)) && (!verdicts || verdicts.includes(expectedVerdict(c))));
}

/** One test per (claim, region) of the given claims, after the `vg verify` filters (and --runs). */
export function verifyClaims(registered: readonly Claim<Domain>[], options: VerifyClaimsOptions = {}): void {
  const runs = process.env.VG_RUNS ? Number(process.env.VG_RUNS) : null;
  // `vg verify --config FILE`: the file's fields pinned in every model region (other claims left out).
  const claims = process.env.VG_CONFIG ? pinClaims(selectedClaims(registered), readPinnedFields(process.env.VG_CONFIG)) : selectedClaims(registered);
  for (const claim of claims) {
    for (const registeredRegion of claim.regions) {
      // --runs resizes sampled regions; a training region always runs every listed seed.
      const region = runs === null || registeredRegion.domain.kind === 'training' ? registeredRegion : { ...registeredRegion, runs };
      it(`${claim.id} [${region.id}] should be ${region.expected}`, async () => {
        const backend = await resolveBackend();
        const before = tf.memory().numTensors;
        const result = await runRegion(claim, region);
        expect(tf.memory().numTensors, `${claim.id} [${region.id}]: tensors leaked`).toBe(before);
        const record = regionRecord(claim, result, backend.name);
        const evidenceDir = options.evidenceDir ?? requestedEvidenceDir();
        if (evidenceDir !== null) await writeRecord(record, evidenceDir);
        if (allureActive()) await reportRegion(claim, result, record);
        const detail = record.counterexample ? `; smallest counterexample ${record.counterexample.subject}: ${JSON.stringify(record.counterexample.numbers)}` : '';
        expect(result.verdict, `${claim.id} [${region.id}] expected ${region.expected}, measured ${result.verdict} (${result.counts.holds}/${result.runs} hold, seed ${result.seed})${detail}${record.broken ? `; broken: ${record.broken}` : ''}`).toBe(region.expected);
      });
    }
  }
}
