import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
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
  }
  rmSync(output, { recursive: true, force: true });
  const args = ['generate', ...resultsDirs, '-o', output];
  if (!history) args.push('-c', `${ROOT}/allurerc.nohistory.mjs`);
  const run = spawnSync(bin('allure'), args, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0 || !existsSync(`${output}/index.html`)) {
    throw new Error(`allure generate failed (exit ${run.status}): ${(run.stderr || run.stdout).slice(0, 2000)}`);
  }
  if (/error parsing/i.test(run.stderr)) throw new ConfigError('results', resultsDirs.join(', '), `well-formed Allure result files (allure reported: ${run.stderr.split('\n')[0]})`);
  return `${output}/index.html`;
}
