import { DEFAULT_ENGINE_OPTIONS, OPTIONS_VARIABLE, serialiseEngineOptions } from '../../src/engine/options.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bin } from '../../src/cli/paths.js';
import { trainingClaimsFor } from '../../src/claims/registry.js';
import { trainingPlan } from '../../src/claims/training/plan.js';
import { regionName } from '../../src/engine/select.js';
import { readRecords } from '../../src/report/evidence-store.js';
import type { RegionRecord } from '../../src/report/region-record.js';

/**
 * The sections the reliability and shard tests re-run (the claim specs filtered as
 * `vg verify --section` does): cheap enough to run several times inside `npm test`, and
 * holding theorems, empirical claims, split regions and refutations.
 */
export const RERUN_SECTIONS = ['Gradient Flow Through Time', 'Bounding the Gradient Norm', 'Eigenvalue Perspective'];

/**
 * Whether a region's measurement involved the tfjs backend: it ran a tfjs arithmetic kernel or read
 * a measurement made with one (its record's backendUse; a record without it counts as involved).
 * Any other region was computed in plain TypeScript (the float64 oracle) or the fused WebAssembly
 * kernel, the same computation under every backend, so a re-run on another backend repeats it.
 */
export const involvesBackend = (r: RegionRecord): boolean => (r.backendUse?.kernels ?? 1) > 0 || (r.backendUse?.derivedReads ?? 1) > 0;

/** The regions of `records` whose measurement involved the tfjs backend, as `CLAIM-ID [region-id]`, sorted. */
export const backendRegions = (records: readonly RegionRecord[]): string[] =>
  records
    .filter(involvesBackend)
    .map((r) => regionName(r.claimId, r.regionId))
    .sort();

export interface SuiteRun {
  readonly results: string;
  readonly evidence: string;
  readonly records: RegionRecord[];
  /** vitest's exit status (0 unless `mayFail` let a failing run through). */
  readonly status: number | null;
}

/** What to re-run, and how. */
export interface SuiteOptions {
  /** Environment of the child vitest (VG_FC_SEED, VG_BACKEND). */
  readonly env?: NodeJS.ProcessEnv;
  /** vitest's --shard, "i/N". */
  readonly shard?: string;
  /** The sections to run (default RERUN_SECTIONS); only their spec files are started. */
  readonly sections?: readonly string[];
  /** Only these regions, `CLAIM-ID [region-id]` (the engine options' `regions`); default all. */
  readonly regions?: readonly string[];
  /** Leave out the training spec. */
  readonly gradientOnly?: boolean;
  /** Return a run whose vitest failed (its results say which tests did) instead of throwing. */
  readonly mayFail?: boolean;
}

const CLAIM_SPECS = 'specs/claims';

/** The sections that hold a training claim (their regions run in the training spec). */
const TRAINING_SECTIONS = new Set<string>(trainingClaimsFor(trainingPlan('reduced')).map((c) => c.section));

/**
 * The claim spec files that verify one of `sections` (each file calls verifySection with its
 * section's name): a file of another section would start a process, load tfjs and select nothing.
 */
function specFilesOf(sections: readonly string[]): string[] {
  return readdirSync(join(ROOT, CLAIM_SPECS))
    .filter((f) => f.endsWith('.test.ts'))
    .filter((f) => {
      const text = readFileSync(join(ROOT, CLAIM_SPECS, f), 'utf8');
      return sections.some((s) => text.includes(`verifySection('${s}')`));
    })
    .map((f) => `${CLAIM_SPECS}/${f}`);
}

/**
 * Runs the claim specs for `sections` (default RERUN_SECTIONS) in a child vitest, into a fresh
 * directory under `parent`: only those sections' spec files, and the training spec only when a
 * section holds a training claim and not `gradientOnly`.
 */
export async function runSuite(parent: string, o: SuiteOptions = {}): Promise<SuiteRun> {
  const { env = {}, shard, sections = RERUN_SECTIONS, regions = [], gradientOnly = false, mayFail = false } = o;
  const dir = mkdtempSync(join(parent, 'run-'));
  const results = join(dir, 'results'),
    evidence = join(dir, 'evidence');
  const training = !gradientOnly && sections.some((s) => TRAINING_SECTIONS.has(s));
  const files = [...specFilesOf(sections), ...(training ? [`${CLAIM_SPECS}/11-training.test.ts`] : [])];
  const args = ['run', '--project', 'claims', ...files, ...(shard ? ['--shard', shard] : [])];
  const run = spawnSync(bin('vitest'), args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      [OPTIONS_VARIABLE]: serialiseEngineOptions({ ...DEFAULT_ENGINE_OPTIONS, sections, regions, evidenceDir: evidence }),
      VG_ALLURE_RESULTS: results,
      ...env,
    },
  });
  if (run.status !== 0 && !(mayFail && run.status === 1))
    throw new Error(`claim suite (${JSON.stringify(env)}${shard ? `, shard ${shard}` : ''}) exited ${run.status}:\n${(run.stdout + run.stderr).slice(-3000)}`);
  return { results, evidence, records: await readRecords(evidence), status: run.status };
}
