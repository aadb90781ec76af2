import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveBackend } from '../backend/resolve.js';
import { PENDING, claimsForPlan, isTrainingClaim } from '../claims/registry.js';
import { expectedVerdict } from '../engine/types.js';
import { pinClaims } from '../engine/pin.js';
import { TRAINING_OVERVIEW_FILE } from '../claims/training/overview.js';
import { trainingPlan } from '../claims/training/plan.js';
import { writeAtomic } from '../report/atomic.js';
import { readRecords } from '../report/evidence-store.js';
import { README_MARKERS, buildSummary, type Summary, summaryMarkdown, withReadmeVerdicts } from '../report/summary.js';
import { verdictMatrixSvg } from '../report/verdict-matrix.js';
import type { VerifyOptions } from './options.js';
import { INSTALLED, type OutputDirs, PACKAGE_ROOT, outputDirs } from './paths.js';
import { requirePeers } from './peers.js';
import { readPinnedFields } from '../config/file.js';
import { generateReport } from './report.js';
import { runClaimSuite } from './suite.js';
import type { RegionRecord } from '../report/region-record.js';
import { type SweptRegion, compareSeeds, instabilityReport, poolRecords } from '../report/sweep.js';
import type { Claim, Domain } from '../engine/types.js';
import { type EngineOptions, OPTIONS_VARIABLE, serialiseEngineOptions } from '../engine/options.js';

export const DEFAULT_SEED = 424242;

/** The engine options of a `vg verify` run (one typed object; the spec processes receive it whole). */
export function engineOptionsOf(o: VerifyOptions, dirs: OutputDirs = outputDirs(o.out), trainingShard: string | null = null, evidenceDir = dirs.evidence): EngineOptions {
  return {
    claims: o.claims,
    regions: [],
    sections: o.sections,
    verdicts: o.verdicts,
    runs: o.runs ?? null,
    pinned: o.config ? readPinnedFields(o.config) : null,
    jobs: o.jobs,
    training: o.training,
    trainingShard,
    evidenceDir,
    record: o.record,
  };
}

/**
 * The environment of the claim suite's process: the engine options as one JSON variable, and
 * the two documented user switches (VG_BACKEND, VG_FC_SEED) when their flags are given.
 */
export function verifyEnv(o: VerifyOptions, dirs: OutputDirs = outputDirs(o.out), trainingShard: string | null = null, sweep?: { readonly seed: number; readonly evidenceDir: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, [OPTIONS_VARIABLE]: serialiseEngineOptions(engineOptionsOf(o, dirs, trainingShard, sweep?.evidenceDir)) };
  if (o.backend) env.VG_BACKEND = o.backend;
  const seed = sweep?.seed ?? o.seed;
  if (seed !== undefined) env.VG_FC_SEED = String(seed);
  return env;
}

/** Where a sweep keeps one seed's gradient records (and, for every seed but the first, its Allure results). */
export function sweepDirs(dirs: OutputDirs, seed: number): { readonly evidence: string; readonly allureResults: string } {
  const root = join(dirs.root, 'seeds', String(seed));
  return { evidence: join(root, 'evidence'), allureResults: join(root, 'allure-results') };
}

/** A terminal table of the summary's verdicts. */
export function verdictTable(s: Summary): string {
  const rows = s.claims.flatMap((c) => c.regions.map((r) => [c.id, r.regionId, r.expected, r.measured, r.matches ? '' : '  ← differs']));
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 8));
  const line = (r: string[]): string => r.map((c, i) => (i < 4 ? c.padEnd(w[i]) : c)).join('  ');
  return [line(['claim', 'region', 'expected', 'measured', '']), ...rows.map(line)].join('\n');
}

/** A one-line progress bar: regions measured so far (evidence records written) against the expected total. */
export function progressLine(done: number, total: number | null, elapsedMs: number): string {
  const time = `${Math.floor(elapsedMs / 60_000)}m${String(Math.floor(elapsedMs / 1000) % 60).padStart(2, '0')}s`;
  if (total === null || total === 0) return `[vg] ${done} regions measured, ${time} elapsed`;
  const width = 30, filled = Math.min(width, Math.round((done / total) * width));
  return `[vg] [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} regions, ${time} elapsed`;
}

/**
 * The README `vg verify` may rewrite: this checkout's own, and only when the run writes into the
 * checkout's reports/. Never the README of an installed package, never a user's.
 */
export function ownedReadme(dirs: OutputDirs): string | null {
  if (INSTALLED || dirs.root !== join(PACKAGE_ROOT, 'reports')) return null;
  const readme = join(PACKAGE_ROOT, 'README.md');
  return existsSync(readme) && readFileSync(readme, 'utf8').includes(README_MARKERS.start) ? readme : null;
}

/**
 * A run's region records: the evidence directory's, and for a sweep (`seeds` not empty) each
 * seed's gradient records pooled (report/sweep.ts) with the comparison between seeds. Every seed
 * is compared, one that measured nothing included: its regions are then unstable, and said so.
 */
export async function recordsOfRun(claims: readonly Claim<Domain>[], dirs: OutputDirs, seeds: readonly number[]): Promise<{ records: RegionRecord[]; swept: SweptRegion[] }> {
  const trainingOrAll = await readRecords(dirs.evidence);
  if (seeds.length === 0) return { records: trainingOrAll, swept: [] };
  const bySeed = await Promise.all(seeds.map(async (seed) => ({ seed, records: await readRecords(sweepDirs(dirs, seed).evidence) })));
  const swept = compareSeeds(bySeed);
  return { records: bySeed.some((s) => s.records.length > 0) ? [...poolRecords(claims, bySeed), ...trainingOrAll] : trainingOrAll, swept };
}

/** The published summary of a run's records (a sweep's seeds and unstable regions included). */
export function summaryOfRun(claims: readonly Claim<Domain>[], records: readonly RegionRecord[], swept: readonly SweptRegion[], seed: number, seeds: readonly number[]): Summary {
  return buildSummary(claims, PENDING, records, seed, seeds, swept.filter((r) => !r.stable).map((r) => `${r.claimId} [${r.regionId}]`));
}

/**
 * `vg verify`: runs this package's claim suite with the chosen filters, then writes claims.json
 * and CLAIMS.md under the output directory (`./reports` or `--out`; a filtered, sharded or
 * reduced run writes them under partial/, so it never overwrites a full run's) and the HTML
 * report. Returns the exit code: 0 when every verdict matches its expectation, 1 otherwise.
 * The peers it needs are checked first, so a missing one costs no run.
 */
export async function runVerify(o: VerifyOptions): Promise<number> {
  const dirs = outputDirs(o.out);
  const peers = requirePeers('vg verify', o.report ? ['vitest', 'allure-vitest', 'allure'] : ['vitest', 'allure-vitest']);
  // A forced backend is loaded here first: one that cannot load is exit 2 before anything runs, and
  // one that can is named with what computes (for node-gpu: libtensorflow on a GPU) before the suite starts.
  if (o.backend) await resolveBackend(o.backend, { announce: true });
  rmSync(dirs.allureResults, { recursive: true, force: true });
  rmSync(dirs.evidence, { recursive: true, force: true });
  const registered = claimsForPlan(trainingPlan(o.training), { record: o.record });
  const claims = o.config ? pinClaims(registered, readPinnedFields(o.config)) : registered;
  const selected = claims.filter((c) => (!o.claims.length || o.claims.includes(c.id)) && (!o.sections.length || o.sections.includes(c.section)) && (!o.verdicts.length || o.verdicts.includes(expectedVerdict(c))));
  const regionsOf = (training: boolean): number => selected.filter((c) => isTrainingClaim(c) === training).reduce((n, c) => n + c.regions.length, 0);
  // A sweep measures every gradient region once per seed.
  const total = regionsOf(false) * Math.max(1, o.seeds.length) + regionsOf(true);
  const start = Date.now();
  // Only the registry's regions (VG-…) count towards the total.
  const recordsIn = (dir: string): number => (existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('VG-') && f.endsWith('.json')).length : 0);
  const measured = (): number => recordsIn(dirs.evidence) + o.seeds.reduce((n, seed) => n + recordsIn(sweepDirs(dirs, seed).evidence), 0);
  const tick = (): void => {
    process.stderr.write(`${progressLine(measured(), o.shard ? null : total, Date.now() - start)}\n`);
  };
  // A shard takes its share of the gradient specs by file (vitest --shard) and its share of the
  // training runs by estimated cost (the options' trainingShard; the training spec is one file, so it runs in every shard).
  let sweep = false;
  let status: number;
  if (o.seeds.length > 0) {
    // A seed sweep: the gradient specs once per seed (the first seed's Allure results are the report's),
    // then the training spec once (its cases are the plan's training seeds, not sampled).
    rmSync(join(dirs.root, 'seeds'), { recursive: true, force: true });
    status = 0;
    for (const [i, seed] of o.seeds.entries()) {
      const sd = sweepDirs(dirs, seed);
      status = Math.max(status, await runClaimSuite(peers, { resultsDir: i === 0 ? dirs.allureResults : sd.allureResults, shard: undefined, maxWorkers: o.jobs, part: 'gradients' }, verifyEnv(o, dirs, null, { seed, evidenceDir: sd.evidence }), tick));
    }
    status = Math.max(status, await runClaimSuite(peers, { resultsDir: dirs.allureResults, shard: undefined, maxWorkers: o.jobs, part: 'training' }, verifyEnv(o, dirs), tick));
    sweep = true;
  } else status = o.shard
    ? Math.max(
      await runClaimSuite(peers, { resultsDir: dirs.allureResults, shard: o.shard, maxWorkers: o.jobs, part: 'gradients' }, verifyEnv(o, dirs), tick),
      await runClaimSuite(peers, { resultsDir: dirs.allureResults, shard: undefined, maxWorkers: o.jobs, part: 'training' }, verifyEnv(o, dirs, o.shard), tick),
    )
    : await runClaimSuite(peers, { resultsDir: dirs.allureResults, shard: undefined, maxWorkers: o.jobs }, verifyEnv(o, dirs), tick);
  const { records, swept } = await recordsOfRun(claims, dirs, sweep ? o.seeds : []);
  if (records.length === 0) {
    process.stderr.write(`vg verify: no region was measured (the claim suite exited ${status}); no summary written\n`);
    return 1;
  }
  // --record: every region with no stated expectation (built only in record mode), as measured, for review; nothing reads it back.
  const unstated = claims.flatMap((c) => c.regions.filter((r) => r.unstated).map((r) => ({ claim: c.id, region: r.id, source: c.source ?? null })));
  if (unstated.length > 0) {
    const measured = unstated.flatMap((u) => records.filter((r) => r.claimId === u.claim && r.regionId === u.region).map((r) => ({ ...u, measured: r.measured, counts: r.counts, runs: r.runs })));
    mkdirSync(dirs.partial, { recursive: true });
    writeAtomic(join(dirs.partial, 'expectations.json'), `${JSON.stringify(measured, null, 2)}\n`);
    process.stdout.write(`${measured.length} region(s) with no stated expectation, measured: ${join(dirs.partial, 'expectations.json')} (review, then state them in each claim's table)\n`);
  }
  const summary = summaryOfRun(claims, records, swept, o.seeds[0] ?? o.seed ?? DEFAULT_SEED, o.seeds);
  const full = !o.claims.length && !o.sections.length && !o.verdicts.length && !o.shard && o.runs === undefined && o.training === 'full' && !o.config && !o.record;
  const base = full ? dirs.root : dirs.partial;
  mkdirSync(base, { recursive: true });
  writeAtomic(join(base, 'claims.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeAtomic(join(base, 'CLAIMS.md'), summaryMarkdown(summary));
  writeAtomic(join(base, 'verdicts.svg'), await verdictMatrixSvg(summary));
  if (full) {
    const overview = join(dirs.evidence, TRAINING_OVERVIEW_FILE);
    if (existsSync(overview)) writeAtomic(join(dirs.root, 'TRAINING.md'), readFileSync(overview, 'utf8'));
    const readme = ownedReadme(dirs);
    if (readme) writeAtomic(readme, withReadmeVerdicts(readFileSync(readme, 'utf8'), summary));
  }
  process.stdout.write(`\n${verdictTable(summary)}\n\n`);
  const unstable = instabilityReport(swept);
  if (sweep) process.stdout.write(unstable ? `${unstable}\n\n` : `seed sweep ${o.seeds.join(', ')}: every gradient region gave the same verdict with every seed (pooled counts published)\n\n`);
  process.stdout.write(`summary: ${join(base, 'CLAIMS.md')}\n`);
  if (o.report) process.stdout.write(`report: ${generateReport([dirs.allureResults], dirs.allureReport, { history: true, historyFile: dirs.history, ...(sweep ? { evidence: [dirs.evidence, sweepDirs(dirs, o.seeds[0]).evidence] } : {}) })}\n`);
  return status === 0 && summary.mismatches.length === 0 && unstable === '' ? 0 : 1;
}
