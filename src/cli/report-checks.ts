import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { readRun } from './runs.js';

/**
 * What `vg report` refuses before it builds anything: inputs that are missing, corrupt, empty of
 * claims or from an unfinished run, and an output whose report would be replaced by a worse one.
 */

/** What a report directory records about the report in it, so a later report never replaces it with a worse one. */
export const REPORT_RECORD = 'vg-report.json';

/** vg-report.json: the inputs a report was built from. */
export interface ReportRecord {
  /** Claim results (regions) shown. */
  readonly claimResults: number;
  /** When the newest claim result finished (its `stop`, ms since the epoch). */
  readonly newest: number;
  /** The results directories, absolute. */
  readonly inputs: readonly string[];
  /** ISO time the report was built. */
  readonly built: string;
}

/** The fields of an Allure result file this package reads. */
export interface ResultFile {
  readonly uuid?: string;
  readonly stop?: number;
  readonly labels?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly attachments?: ReadonlyArray<{ readonly source: string }>;
  readonly steps?: readonly ResultFile[];
}

/**
 * Every results directory must exist, hold well-formed result files and, when it is a `vg verify`
 * run's, come from a run that finished; together they must hold at least one claim result (a
 * region: it carries a `verdict` label). One shard of a merge may hold none (its files had no
 * selected claim). Returns how many claim results there are and when the newest finished.
 */
export function checkInputs(resultsDirs: readonly string[]): Pick<ReportRecord, 'claimResults' | 'newest'> {
  if (resultsDirs.length === 0) throw new ConfigError('results', '(none)', 'at least one Allure results directory');
  let claimResults = 0,
    newest = 0;
  for (const dir of resultsDirs) {
    if (!existsSync(dir)) throw new ConfigError('results', dir, 'an existing Allure results directory (run `vg verify` first)');
    const files = readdirSync(dir).filter((f) => f.endsWith('-result.json'));
    if (files.length === 0) throw new ConfigError('results', dir, 'a directory holding at least one *-result.json');
    const results = files.map((f) => checkResultFile(join(dir, f)));
    const claims = results.filter((r) => (r.labels ?? []).some((l) => l.name === 'verdict'));
    const run = readRun(dirname(resolve(dir)));
    if (run !== null && run.finished === null)
      throw new ConfigError(
        'results',
        dir,
        `the results of a finished vg verify run; run ${run.id} started ${run.started} and never finished ` +
          `(interrupted, or still running): its results are incomplete`,
      );
    claimResults += claims.length;
    newest = Math.max(newest, ...claims.map((r) => (typeof r.stop === 'number' ? r.stop : 0)));
  }
  if (claimResults === 0) {
    throw new ConfigError(
      'results',
      resultsDirs.join(', '),
      `results holding at least one claim result (a region, with a verdict label); ` +
        `${resultsDirs.length === 1 ? 'its' : 'their'} results are engine, CLI or harness tests, which the report leaves out`,
    );
  }
  return { claimResults, newest };
}

/** Refuses to replace a report built from more claim results, or from newer ones, than these inputs hold. */
export function checkNotWorse(target: string, inputs: Pick<ReportRecord, 'claimResults' | 'newest'>): void {
  let previous: ReportRecord;
  try {
    previous = JSON.parse(readFileSync(join(target, REPORT_RECORD), 'utf8')) as ReportRecord;
  } catch {
    return; // no report there, or one built before reports recorded their inputs
  }
  const fewer = inputs.claimResults < previous.claimResults,
    older = inputs.newest < previous.newest;
  if (!fewer && !older) return;
  const why = fewer
    ? `it holds a report of ${previous.claimResults} claim results, and these inputs hold ${inputs.claimResults}`
    : `it holds a report of results up to ${new Date(previous.newest).toISOString()}, newer than these inputs' ${new Date(inputs.newest).toISOString()}`;
  throw new ConfigError(
    '--out',
    target,
    `a new directory, or one whose report is not better than this one would be (${why}); the report there was left as it was`,
  );
}

/** An Allure result file must be a JSON object with a name and a status; anything else is refused by name. */
function checkResultFile(file: string): ResultFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError('results', file, `a well-formed Allure result file (JSON: ${(e as Error).message})`);
  }
  const r = value as { name?: unknown; status?: unknown } | null;
  if (!r || typeof r !== 'object' || Array.isArray(r) || typeof r.name !== 'string' || typeof r.status !== 'string') {
    throw new ConfigError('results', file, 'an Allure result: a JSON object with string "name" and "status"');
  }
  return r as ResultFile;
}
