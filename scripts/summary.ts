/**
 * Rewrites the published summary from a claims.json without re-running the claims (a full verify
 * takes about 13 minutes): CLAIMS.md and verdicts.svg next to the JSON, and the README's verdict
 * block when the JSON is this checkout's reports/claims.json.
 *
 *   npx tsx scripts/summary.ts [reports/claims.json]
 *
 * With --from-records, claims.json itself is first rebuilt from a run's region records (its
 * evidence directory, and a sweep's per-seed directories), as `vg verify` builds it at its end:
 * the run --run names (a directory under <out>/runs/), else the latest run latest.json names.
 *
 *   npx tsx scripts/summary.ts --from-records [--out reports] [--run reports/runs/ID] [--seeds 424242,1,2] [--training full]
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { claimsForPlan } from '../src/claims/registry.js';
import { trainingPlan } from '../src/claims/training/plan.js';
import { PACKAGE_ROOT as ROOT, outputDirs } from '../src/cli/paths.js';
import { DEFAULT_SEED, recordsOfRun, runContextOf, summaryOfRun } from '../src/cli/verify.js';
import { readIndex, readRun, runDirs, runDirsAt } from '../src/cli/runs.js';
import type { VerifyOptions } from '../src/cli/options.js';
import { readPinnedFields } from '../src/config/file.js';
import { writeAtomic } from '../src/report/atomic.js';
import { type Summary, withReadmeVerdicts } from '../src/report/summary.js';
import { type WrittenFile, writeSummary, writeSummaryViews } from '../src/cli/summary-files.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.find((a, i) => !a.startsWith('--') && !(i > 0 && ['--out', '--run', '--seeds', '--training'].includes(args[i - 1])));
let file: string;
let summary: Summary;
let written: readonly WrittenFile[];
if (args.includes('--from-records')) {
  const dirs = outputDirs(flag('out') ?? 'reports');
  const latest = readIndex(dirs.root)?.latest;
  const named = flag('run');
  if (!named && !latest) throw new Error(`scripts/summary.ts: ${dirs.index} names no run; pass --run <dir>`);
  const run = named ? runDirsAt(named) : runDirs(dirs.root, latest!);
  const seeds = (flag('seeds') ?? '').split(',').filter(Boolean).map(Number);
  const claims = claimsForPlan(trainingPlan(flag('training') ?? 'full'));
  const { records, swept } = await recordsOfRun(claims, run, seeds);
  // The run's own options (run.json) say what it was: its kind, selection, seeds and pins.
  const meta = readRun(run.dir);
  const o = meta
    ? ({
        ...meta.options,
        seed: meta.options.seed ?? undefined,
        runs: meta.options.runs ?? undefined,
        shard: meta.options.shard ?? undefined,
        backend: meta.options.backend ?? undefined,
        config: meta.options.config ?? undefined,
      } as unknown as VerifyOptions)
    : null;
  const seed = seeds[0] ?? o?.seed ?? DEFAULT_SEED;
  const context = o ? runContextOf(o, meta!.kind === 'full', seed, o.config ? Object.keys(readPinnedFields(o.config)) : null) : undefined;
  summary = summaryOfRun(claims, records, swept, seed, seeds, context);
  file = resolve(dirs.root, 'claims.json');
  // claims.json and its views, as `vg verify` writes them (cli/summary-files.ts).
  written = await writeSummary(summary, dirs.root);
  process.stdout.write(`${file}: ${records.length} records; mismatches ${summary.mismatches.length}; unstable ${swept.filter((r) => !r.stable).length}\n`);
} else {
  file = resolve(positional ?? join(flag('out') ?? join(ROOT, 'reports'), 'claims.json'));
  summary = JSON.parse(readFileSync(file, 'utf8')) as Summary;
  // The views `vg verify` writes beside claims.json (cli/summary-files.ts), from this JSON.
  written = await writeSummaryViews(summary, dirname(file));
}
for (const f of written) process.stdout.write(`${join(dirname(file), f.file)}: ${f.bytes} bytes${f.section ? ` (${f.section})` : ''}\n`);
if (file === join(ROOT, 'reports', 'claims.json')) {
  const readme = join(ROOT, 'README.md');
  writeAtomic(readme, withReadmeVerdicts(readFileSync(readme, 'utf8'), summary));
  process.stdout.write(`${readme}: verdict block rewritten\n`);
}
