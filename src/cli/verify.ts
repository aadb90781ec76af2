import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeAtomic } from '../report/atomic.js';
import { join } from 'node:path';
import { PENDING, claimsForPlan } from '../claims/registry.js';
import { expectedVerdict } from '../claims/types.js';
import { pinClaims } from '../claims/pin.js';
import { readPinnedFields } from './profile.js';
import { TRAINING_OVERVIEW_FILE } from '../claims/training/overview.js';
import { trainingPlan } from '../claims/training/plan.js';
import { readRecords } from '../report/evidence-store.js';
import { buildSummary, type Summary, summaryMarkdown, withReadmeVerdicts } from '../report/summary.js';
import type { VerifyOptions } from './options.js';
import { ALLURE_RESULTS, EVIDENCE, REPORTS, ROOT, bin } from './paths.js';
import { generateReport } from './report.js';

export const DEFAULT_SEED = 424242;


/** The environment the claim specs read their filters from. */
export function verifyEnv(o: VerifyOptions, evidenceDir = EVIDENCE, resultsDir = ALLURE_RESULTS): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, VG_QUIET: '1', VG_EVIDENCE_DIR: evidenceDir, VG_ALLURE_RESULTS: resultsDir };
  if (o.claims.length) env.VG_CLAIMS = o.claims.join(',');
  if (o.sections.length) env.VG_SECTIONS = o.sections.join('|');
  if (o.verdicts.length) env.VG_VERDICTS = o.verdicts.join(',');
  if (o.backend) env.VG_BACKEND = o.backend;
  if (o.seed !== undefined) env.VG_FC_SEED = String(o.seed);
  if (o.runs !== undefined) env.VG_RUNS = String(o.runs);
  env.VG_TRAINING = o.training;
  if (o.config) env.VG_CONFIG = o.config;
  return env;
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

/** Runs vitest with inherited output and, every 15 s, a progress line on stderr; resolves to the exit status. */
function runWithProgress(args: readonly string[], env: NodeJS.ProcessEnv, total: number | null): Promise<number> {
  const start = Date.now();
  // Only the registry's regions (VG-…) count; a user's claims in examples/ are not in the total.
  const count = (): number => (existsSync(EVIDENCE) ? readdirSync(EVIDENCE).filter((f) => f.startsWith('VG-') && f.endsWith('.json')).length : 0);
  return new Promise((resolve) => {
    const child = spawn(bin('vitest'), [...args], { cwd: ROOT, env, stdio: 'inherit' });
    const timer = setInterval(() => process.stderr.write(`${progressLine(count(), total, Date.now() - start)}\n`), 15_000);
    child.on('error', (e) => {
      clearInterval(timer);
      process.stderr.write(`vg: could not start vitest: ${e.message}\n`);
      resolve(1);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      resolve(code ?? 1);
    });
  });
}

/**
 * `vg verify`: runs the claim specs (vitest project "claims") with the chosen filters, then
 * writes reports/claims.json and reports/CLAIMS.md (full runs only: a filtered or sharded run
 * never overwrites the published summary) and the HTML report. Returns the exit code:
 * 0 when every verdict matches its expectation, 1 otherwise.
 */
export function runVerify(o: VerifyOptions): Promise<number> {
  return (async () => {
    rmSync(ALLURE_RESULTS, { recursive: true, force: true });
    rmSync(EVIDENCE, { recursive: true, force: true });
    const args = ['run', '--project', 'claims'];
    if (o.shard) args.push('--shard', o.shard);
    const registered = claimsForPlan(trainingPlan(o.training));
    const claims = o.config ? pinClaims(registered, readPinnedFields(o.config)) : registered;
    const total = claims
      .filter((c) => (!o.claims.length || o.claims.includes(c.id)) && (!o.sections.length || o.sections.includes(c.section)) && (!o.verdicts.length || o.verdicts.includes(expectedVerdict(c))))
      .reduce((n, c) => n + c.regions.length, 0);
    const status = await runWithProgress(args, verifyEnv(o), o.shard ? null : total);
    const records = await readRecords(EVIDENCE);
    const summary = buildSummary(claims, PENDING, records, o.seed ?? DEFAULT_SEED);
    const full = !o.claims.length && !o.sections.length && !o.verdicts.length && !o.shard && o.runs === undefined && o.training === 'full' && !o.config;
    mkdirSync(REPORTS, { recursive: true });
    const base = full ? REPORTS : join(REPORTS, 'partial');
    mkdirSync(base, { recursive: true });
    writeAtomic(join(base, 'claims.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeAtomic(join(base, 'CLAIMS.md'), summaryMarkdown(summary));
    if (full) {
      const overview = join(EVIDENCE, TRAINING_OVERVIEW_FILE);
      if (existsSync(overview)) writeAtomic(join(REPORTS, 'TRAINING.md'), readFileSync(overview, 'utf8'));
      const readme = join(ROOT, 'README.md');
      writeAtomic(readme, withReadmeVerdicts(readFileSync(readme, 'utf8'), summary));
    }
    process.stdout.write(`\n${verdictTable(summary)}\n\n`);
    process.stdout.write(`summary: ${join(base, 'CLAIMS.md')}\n`);
    if (o.report && records.length > 0) process.stdout.write(`report: ${generateReport()}\n`);
    const ok = status === 0 && summary.mismatches.length === 0 && records.length > 0;
    return ok ? 0 : 1;
  })();
}
