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
import { budgetStabilityMarkdown, solveMarkdown, solveRows } from '../src/claims/training/overview.js';
import { TRAINING_SOLVE_RULE, trainingPlan } from '../src/claims/training/plan.js';
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
const specs = plan.tasks.flatMap((t) =>
  t.lags.map((lag) => ({
    models: t.models.map(modelSpec),
    task: t.task,
    lags: [lag],
    seeds,
    budget: { ...plan.budget, steps: cap },
    options: { solve: TRAINING_SOLVE_RULE },
  })),
);
const start = performance.now();
let done = 0;
const total = specs.reduce((n, s) => n + s.models.length * s.seeds.length, 0);
const grids = await runGrids(
  specs,
  (p) => {
    done += p.count;
    process.stderr.write(`\r[cap] ${done}/${total} runs, ${((performance.now() - start) / 1000).toFixed(0)} s`);
  },
  jobs,
);
const wallS = (performance.now() - start) / 1000;
process.stderr.write('\n');
// The same tables as reports/TRAINING.md (claims/training/overview.ts), for this run's cap and seeds.
const rows = solveRows(grids.flat());
const updates = grids.flat().reduce((n, c) => n + c.run.updates, 0);
const lines = [
  '# How the training cap was chosen',
  '',
  `Written by \`npx tsx scripts/training-cap.ts --cap ${cap}\` (the full plan's models, tasks and lags ` +
    `under the train-to-criterion rule; every run's outcome at a smaller budget is read from its ` +
    `solvedAt, with no extra training). See src/claims/training/plan.ts for the choice.`,
  '',
  `cap ${cap}, seeds ${seeds.join(',')}, rule ${JSON.stringify(TRAINING_SOLVE_RULE)}, ${jobs} workers, ${wallS.toFixed(0)} s wall, ${updates} updates in all`,
  '',
  solveMarkdown(rows, cap),
  '',
  budgetStabilityMarkdown(rows, cap),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (process.argv.includes('--md')) writeAtomic(arg('md', 'reports/TRAINING-CAP.md'), `${lines.join('\n')}\n`);
mkdirSync(dirname(out), { recursive: true });
writeAtomic(out, `${JSON.stringify({ cap, seeds, rule: TRAINING_SOLVE_RULE, wallS, rows }, null, 1)}\n`);
