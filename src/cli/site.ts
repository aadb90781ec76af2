import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { allureLinks } from '../report/allure-links.js';
import { describeRun } from '../report/run-label.js';
import type { Summary } from '../report/summary.js';
import { type RunContext, runLine } from '../report/run-context.js';
import { mergeSummaries } from '../site/merge.js';
import { panelScript } from '../site/panel-bundle.js';
import { writeSite } from '../site/write.js';
import { FROM_SOURCES, INSTALLED, PACKAGE_ROOT } from './paths.js';
import { RUN_FILE, readRun } from './runs.js';

/**
 * Where a claim's source and spec files are linked from a page in `siteDir`: on GitHub Actions,
 * the commit's files on the repository's site; in this repository, the files themselves; in a
 * user's project, the compiled files inside the installed package (the sources are not shipped).
 */
export function sourceHrefs(siteDir: string, env: NodeJS.ProcessEnv = process.env): (path: string) => string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  if (server && repo && sha) return (path) => `${server}/${repo}/blob/${sha}/${path}`;
  const rel = (file: string): string | null => (existsSync(file) ? relative(siteDir, file).split(sep).join('/') : null);
  if (FROM_SOURCES || !INSTALLED) return (path) => rel(join(PACKAGE_ROOT, path));
  return (path) => rel(join(PACKAGE_ROOT, 'dist', path.replace(/\.ts$/, '.js')));
}

/** The claims.json of a results directory: the one in its run directory (or beside it). */
const summaryBeside = (results: string): string => join(dirname(resolve(results)), 'claims.json');

/**
 * What ran, in words, for the page's first line, and whether it was partial: from each summary's
 * run context (its record of the run), else from the run.json beside its results. Shards 1/N … N/N
 * of an otherwise full run (CI's) read as one full run.
 */
export function runLabelOf(summaries: readonly Summary[], resultsDirs: readonly string[]): { readonly label: string; readonly partial: boolean } {
  const lines = summaries.map((s, i) => {
    if (s.run) return { line: runLine(s.run, s.backends), context: s.run as RunContext | null };
    const meta = resultsDirs[i] === undefined ? null : readRun(dirname(resolve(resultsDirs[i] as string)));
    return {
      line: meta
        ? describeRun(meta.kind, meta.options)
        : `a run its claims.json does not describe (written before run contexts; no ${RUN_FILE} beside its results)`,
      context: null,
    };
  });
  const contexts = lines.map((l) => l.context);
  if (lines.length === 1) return { label: lines[0]?.line ?? '', partial: contexts[0]?.kind !== 'full' };
  if (isFullInShards(contexts)) return { label: `Full run in ${lines.length} shards: ${lines.map((l) => l.line).join(' | ')}`, partial: false };
  return { label: `Merged results of ${lines.length} runs: ${lines.map((l) => l.line).join(' | ')}`, partial: !contexts.every((c) => c?.kind === 'full') };
}

/** Whether runs are the shards 1/N … N/N of one otherwise full run (CI's verify jobs): together, a full run. */
export function isFullInShards(
  runs: ReadonlyArray<Pick<RunContext, 'shard' | 'claims' | 'sections' | 'verdicts' | 'runs' | 'config' | 'record' | 'training'> | null>,
): boolean {
  const shards = runs.map((r) => (r ? /^(\d+)\/(\d+)$/.exec(r.shard ?? '') : null));
  if (shards.length === 0 || shards.some((m) => m === null)) return false;
  const n = Number(shards[0]?.[2]);
  const indices = new Set(shards.map((m) => Number(m?.[1])));
  const otherwiseFull = runs.every(
    (r) =>
      r !== null && !r.claims.length && !r.sections.length && !r.verdicts.length && r.runs === null && r.config === null && !r.record && r.training === 'full',
  );
  return otherwiseFull && shards.every((m) => Number(m?.[2]) === n) && indices.size === n && [...indices].every((i) => i >= 1 && i <= n);
}

/** Where a report's site goes and what it reads; see {@link sitePlan}. */
export interface SitePlan {
  readonly resultsDirs: readonly string[];
  readonly allureReport: string;
  readonly summaries: readonly string[];
  readonly siteDir: string;
}

/**
 * The site of a report built from `resultsDirs` into `allureReport`: the page goes into the
 * directory above the Allure report (the run directory for one run) and shows the runs'
 * claims.json (`summaries`, default: each results directory's run's; several are merged, as CI's
 * shards are). Checked before anything is written: a named claims.json that is missing is refused
 * (ConfigError, exit 2). Null when none is named and a results directory has none beside it (a
 * plain results directory): the report is built without a site.
 */
export function sitePlan(resultsDirs: readonly string[], allureReport: string, summaries?: readonly string[]): SitePlan | null {
  const named = summaries !== undefined && summaries.length > 0;
  const files = named ? summaries.map((f) => resolve(f)) : resultsDirs.map(summaryBeside);
  const missing = files.find((f) => !existsSync(f));
  if (missing !== undefined && named) throw new ConfigError('--summary', missing, 'an existing claims.json (vg verify writes one into each run directory)');
  if (missing !== undefined) return null;
  return { resultsDirs, allureReport: resolve(allureReport), summaries: files, siteDir: dirname(resolve(allureReport)) };
}

/** Writes the site a {@link sitePlan} describes; returns its index.html. */
export async function writeReportSite(plan: SitePlan): Promise<string> {
  const { resultsDirs, allureReport, summaries, siteDir } = plan;
  const read = summaries.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Summary);
  let summaryFile = summaries[0] as string;
  let scratch: string | null = null;
  if (summaries.length > 1) {
    scratch = mkdtempSync(join(tmpdir(), 'vg-site-'));
    summaryFile = join(scratch, 'claims.json');
    writeFileSync(summaryFile, JSON.stringify(mergeSummaries(read)));
  }
  try {
    const run = runLabelOf(read, resultsDirs);
    const links = new Map<string, string>();
    for (const dir of resultsDirs) for (const [k, v] of allureLinks(dir)) if (!links.has(k)) links.set(k, v);
    return writeSite({
      summaryFile,
      resultsDirs,
      siteDir,
      allureReport,
      allureLinks: links,
      runLabel: run.label,
      partial: run.partial,
      sourceHref: sourceHrefs(siteDir),
      panelScript: await panelScript(),
    });
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
