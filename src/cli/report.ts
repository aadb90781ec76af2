import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { ALLURE_REPORT, ALLURE_RESULTS, ROOT, bin } from './paths.js';

/**
 * Generates the HTML report (Allure 3, awesome, single file) from results directories.
 * Allure itself accepts empty or corrupt results silently, so they are refused here first.
 */
export function generateReport(resultsDirs: readonly string[] = [ALLURE_RESULTS], output = ALLURE_REPORT, { history = true } = {}): string {
  for (const dir of resultsDirs) {
    if (!existsSync(dir)) throw new ConfigError('results', dir, 'an existing Allure results directory (run `vg verify` first)');
    const results = readdirSync(dir).filter((f) => f.endsWith('-result.json'));
    if (results.length === 0) throw new ConfigError('results', dir, 'a directory holding at least one *-result.json');
    for (const f of results) checkResultFile(join(dir, f));
  }
  // Generated beside the output and moved into place only when complete: a failure leaves no half-written report.
  const staging = `${output}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const args = ['generate', ...resultsDirs, '-o', staging];
    if (!history) args.push('-c', `${ROOT}/allurerc.nohistory.mjs`);
    const run = spawnSync(bin('allure'), args, { cwd: ROOT, encoding: 'utf8' });
    if (/error parsing/i.test(run.stderr)) throw new ConfigError('results', resultsDirs.join(', '), `well-formed Allure result files (allure reported: ${run.stderr.split('\n')[0]})`);
    if (run.status !== 0 || !existsSync(`${staging}/index.html`)) {
      throw new Error(`allure generate failed (exit ${run.status}): ${(run.stderr || run.stdout).slice(0, 2000)}`);
    }
    const index = `${staging}/index.html`;
    writeFileSync(index, withoutAnalytics(readFileSync(index, 'utf8')));
    rmSync(output, { recursive: true, force: true });
    renameSync(staging, output);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return `${output}/index.html`;
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
