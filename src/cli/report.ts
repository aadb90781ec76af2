import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { evidenceBeside, writeKeyNumbers } from '../report/trends.js';
import { TRAINING_CHART_PREFIX } from '../report/evidence-store.js';
import { REPORT_RECORD, type ReportRecord, checkInputs, checkNotWorse } from './report-checks.js';
import { requirePeers } from './peers.js';
import { reportTitle } from '../report/run-label.js';
import { EXPECTATION_LABEL } from '../report/verdict-status.js';
import { OVERVIEW_EPICS, stageReportedResults, whatRan } from './report-staging.js';

/** The category of regions whose measured verdict differs from the registered expectation. */
export const DIFFERS_CATEGORY = 'Verdict differs from the registered one';
/** Runs kept in the history file: Allure drops the oldest beyond it, so the file and the HTML (which embeds it) stay bounded. */
export const HISTORY_LIMIT = 10;
/** The overview Allure shows under "Global attachments", looked for beside each results directory (`vg verify` writes it there). */
export const OVERVIEW_FILE = 'verdicts.svg';
/** Labels allure-vitest adds that say nothing about a claim (and the section's plain name, which the epic repeats); hidden from every result's page and the filters. */
export const HIDDEN_LABELS = ['framework', 'language', 'host', 'thread', 'package', 'parentSuite', 'suite', 'subSuite', 'section'];

/**
 * The Allure configuration of one report, as the module allure reads (it holds functions, so it is
 * written as JavaScript, not JSON). Only claim results (those with a `verdict` label) and overviews
 * are shown: engine, CLI and harness tests are left out of the published report though they stay in the results.
 * The tree is epic (numbered section) → feature (claim and verdict) → region, sorted by name, so
 * sections and claims follow the document. A region's status is its verdict's (src/report/verdict-status.ts),
 * so the Categories view groups first the regions whose verdict differs from the registered one
 * (a result is in the first category it matches: a regression never hides among the verdicts), then the others by verdict.
 * `title` names what ran (src/report/run-label.ts).
 */
function allureConfig(output: string, title: string, historyFile: string | null, overview: readonly string[]): string {
  const config = {
    name: title,
    output,
    ...(historyFile ? { historyPath: historyFile, historyLimit: HISTORY_LIMIT } : {}),
    hideLabels: HIDDEN_LABELS,
    ...(overview.length > 0 ? { globalAttachments: overview } : {}),
  };
  const awesome = {
    singleFile: true,
    reportName: title,
    reportLanguage: 'en',
    groupBy: ['epic', 'feature'],
    defaultSortBy: 'name,asc',
    stepTreeExpansion: 'expanded',
  };
  return [
    // A claim region carries a verdict; an overview (the training summary charts) is labelled `overview` or sits in OVERVIEW_EPICS.
    `const overviewEpics = ${JSON.stringify(OVERVIEW_EPICS)};`,
    'const isClaim = (tr) => tr.labels.some((l) => l.name === "verdict" || l.name === "overview" || (l.name === "epic" && overviewEpics.includes(l.value)));',
    `export default {`,
    ...Object.entries(config).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`),
    '  categories: { rules: [',
    `    { name: ${JSON.stringify(DIFFERS_CATEGORY)}, matchers: (d) => d.labels.some((l) => l.name === ` +
      `${JSON.stringify(EXPECTATION_LABEL)} && l.value !== "matches"), groupBy: [{ label: "feature" }], expand: true },`,
    '    { name: "Regions by verdict", matchers: (d) => d.labels.some((l) => l.name === "verdict"), ' +
      'groupBy: [{ label: "verdict" }], groupByMessage: false, expand: true },',
    '  ] },',
    `  plugins: { awesome: { options: { ...${JSON.stringify(awesome)}, filter: isClaim } } },`,
    '};',
    '',
  ].join('\n');
}

/** Options of {@link generateReport}. */
export interface ReportOptions {
  /** Keep Allure's history (trends across runs); off for test runs and merges checked by the tests. Default true. */
  readonly history?: boolean;
  /** The history file (default: history.jsonl inside the report directory, kept from one report to the next). */
  readonly historyFile?: string;
  /** The overview SVG shown as a global attachment (default: the verdicts.svg beside a results directory, when not older than its results). */
  readonly overview?: string;
  /**
   * Directories of region records whose key numbers the report tracks across runs (its Metrics
   * section, src/report/trends.ts). Default: the evidence/ directory beside each results directory.
   */
  readonly evidence?: readonly string[];
}

export { REPORT_RECORD, type ReportRecord } from './report-checks.js';
export { OVERVIEW_EPICS, isReported } from './report-staging.js';

/**
 * Generates the HTML report (Allure 3, awesome, single file) from results directories, with the
 * allure CLI found by module resolution (an optional peer). Refused first, with a ConfigError
 * naming them: a missing, empty or corrupt results directory, one holding no claim result (Allure
 * itself accepts all of these silently), the results of a `vg verify` run that has not finished,
 * and an output directory holding a report built from more claim results, or newer ones, than
 * these: a report is never replaced by a worse one. The key numbers of the region records beside
 * the results (or in `evidence`) go in as metrics, so the history tracks them from run to run.
 * Writes nothing outside `output` but the history file when one is named; returns the path of the report's index.html.
 */
export function generateReport(
  resultsDirs: readonly string[],
  output: string,
  { history = true, historyFile, overview, evidence }: ReportOptions = {},
): string {
  const inputs = checkInputs(resultsDirs);
  const allure = requirePeers('vg report', ['allure']).allure;
  const cli = allure.bin.allure;
  if (!cli) throw new Error(`allure ${allure.version} at ${allure.dir} declares no "allure" binary`);
  const target = resolve(output);
  // The previous report is replaced whole, so the output must be one (or empty): `--out .` must not empty a project.
  if (existsSync(target) && readdirSync(target).some((n) => !n.startsWith('.')) && !existsSync(join(target, 'index.html'))) {
    throw new ConfigError('out', target, 'a new or empty directory, or a previous report (one holding index.html)');
  }
  checkNotWorse(target, inputs);
  const created = !existsSync(target);
  mkdirSync(target, { recursive: true });
  // Generated inside the output and moved into place only when complete: a failure leaves the previous report whole.
  const staging = join(target, `.staging-${process.pid}`);
  const config = join(target, `.allurerc-${process.pid}.mjs`);
  const historyPath = history ? resolve(historyFile ?? join(target, 'history.jsonl')) : null;
  const overviewFile = overview ? resolve(overview) : overviewBeside(resultsDirs, inputs.newest);
  const input = join(target, `.results-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    if (historyPath) mkdirSync(dirname(historyPath), { recursive: true });
    const evidenceDirs = evidence ?? evidenceBeside(resultsDirs);
    // The verdict matrix first, then the training overview's summary charts the training spec left in the evidence.
    const staged = stageReportedResults(resultsDirs, input);
    writeFileSync(
      config,
      allureConfig(staging, reportTitle(whatRan(resultsDirs, staged)), historyPath, [...(overviewFile ? [overviewFile] : []), ...trainingCharts(evidenceDirs)]),
    );
    writeKeyNumbers(evidenceDirs, staged[0]);
    const run = spawnSync(process.execPath, [cli, 'generate', ...staged, '-o', staging, '-c', config], { encoding: 'utf8', cwd: target });
    if (/error parsing/i.test(run.stderr ?? ''))
      throw new ConfigError('results', resultsDirs.join(', '), `well-formed Allure result files (allure reported: ${run.stderr.split('\n')[0]})`);
    if (run.status !== 0 || !existsSync(`${staging}/index.html`)) {
      throw new Error(`allure generate failed (exit ${run.status}): ${String(run.error?.message ?? run.stderr ?? run.stdout ?? '').slice(0, 2000)}`);
    }
    const index = `${staging}/index.html`;
    writeFileSync(index, withoutAnalytics(readFileSync(index, 'utf8')));
    const record: ReportRecord = { ...inputs, inputs: resultsDirs.map((d) => resolve(d)), built: new Date().toISOString() };
    writeFileSync(join(staging, REPORT_RECORD), `${JSON.stringify(record, null, 2)}\n`);
    // The previous report goes, except what this run still needs (and a history file kept inside the output).
    const keep = [staging, config, input, historyPath].filter((p): p is string => p !== null);
    for (const name of readdirSync(target)) {
      const entry = join(target, name);
      if (!keep.some((k) => k === entry || k.startsWith(`${entry}/`))) rmSync(entry, { recursive: true, force: true });
    }
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(target, name));
  } catch (e) {
    // A failed first report leaves no directory behind; a failed rebuild leaves the previous report.
    if (created) rmSync(target, { recursive: true, force: true });
    throw e;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(input, { recursive: true, force: true });
    rmSync(config, { force: true });
  }
  return `${target}/index.html`;
}

/** The training overview's summary charts (TRAINING_CHART_PREFIX*.svg) in the evidence directories, in name order. */
function trainingCharts(evidenceDirs: readonly string[]): string[] {
  return evidenceDirs
    .filter((d) => existsSync(d))
    .flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.startsWith(TRAINING_CHART_PREFIX) && f.endsWith('.svg'))
        .sort()
        .map((f) => resolve(d, f)),
    );
}

/**
 * The verdict matrix `vg verify` wrote beside the results (`<run>/verdicts.svg`), when it is not
 * older than the newest result: one from an earlier run (a 0.1 layout's reports/verdicts.svg after
 * a later run replaced the results) is stale and is not attached. Never partial/'s, which may be another run's.
 */
function overviewBeside(resultsDirs: readonly string[], newest: number): string | null {
  const candidates = resultsDirs.map((d) => join(dirname(resolve(d)), OVERVIEW_FILE)).filter((f) => existsSync(f) && statSync(f).mtimeMs >= newest);
  return candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] ?? null;
}

/**
 * Allure 3's awesome template always loads Google's tag manager and sends the report's id to it
 * (its allure2 plugin honours ALLURE_NO_ANALYTICS; awesome, as of 3.18, does not). A published
 * verification report should call nobody and work offline, so both script tags are removed.
 */
export function withoutAnalytics(html: string): string {
  return html.replace(
    /<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\s*<script>(?:(?!<\/script>)[\s\S])*?gtag\((?:(?!<\/script>)[\s\S])*<\/script>/g,
    '',
  );
}
