import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { outputDirs } from './paths.js';
import { INDEX_FILE, RUN_FILE, type RunDirs, historyOf, readIndex, readRun, runDirs, runDirsAt } from './runs.js';
import { OVERVIEW_FILE, type ReportOptions } from './report.js';

/** What `vg report` builds: from which results, into which directory, with which history, overview and evidence. */
export interface ReportPlan extends ReportOptions {
  readonly results: readonly string[];
  readonly out: string;
}

/** The flags of `vg report`, validated by cli.ts. */
export interface ReportFlags {
  readonly out?: string;
  readonly history?: string;
  readonly overview?: string;
  readonly evidence?: readonly string[];
}

/** The latest finished run of an output root, or a ConfigError naming the root. */
function latestRun(root: string): RunDirs {
  const index = readIndex(root);
  if (index === null || index.latest === null)
    throw new ConfigError(
      'results',
      root,
      `an output root with a finished vg verify run (${join(root, INDEX_FILE)} names none: run \`vg verify\` first), or results directories`,
    );
  const run = runDirs(root, index.latest);
  if (!existsSync(run.dir))
    throw new ConfigError(
      'results',
      run.dir,
      `the run ${join(root, INDEX_FILE)} names as latest, which is gone: run \`vg verify\` again, or name a run directory`,
    );
  return run;
}

/** A positional of `vg report`: an output root (it has latest.json) is its latest run; a run directory (run.json) is that run; anything else, a results directory. */
function inputOf(path: string): { run: RunDirs } | { results: string } {
  if (existsSync(join(path, INDEX_FILE))) return { run: latestRun(resolve(path)) };
  if (existsSync(join(path, RUN_FILE))) return { run: runDirsAt(path) };
  return { results: resolve(path) };
}

/**
 * Resolves `vg report`'s inputs and defaults. With no RESULTS_DIR, the latest finished run of
 * ./reports (latest.json), into that run's own allure-report/; a checkout or project still in the
 * 0.1 layout (reports/allure-results, no latest.json) is read as before. One run (an output root
 * or a run directory) reports into its own directory with its own evidence and verdict matrix;
 * several inputs, or plain results directories (CI shards), merge into --out (default
 * ./reports/allure-report). The history is the output root's one file: the run's root, or ./reports.
 */
export function reportPlan(positionals: readonly string[], flags: ReportFlags): ReportPlan {
  const cwdRoot = outputDirs();
  let inputs: Array<{ run: RunDirs } | { results: string }>;
  if (positionals.length > 0) inputs = positionals.map(inputOf);
  else if (readIndex(cwdRoot.root) !== null) inputs = [{ run: latestRun(cwdRoot.root) }];
  else if (existsSync(join(cwdRoot.root, 'allure-results'))) inputs = [{ results: join(cwdRoot.root, 'allure-results') }];
  else
    throw new ConfigError(
      'results',
      cwdRoot.root,
      `an output root with a finished vg verify run (no ${INDEX_FILE} there: run \`vg verify\` first), or results directories`,
    );
  for (const i of inputs) {
    if (!('run' in i)) continue;
    const meta = readRun(i.run.dir);
    if (meta === null) throw new ConfigError('results', i.run.dir, `a vg verify run directory with a readable ${RUN_FILE}`);
    if (meta.finished === null)
      throw new ConfigError(
        'results',
        i.run.dir,
        `a finished vg verify run; run ${meta.id} started ${meta.started} and never finished (interrupted, or still running): its results are incomplete`,
      );
  }
  const runs = inputs.flatMap((i) => ('run' in i ? [i.run] : []));
  const results = inputs.map((i) => ('run' in i ? i.run.allureResults : i.results));
  const single = inputs.length === 1 && runs.length === 1 ? runs[0] : null;
  const root = single ? outputDirs(resolve(single.dir, '..', '..')) : cwdRoot;
  const evidence =
    flags.evidence ?? (runs.length === inputs.length ? runs.flatMap((r) => (readRun(r.dir)?.evidence ?? ['evidence']).map((d) => join(r.dir, d))) : undefined);
  const overview = flags.overview ?? (single ? join(single.dir, OVERVIEW_FILE) : undefined);
  return {
    results,
    out: flags.out ?? (single ? single.allureReport : join(cwdRoot.root, 'allure-report')),
    history: true,
    historyFile: flags.history ?? historyOf(root),
    ...(overview !== undefined && existsSync(overview) ? { overview } : {}),
    ...(evidence !== undefined ? { evidence } : {}),
  };
}
