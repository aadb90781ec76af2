import * as tf from '@tensorflow/tfjs';
import * as allure from 'allure-js-commons';
import { describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { claimsOf } from '../../src/claims/registry.js';
import { expectedVerdict, type Section } from '../../src/claims/types.js';
import { reportRegion } from '../../src/report/allure.js';
import { writeRecord } from '../../src/report/evidence-store.js';
import { regionRecord } from '../../src/report/region-record.js';
import { runRegion } from '../../properties/runRegion.js';

/**
 * One test per (claim, region) of a document section: run the region's property, report the
 * evidence to Allure and to reports/evidence, and pass when the measured verdict is the
 * registered expectation.
 */
export function verifySection(section: Section): void {
  const registered = claimsOf(section);
  // Filters set by `vg verify` (--claim, --section, --verdict, --runs).
  const only = (name: string, sep = ','): string[] | null => (process.env[name] ? process.env[name]!.split(sep) : null);
  const ids = only('VG_CLAIMS'), sections = only('VG_SECTIONS', '|'), verdicts = only('VG_VERDICTS');
  const runs = process.env.VG_RUNS ? Number(process.env.VG_RUNS) : null;
  const claims = registered.filter((c) => (!ids || ids.includes(c.id)) && (!sections || sections.includes(c.section)) && (!verdicts || verdicts.includes(expectedVerdict(c))));
  describe(section, () => {
    it('should register at least one claim for this section', async () => {
      await allure.epic(section);
      expect(registered.length, `no claim registered for section "${section}"`).toBeGreaterThan(0);
    });
    for (const claim of claims) {
      for (const registeredRegion of claim.regions) {
        const region = runs === null ? registeredRegion : { ...registeredRegion, runs };
        it(`${claim.id} [${region.id}] should be ${region.expected}`, async () => {
          const backend = await resolveBackend();
          const before = tf.memory().numTensors;
          const result = await runRegion(claim, region);
          expect(tf.memory().numTensors, `${claim.id} [${region.id}]: tensors leaked`).toBe(before);
          const record = regionRecord(claim, result, backend.name);
          await writeRecord(record);
          await reportRegion(claim, result, record);
          const detail = record.counterexample ? `; smallest counterexample ${record.counterexample.subject}: ${JSON.stringify(record.counterexample.numbers)}` : '';
          expect(result.verdict, `${claim.id} [${region.id}] expected ${region.expected}, measured ${result.verdict} (${result.counts.holds}/${result.runs} hold, seed ${result.seed})${detail}${record.broken ? `; broken: ${record.broken}` : ''}`).toBe(region.expected);
        });
      }
    }
  });
}
