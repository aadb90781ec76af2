/**
 * How the training plan's cap was chosen. Usage:
 *   npx tsx scripts/training-cap.ts [--cap 8000] [--seeds 1,2,3,4,5] [--jobs N] [--out reports/training-cap.json] [--md reports/TRAINING-CAP.md]
 * Trains every model, task and lag of the full plan under the train-to-criterion rule up to a
 * large cap, then reads each run's outcome at every budget of the ladder from its solvedAt (no
 * extra training) and counts, per budget b, the (model, task, lag) whose learned-seed count at b
 * differs from the one at 2b: the cap is the smallest ladder budget where that count is small.
 * Prints a markdown table and writes the runs' solvedAt as JSON.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { resolveBackend } from '../src/backend/resolve.js';
import { TRAINING_SOLVE_RULE, budgetLadder, trainingPlan } from '../src/claims/training/plan.js';
import { runGrids } from '../src/experiments/grid.js';
import { modelSpec } from '../src/experiments/models.js';
import { defaultJobs } from '../src/experiments/pool.js';
import { writeAtomic } from '../src/report/atomic.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

await resolveBackend('wasm');
const cap = Number(arg('cap', '8000'));
const seeds = arg('seeds', '1,2,3,4,5').split(',').map(Number);
const jobs = Number(arg('jobs', String(defaultJobs())));
const out = arg('out', 'reports/training-cap.json');
const plan = trainingPlan('full');
const specs = plan.tasks.flatMap((t) => t.lags.map((lag) => ({ models: t.models.map(modelSpec), task: t.task, lags: [lag], seeds, budget: { ...plan.budget, steps: cap }, options: { solve: TRAINING_SOLVE_RULE } })));
const start = performance.now();
let done = 0;
const total = specs.reduce((n, s) => n + s.models.length * s.seeds.length, 0);
const grids = await runGrids(specs, (p) => {
  done += p.count;
  process.stderr.write(`\r[cap] ${done}/${total} runs, ${((performance.now() - start) / 1000).toFixed(0)} s`);
}, jobs);
const wallS = (performance.now() - start) / 1000;
process.stderr.write('\n');
const ladder = budgetLadder(cap);
const rows = grids.flatMap((cells, i) => specs[i].models.map((m) => {
  const runs = cells.filter((c) => c.model === m.name);
  return { task: specs[i].task, lag: specs[i].lags[0], model: m.name, solvedAt: runs.map((c) => c.run.solvedAt), updates: runs.reduce((n, c) => n + c.run.updates, 0) };
}));
const learnedBy = (solvedAt: readonly (number | null)[], b: number): number => solvedAt.filter((s) => s !== null && s <= b).length;
const lines = ['# How the training cap was chosen', '', `Written by \`npx tsx scripts/training-cap.ts --cap ${cap}\` (the full plan's models, tasks and lags under the train-to-criterion rule; every run's outcome at a smaller budget is read from its solvedAt, with no extra training). See src/claims/training/plan.ts for the choice.`, '', `cap ${cap}, seeds ${seeds.join(',')}, rule ${JSON.stringify(TRAINING_SOLVE_RULE)}, ${jobs} workers, ${wallS.toFixed(0)} s wall, ${rows.reduce((n, r) => n + r.updates, 0)} updates in all`, ''];
lines.push('| task | lag | model | solvedAt per seed | learned seeds at ' + ladder.join(' / ') + ' |', '|---|---|---|---|---|');
for (const r of rows) lines.push(`| ${r.task} | ${r.lag} | ${r.model} | ${r.solvedAt.map((s) => s ?? '—').join(', ')} | ${ladder.map((b) => learnedBy(r.solvedAt, b)).join(' / ')} |`);
lines.push('', '| budget b | (model, task, lag) whose learned-seed count differs between b and 2b |', '|---|---|');
for (const b of ladder.filter((b) => 2 * b <= cap)) lines.push(`| ${b} | ${rows.filter((r) => learnedBy(r.solvedAt, b) !== learnedBy(r.solvedAt, 2 * b)).length} of ${rows.length} |`);
process.stdout.write(`${lines.join('\n')}\n`);
if (process.argv.includes('--md')) writeAtomic(arg('md', 'reports/TRAINING-CAP.md'), `${lines.join('\n')}\n`);
mkdirSync(dirname(out), { recursive: true });
writeAtomic(out, `${JSON.stringify({ cap, seeds, rule: TRAINING_SOLVE_RULE, wallS, rows }, null, 1)}\n`);
