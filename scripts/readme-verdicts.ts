/**
 * Rewrites the README's verdict table from the committed reports/claims.json, without
 * re-running the claims (for a change of the table's format): `npx tsx scripts/readme-verdicts.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../src/cli/paths.js';
import { writeAtomic } from '../src/report/atomic.js';
import { type Summary, withReadmeVerdicts } from '../src/report/summary.js';

const summary = JSON.parse(readFileSync(join(ROOT, 'reports', 'claims.json'), 'utf8')) as Summary;
const readme = join(ROOT, 'README.md');
writeAtomic(readme, withReadmeVerdicts(readFileSync(readme, 'utf8'), summary));
