/**
 * Rewrites the published summary from a claims.json without re-running the claims (a full verify
 * takes about 13 minutes): CLAIMS.md and verdicts.svg next to the JSON, and the README's verdict
 * block when the JSON is this checkout's reports/claims.json.
 *
 *   npx tsx scripts/summary.ts [reports/claims.json]
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PACKAGE_ROOT as ROOT } from '../src/cli/paths.js';
import { writeAtomic } from '../src/report/atomic.js';
import { type Summary, summaryMarkdown, withReadmeVerdicts } from '../src/report/summary.js';
import { verdictMatrixSvg } from '../src/report/verdict-matrix.js';

const file = resolve(process.argv[2] ?? join(ROOT, 'reports', 'claims.json'));
const summary = JSON.parse(readFileSync(file, 'utf8')) as Summary;
const markdown = summaryMarkdown(summary);
const svg = await verdictMatrixSvg(summary);
writeAtomic(join(dirname(file), 'CLAIMS.md'), markdown);
writeAtomic(join(dirname(file), 'verdicts.svg'), svg);
process.stdout.write(`${join(dirname(file), 'CLAIMS.md')}: ${Buffer.byteLength(markdown)} bytes\n${join(dirname(file), 'verdicts.svg')}: ${Buffer.byteLength(svg)} bytes\n`);
if (file === join(ROOT, 'reports', 'claims.json')) {
  const readme = join(ROOT, 'README.md');
  writeAtomic(readme, withReadmeVerdicts(readFileSync(readme, 'utf8'), summary));
  process.stdout.write(`${readme}: verdict block rewritten\n`);
}
