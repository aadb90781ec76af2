/**
 * Writes src/claims/training/expected.ts from measured summaries, for review before committing:
 *   npx tsx scripts/record-training-expectations.ts reports/claims.json [reports/partial/claims.json …]
 * Takes every training region's measured verdict (a later file wins for a region in two files)
 * and prints which expectations changed, so a change of protocol, budget or seeds is a reviewed
 * diff of that table, never a silent default.
 */
import { readFileSync } from 'node:fs';
import { TRAINING_EXPECTED } from '../src/claims/training/expected.js';
import type { Expectation } from '../src/claims/types.js';
import { writeAtomic } from '../src/report/atomic.js';
import type { Summary } from '../src/report/summary.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('record-training-expectations: give at least one claims.json\n');
  process.exit(2);
}
const table = new Map<string, Map<string, Expectation>>();
for (const file of files) {
  const summary = JSON.parse(readFileSync(file, 'utf8')) as Summary;
  for (const claim of summary.claims) {
    for (const r of claim.regions) {
      if (!/^(recall|adding)\//.test(r.regionId)) continue;
      if (!table.has(claim.id)) table.set(claim.id, new Map());
      table.get(claim.id)!.set(r.regionId, r.measured as Expectation);
    }
  }
}
const changes: string[] = [];
for (const [claim, regions] of table) {
  for (const [region, v] of regions) {
    const before = TRAINING_EXPECTED[claim]?.[region];
    if (before !== v) changes.push(`${claim} [${region}]: ${before ?? '(none)'} → ${v}`);
  }
}
const body = [...table].map(([claim, regions]) => `  '${claim}': {\n${[...regions].map(([id, v]) => `    '${id}': '${v}',`).join('\n')}\n  },`).join('\n');
const header = readFileSync(new URL('../src/claims/training/expected.ts', import.meta.url), 'utf8').split('export const TRAINING_EXPECTED')[0];
writeAtomic(new URL('../src/claims/training/expected.ts', import.meta.url).pathname, `${header}export const TRAINING_EXPECTED: Readonly<Record<string, Readonly<Record<string, Expectation>>>> = {\n${body}\n};\n`);
process.stdout.write(`${changes.length} expectation(s) changed:\n${changes.join('\n')}\n`);
