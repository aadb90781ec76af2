import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveBackend } from '../backend/resolve.js';
import { PENDING, claimsForPlan, isTrainingClaim } from '../claims/registry.js';
import { pinClaims } from '../engine/pin.js';
import { TRAINING_OVERVIEW_FILE } from '../claims/training/overview.js';
import { trainingPlan } from '../claims/training/plan.js';
import { writeAtomic } from '../report/atomic.js';
import { readRecords } from '../report/evidence-store.js';
import { README_MARKERS, buildSummary, type Summary, withReadmeVerdicts } from '../report/summary.js';
import { type RunContext, type RunPlace, runContext } from '../report/run-context.js';
import type { VerifyOptions } from './options.js';
import { INSTALLED, type OutputDirs, PACKAGE_ROOT, outputDirs } from './paths.js';
import { requirePeers } from './peers.js';
import { readPinnedFields } from '../config/file.js';
import { OVERVIEW_FILE, generateReport } from './report.js';
import { writeSummary } from './summary-files.js';
import { sitePlan, writeReportSite } from './site.js';
import { type SuitePart, runClaimSuite } from './suite.js';
import { type RunDirs, finishRun, historyOf, startRun } from './runs.js';
import { checkedSelection } from './selection.js';
import type { RegionRecord } from '../report/region-record.js';
import { type SweptRegion, compareSeeds, instabilityReport, poolRecords } from '../report/sweep.js';
import type { Claim, Domain } from '../engine/types.js';
import { DEFAULT_FC_SEED, type EngineOptions, OPTIONS_VARIABLE, serialiseEngineOptions } from '../engine/options.js';

/** The fast-check seed a run uses when --seed gives none (the engine's default, one constant). */
export const DEFAULT_SEED = DEFAULT_FC_SEED;

/** The engine options of a `vg verify` run (one typed object; the spec processes receive it whole). */
export function engineOptionsOf(o: VerifyOptions, run: RunDirs, trainingShard: string | null = null, evidenceDir = run.evidence): EngineOptions {
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
export function verifyEnv(
  o: VerifyOptions,
  run: RunDirs,
  trainingShard: string | null = null,
  sweep?: { readonly seed: number; readonly evidenceDir: string },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, [OPTIONS_VARIABLE]: serialiseEngineOptions(engineOptionsOf(o, run, trainingShard, sweep?.evidenceDir)) };
  if (o.backend) env.VG_BACKEND = o.backend;
  const seed = sweep?.seed ?? o.seed;
  if (seed !== undefined) env.VG_FC_SEED = String(seed);
  return env;
}

/** Where a sweep keeps one seed's gradient records (and, for every seed but the first, its Allure results). */
export function sweepDirs(run: Pick<RunDirs, 'seeds'>, seed: number): { readonly evidence: string; readonly allureResults: string } {
  const root = join(run.seeds, String(seed));
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
  const width = 30,
    filled = Math.min(width, Math.round((done / total) * width));
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
 * A run's region records: its evidence directory's, and for a sweep (`seeds` not empty) each
 * seed's gradient records pooled (report/sweep.ts) with the comparison between seeds. Every seed
 * is compared, one that measured nothing included: its regions are then unstable, and said so.
 */
export async function recordsOfRun(
  claims: readonly Claim<Domain>[],
  run: Pick<RunDirs, 'evidence' | 'seeds'>,
  seeds: readonly number[],
): Promise<{ records: RegionRecord[]; swept: SweptRegion[] }> {
  const trainingOrAll = await readRecords(run.evidence);
  if (seeds.length === 0) return { records: trainingOrAll, swept: [] };
  const bySeed = await Promise.all(seeds.map(async (seed) => ({ seed, records: await readRecords(sweepDirs(run, seed).evidence) })));
  const swept = compareSeeds(bySeed);
  return { records: bySeed.some((s) => s.records.length > 0) ? [...poolRecords(claims, bySeed), ...trainingOrAll] : trainingOrAll, swept };
}

/** The published summary of a run's records (a sweep's seeds and unstable regions included), with the run that wrote it. */
export function summaryOfRun(
  claims: readonly Claim<Domain>[],
  records: readonly RegionRecord[],
  swept: readonly SweptRegion[],
  seed: number,
  seeds: readonly number[],
  run?: RunContext,
): Summary {
  return buildSummary(
    claims,
    PENDING,
    records,
    seed,
    seeds,
    swept.filter((r) => !r.stable).map((r) => `${r.claimId} [${r.regionId}]`),
    run,
  );
}

/**
 * Where this code writes a summary: this repository (its claim files, src/claims/sections, beside
 * the package root, and not installed), or a project that installed the package.
 */
export function runPlace(): RunPlace {
  return !INSTALLED && existsSync(join(PACKAGE_ROOT, 'src', 'claims', 'sections')) ? 'repository' : 'project';
}

/** The run a `vg verify` summary describes (report/run-context.ts): its kind, selection, settings and place. */
export function runContextOf(o: VerifyOptions, full: boolean, seed: number, pinnedFields: readonly string[] | null, place: RunPlace = runPlace()): RunContext {
  // The pins file as the command line would name it from where vg ran (an absolute path would not reproduce elsewhere).
  const config = o.config ? { file: relative(process.cwd(), o.config) || o.config, fields: [...(pinnedFields ?? [])] } : null;
  return runContext(full ? 'full' : 'partial', o, seed, config, place);
}

/** Whether a run is full (publishes reports/claims.json): every claim, the full training plan, nothing narrowed or recorded. */
export function isFullRun(o: VerifyOptions): boolean {
  return !o.claims.length && !o.sections.length && !o.verdicts.length && !o.shard && o.runs === undefined && o.training === 'full' && !o.config && !o.record;
}

/**
 * Runs the claim suite for a run into its directory: once, as shards (the gradient specs by file,
 * the training runs by estimated cost), or as a seed sweep (the gradient specs once per seed, the
 * first seed's Allure results the report's; then the training spec once, its cases being the
 * plan's training seeds). Resolves to the worst exit status.
 */
async function runSuites(o: VerifyOptions, run: RunDirs, peers: Parameters<typeof runClaimSuite>[0], tick: () => void): Promise<number> {
  const suite = (resultsDir: string, part: SuitePart | undefined, env: NodeJS.ProcessEnv, shard?: string): Promise<number> =>
    runClaimSuite(peers, { resultsDir, shard, maxWorkers: o.jobs, part }, env, tick);
  if (o.seeds.length > 0) {
    let status = 0;
    for (const [i, seed] of o.seeds.entries()) {
      const sd = sweepDirs(run, seed);
      status = Math.max(
        status,
        await suite(i === 0 ? run.allureResults : sd.allureResults, 'gradients', verifyEnv(o, run, null, { seed, evidenceDir: sd.evidence })),
      );
    }
    return Math.max(status, await suite(run.allureResults, 'training', verifyEnv(o, run)));
  }
  if (o.shard)
    return Math.max(
      await suite(run.allureResults, 'gradients', verifyEnv(o, run), o.shard),
      await suite(run.allureResults, 'training', verifyEnv(o, run, o.shard)),
    );
  return suite(run.allureResults, undefined, verifyEnv(o, run));
}

/**
 * `vg verify`: runs this package's claim suite with the chosen filters into a run directory of
 * its own (runs.ts), then writes the run's claims.json, CLAIMS.md and verdict matrix there and
 * publishes them: under the output root for a full run, under partial/ otherwise, so a partial
 * run never overwrites a full run's summary; then the run's HTML report, with the output root's
 * one history file. A selection that matches no claim is bad input (exit 2, naming the flags)
 * and costs nothing: no run directory, no suite. Returns the exit code: 0 when every verdict
 * matches its expectation, 1 otherwise. The peers it needs are checked first, so a missing one costs no run.
 */
export async function runVerify(o: VerifyOptions): Promise<number> {
  const dirs = outputDirs(o.out);
  const registered = claimsForPlan(trainingPlan(o.training), { record: o.record });
  const pinned = o.config ? readPinnedFields(o.config) : null;
  const claims = pinned ? pinClaims(registered, pinned) : registered;
  const selected = checkedSelection(registered, o, pinned);
  const peers = requirePeers('vg verify', o.report ? ['vitest', 'allure-vitest', 'allure'] : ['vitest', 'allure-vitest']);
  // A forced backend is loaded here first: one that cannot load is exit 2 before anything runs, and
  // one that can is named with what computes (for node-gpu: libtensorflow on a GPU) before the suite starts.
  if (o.backend) await resolveBackend(o.backend, { announce: true });
  const full = isFullRun(o);
  const run = startRun(dirs, full ? 'full' : 'partial', runOptions(o));
  process.stderr.write(`[vg] run ${run.id}: ${run.dir}\n`);
  const regionsOf = (training: boolean): number => selected.filter((c) => isTrainingClaim(c) === training).reduce((n, c) => n + c.regions.length, 0);
  // A sweep measures every gradient region once per seed.
  const total = regionsOf(false) * Math.max(1, o.seeds.length) + regionsOf(true);
  const start = Date.now();
  // Only the registry's regions (VG-…) count towards the total.
  const recordsIn = (dir: string): number => (existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('VG-') && f.endsWith('.json')).length : 0);
  const measured = (): number => recordsIn(run.evidence) + o.seeds.reduce((n, seed) => n + recordsIn(sweepDirs(run, seed).evidence), 0);
  const status = await runSuites(o, run, peers, () => process.stderr.write(`${progressLine(measured(), o.shard ? null : total, Date.now() - start)}\n`));
  const sweep = o.seeds.length > 0;
  const { records, swept } = await recordsOfRun(claims, run, o.seeds);
  if (records.length === 0) {
    finishRun(dirs, run, { status: 1, regions: 0 });
    process.stderr.write(
      `vg verify: no region was measured (the claim suite exited ${status}); no summary written, and ${dirs.index} still names the run it named before\n`,
    );
    return 1;
  }
  writeExpectations(claims, records, run, dirs);
  const seed = o.seeds[0] ?? o.seed ?? DEFAULT_SEED;
  const summary = summaryOfRun(claims, records, swept, seed, o.seeds, runContextOf(o, full, seed, pinned ? Object.keys(pinned) : null));
  const written = (await writeSummary(summary, run.dir)).map((f) => f.file);
  const base = full ? dirs.root : dirs.partial;
  publishSummary(run, base, full, summary, dirs, written);
  const unstable = instabilityReport(swept);
  const exit = status === 0 && summary.mismatches.length === 0 && unstable === '' ? 0 : 1;
  const evidence = sweep ? [run.evidence, sweepDirs(run, o.seeds[0]).evidence] : [run.evidence];
  finishRun(dirs, run, { status: exit, regions: records.length, evidence });
  process.stdout.write(`\n${verdictTable(summary)}\n\n`);
  if (sweep)
    process.stdout.write(
      unstable
        ? `${unstable}\n\n`
        : `seed sweep ${o.seeds.join(', ')}: every gradient region gave the same verdict with every seed (pooled counts published)\n\n`,
    );
  process.stdout.write(`run: ${run.dir}\nsummary: ${join(base, 'CLAIMS.md')}\n`);
  if (o.report) {
    process.stdout.write(
      `report: ${generateReport([run.allureResults], run.allureReport, { history: true, historyFile: historyOf(dirs), evidence, overview: join(run.dir, OVERVIEW_FILE) })}\n`,
    );
    const site = sitePlan([run.allureResults], run.allureReport);
    if (site) process.stdout.write(`site: ${await writeReportSite(site)}\n`);
  }
  return exit;
}

/** The run's options as run.json records them. */
function runOptions(o: VerifyOptions): Record<string, unknown> {
  const { claims, sections, verdicts, backend, seed, seeds, runs, shard, training, config, record } = o;
  return {
    claims,
    sections,
    verdicts,
    backend: backend ?? null,
    seed: seed ?? null,
    seeds,
    runs: runs ?? null,
    shard: shard ?? null,
    training,
    config: config ?? null,
    record,
  };
}

/** --record: every region with no stated expectation (built only in record mode), as measured, for review; nothing reads it back. */
function writeExpectations(claims: readonly Claim<Domain>[], records: readonly RegionRecord[], run: RunDirs, dirs: OutputDirs): void {
  const unstated = claims.flatMap((c) => c.regions.filter((r) => r.unstated).map((r) => ({ claim: c.id, region: r.id, source: c.source ?? null })));
  if (unstated.length === 0) return;
  const measured = unstated.flatMap((u) =>
    records.filter((r) => r.claimId === u.claim && r.regionId === u.region).map((r) => ({ ...u, measured: r.measured, counts: r.counts, runs: r.runs })),
  );
  const text = `${JSON.stringify(measured, null, 2)}\n`;
  writeAtomic(join(run.dir, 'expectations.json'), text);
  mkdirSync(dirs.partial, { recursive: true });
  writeAtomic(join(dirs.partial, 'expectations.json'), text);
  process.stdout.write(
    `${measured.length} region(s) with no stated expectation, measured: ` +
      `${join(dirs.partial, 'expectations.json')} (review, then state them in each claim's table)\n`,
  );
}

/** The run's summary copied to where it is published (the root for a full run, partial/ otherwise), and for a full run TRAINING.md and this checkout's README. */
function publishSummary(run: RunDirs, base: string, full: boolean, summary: Summary, dirs: OutputDirs, files: readonly string[]): void {
  mkdirSync(base, { recursive: true });
  // A section figure left from an earlier run of other sections would sit beside this run's CLAIMS.md as if it were this run's.
  if (existsSync(base)) for (const f of readdirSync(base)) if (/^verdicts-\d+\.svg$/.test(f) && !files.includes(f)) rmSync(join(base, f));
  for (const f of files) writeAtomic(join(base, f), readFileSync(join(run.dir, f), 'utf8'));
  if (!full) return;
  const overview = join(run.evidence, TRAINING_OVERVIEW_FILE);
  if (existsSync(overview)) writeAtomic(join(dirs.root, 'TRAINING.md'), readFileSync(overview, 'utf8'));
  const readme = ownedReadme(dirs);
  if (readme) writeAtomic(readme, withReadmeVerdicts(readFileSync(readme, 'utf8'), summary));
}
