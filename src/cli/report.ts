import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { outputDirs } from './paths.js';
import { requirePeers } from './peers.js';

/** How the report looks: Allure 3's awesome template as one self-contained file, grouped by section, claim and region. */
const REPORT_NAME = 'Vanishing gradients: claims';
const HISTORY_LIMIT = 50;

/** The Allure configuration of one report (written to a temporary file next to the output; allure reads no other). */
function allureConfig(output: string, historyFile: string | null): string {
  const config = {
    name: "Vanishing gradients: verdicts on the document's claims",
    output,
    ...(historyFile ? { historyPath: historyFile, historyLimit: HISTORY_LIMIT } : {}),
    plugins: { awesome: { options: { singleFile: true, reportName: REPORT_NAME, reportLanguage: 'en', groupBy: ['epic', 'feature', 'story'] } } },
  };
  return `export default ${JSON.stringify(config, null, 2)};\n`;
}

/** Options of {@link generateReport}. */
export interface ReportOptions {
  /** Keep Allure's history (trends across runs); off for test runs and merges checked by the tests. Default true. */
  readonly history?: boolean;
  /** The history file (default: history/history.jsonl beside the report directory). */
  readonly historyFile?: string;
}

/**
 * Generates the HTML report (Allure 3, awesome, single file) from results directories, with the
 * allure CLI found by module resolution (an optional peer). Allure itself accepts empty or corrupt
 * results silently, so they are refused here first. Returns the path of the report's index.html.
 */
export function generateReport(resultsDirs: readonly string[] = [outputDirs().allureResults], output = outputDirs().allureReport, { history = true, historyFile }: ReportOptions = {}): string {
  for (const dir of resultsDirs) {
    if (!existsSync(dir)) throw new ConfigError('results', dir, 'an existing Allure results directory (run `vg verify` first)');
    const results = readdirSync(dir).filter((f) => f.endsWith('-result.json'));
    if (results.length === 0) throw new ConfigError('results', dir, 'a directory holding at least one *-result.json');
    for (const f of results) checkResultFile(join(dir, f));
  }
  const allure = requirePeers('vg report', ['allure']).allure;
  const cli = allure.bin.allure;
  if (!cli) throw new Error(`allure ${allure.version} at ${allure.dir} declares no "allure" binary`);
  const target = resolve(output);
  mkdirSync(dirname(target), { recursive: true });
  // Generated beside the output and moved into place only when complete: a failure leaves no half-written report.
  const staging = `${target}.tmp-${process.pid}`;
  const config = `${staging}.allurerc.mjs`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const historyPath = history ? resolve(historyFile ?? join(dirname(target), 'history', 'history.jsonl')) : null;
    if (historyPath) mkdirSync(dirname(historyPath), { recursive: true });
    writeFileSync(config, allureConfig(staging, historyPath));
    const run = spawnSync(process.execPath, [cli, 'generate', ...resultsDirs.map((d) => resolve(d)), '-o', staging, '-c', config], { encoding: 'utf8' });
    if (/error parsing/i.test(run.stderr ?? '')) throw new ConfigError('results', resultsDirs.join(', '), `well-formed Allure result files (allure reported: ${run.stderr.split('\n')[0]})`);
    if (run.status !== 0 || !existsSync(`${staging}/index.html`)) {
      throw new Error(`allure generate failed (exit ${run.status}): ${String(run.error?.message ?? run.stderr ?? run.stdout ?? '').slice(0, 2000)}`);
    }
    const index = `${staging}/index.html`;
    writeFileSync(index, withoutAnalytics(readFileSync(index, 'utf8')));
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(config, { force: true });
  }
  return `${target}/index.html`;
}

/**
 * Allure 3's awesome template always loads Google's tag manager and sends the report's id to it
 * (its allure2 plugin honours ALLURE_NO_ANALYTICS; awesome, as of 3.18, does not). A published
 * verification report should call nobody and work offline, so both script tags are removed.
 */
export function withoutAnalytics(html: string): string {
  return html.replace(/<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\s*<script>(?:(?!<\/script>)[\s\S])*?gtag\((?:(?!<\/script>)[\s\S])*<\/script>/g, '');
}

/** An Allure result file must be a JSON object with a name and a status; anything else is refused by name. */
function checkResultFile(file: string): void {
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
}
