import { DEFAULT_ENGINE_OPTIONS, OPTIONS_VARIABLE, serialiseEngineOptions } from '../../src/engine/options.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bin } from '../../src/cli/paths.js';
import { readRecords } from '../../src/report/evidence-store.js';
import type { RegionRecord } from '../../src/report/region-record.js';

/**
 * The sections the reliability and shard tests re-run (the claim specs filtered as
 * `vg verify --section` does): cheap enough to run several times inside `npm test`, and
 * holding theorems, empirical claims, split regions and refutations.
 */
export const RERUN_SECTIONS = ['Gradient Flow Through Time', 'Bounding the Gradient Norm', 'Eigenvalue Perspective'];

export interface SuiteRun {
  readonly results: string;
  readonly evidence: string;
  readonly records: RegionRecord[];
}

/**
 * Runs the claim specs (specs/claims only) for `sections` (default RERUN_SECTIONS) in a child
 * vitest, into a fresh directory under `parent`. `gradientOnly` leaves out the training spec.
 */
export async function runSuite(parent: string, env: NodeJS.ProcessEnv = {}, shard?: string, sections: readonly string[] = RERUN_SECTIONS, gradientOnly = false): Promise<SuiteRun> {
  const dir = mkdtempSync(join(parent, 'run-'));
  const results = join(dir, 'results'), evidence = join(dir, 'evidence');
  const args = ['run', '--project', 'claims', 'specs/claims/', ...(gradientOnly ? ['--exclude', 'specs/claims/11-training.test.ts'] : []), ...(shard ? ['--shard', shard] : [])];
  const run = spawnSync(bin('vitest'), args, {
    cwd: ROOT, encoding: 'utf8',
    env: { ...process.env, [OPTIONS_VARIABLE]: serialiseEngineOptions({ ...DEFAULT_ENGINE_OPTIONS, sections, evidenceDir: evidence }), VG_ALLURE_RESULTS: results, ...env },
  });
  if (run.status !== 0) throw new Error(`claim suite (${JSON.stringify(env)}${shard ? `, shard ${shard}` : ''}) exited ${run.status}:\n${(run.stdout + run.stderr).slice(-3000)}`);
  return { results, evidence, records: await readRecords(evidence) };
}
