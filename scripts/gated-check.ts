/**
 * Why the gated cells fail recall and adding at lag 50 where the literature has LSTMs succeed:
 * the same protocol (train to criterion) for the plan's LSTM and GRU beside variants that isolate
 * one cause each: chrono initialisation of the LSTM's gates (b_f = log U(1, T−1), b_i = −b_f;
 * Tallec & Ollivier 2018), and a 4× longer cap. Usage:
 *   npx tsx scripts/gated-check.ts [--cap 8000] [--long-cap 32000] [--seeds 1,2,3]
 * Prints each run's solvedAt (— = not within its cap) and best held-out loss / baseline.
 */
import { resolveBackend } from '../src/backend/resolve.js';
import { TRAINING_BUDGET, TRAINING_SOLVE_RULE } from '../src/claims/training/plan.js';
import { PYTORCH_GATED_DEFAULTS } from '../src/config/types.js';
import { runGrids } from '../src/experiments/grid.js';
import { type ModelSpec, modelSpec } from '../src/experiments/models.js';
import { defaultJobs } from '../src/experiments/pool.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

await resolveBackend('wasm');
const cap = Number(arg('cap', '8000'));
const longCap = Number(arg('long-cap', '32000'));
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
const chrono: ModelSpec = { name: 'lstm-chrono', overrides: { architecture: 'lstm', ...PYTORCH_GATED_DEFAULTS, forgetBias: 'chrono' } };
const variants = [
  { label: `cap ${cap}`, models: [modelSpec('lstm-fb1'), modelSpec('gru'), chrono], steps: cap },
  { label: `cap ${longCap}`, models: [modelSpec('lstm-fb1')], steps: longCap },
];
const specs = variants.flatMap((v) =>
  (['recall', 'adding'] as const).map((task) => ({
    label: v.label,
    spec: { models: v.models, task, lags: [50], seeds, budget: { ...TRAINING_BUDGET, steps: v.steps }, options: { solve: TRAINING_SOLVE_RULE } },
  })),
);
const start = performance.now();
const grids = await runGrids(
  specs.map((s) => s.spec),
  undefined,
  defaultJobs(),
);
const lines = [`| task (lag 50) | model | cap | solvedAt per seed | best held-out loss / baseline per seed |`, '|---|---|---|---|---|'];
grids.forEach((cells, i) => {
  for (const model of specs[i].spec.models) {
    const runs = cells.filter((c) => c.model === model.name);
    lines.push(
      `| ${specs[i].spec.task} | ${model.name} | ${specs[i].spec.budget.steps} | ` +
        `${runs.map((c) => c.run.solvedAt ?? '—').join(', ')} | ` +
        `${runs.map((c) => (c.run.bestLoss / c.run.task.baseline).toFixed(3)).join(', ')} |`,
    );
  }
});
process.stdout.write(`${lines.join('\n')}\n\n${((performance.now() - start) / 1000).toFixed(0)} s wall\n`);
