/**
 * The full training experiment, run once by hand (not a spec: it takes minutes):
 *   VG_BACKEND=wasm npx tsx src/experiments/run-full.ts [--task recall|adding] [--steps N] [--lags 5,10,20,50,100] [--seeds 1,2,3] [--out file.json]
 * Prints a markdown table per (model, lag) and each model's effective memory; --out writes
 * the rows and each run's loss curve and probes as JSON.
 */
import { writeFileSync } from 'node:fs';
import { resolveBackend } from '../backend/resolve.js';
import { SEED_QUORUM, effectiveMemoryByModel } from './effective-memory.js';
import { type GridRow, runGrid, summarizeGrid } from './grid.js';
import { EXPERIMENT_MODELS } from './models.js';
import { LEARNED_MARGIN, type TaskKind } from './tasks.js';
import { DEFAULT_BUDGET, type TrainBudget } from './train.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const list = (s: string): number[] => s.split(',').map(Number);

const f = (v: number | null, digits = 2): string => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const e = (v: number): string => (Number.isFinite(v) ? v.toExponential(1) : '—');

function table(rows: readonly GridRow[]): string {
  const head =
    '| model | lag | learned | loss/baseline (per seed) | acc | plateau (stuck) | doc fired | min ‖∇W_hh‖ ' +
    '| ∇hh/∇ih | profile vanishing init→final | gap init→final (decades) | W_hh share dist (far share) | ' +
    'collapse init→final |';
  const rule = `|${head
    .split('|')
    .slice(1, -1)
    .map(() => '---')
    .join('|')}|`;
  const body = rows.map(
    (r) =>
      `| ${r.model} | ${r.lag} | ${r.learnedSeeds}/${r.seeds} | ${f(r.lossRatio)} ` +
      `(${r.lossRatios.map((x) => f(x)).join(', ')}) | ${f(r.accuracy)} | ${r.plateauedSeeds}/${r.seeds} ` +
      `(${r.stuckSeeds}) | ${r.documentFired}/${r.seeds} | ${e(r.minWeightHhNorm)} | ${f(r.hhOverIh)} | ` +
      `${r.profileVanishingInitial}→${r.profileVanishingFinal} | ${f(r.gapInitial, 1)}→${f(r.gapFinal, 1)} ` +
      `| ${f(r.shareDistance, 1)} (${f(r.farShare, 3)}) | ${e(r.collapseInitial)}→${e(r.collapseFinal)} |`,
  );
  return [head, rule, ...body].join('\n');
}

async function main(): Promise<void> {
  const backend = await resolveBackend();
  const task = arg('task', 'recall') as TaskKind;
  const budget: TrainBudget = { ...DEFAULT_BUDGET, steps: Number(arg('steps', String(DEFAULT_BUDGET.steps))) };
  const lags = list(arg('lags', '5,10,20,50,100'));
  const seeds = list(arg('seeds', '1,2,3'));
  const out = arg('out', '');
  const start = performance.now();
  console.log(
    `backend ${backend.name}; task ${task}; lags ${lags.join(',')}; seeds ${seeds.join(',')}; budget ` +
      `${JSON.stringify(budget)}; learned = eval loss ≤ ${LEARNED_MARGIN} × baseline`,
  );
  const cells = await runGrid({ models: EXPERIMENT_MODELS, task, lags, seeds, budget }, (p) => {
    console.log(
      `  lag ${p.lag}: ${p.models.join('+')} ×${p.count} in ${(p.wallMs / 1000).toFixed(1)} s (elapsed ${((performance.now() - start) / 1000).toFixed(0)} s)`,
    );
  });
  const wallS = (performance.now() - start) / 1000;
  const rows = summarizeGrid(cells);
  const byModel = (name: string): number => EXPERIMENT_MODELS.findIndex((m) => m.name === name);
  rows.sort((a, b) => byModel(a.model) - byModel(b.model) || a.lag - b.lag);
  console.log(`\nwall time ${wallS.toFixed(0)} s\n`);
  console.log(table(rows));
  console.log('\n| model | effective memory (largest lag with every lag ≤ it learned by a quorum of seeds) | learned above it |\n|---|---|---|');
  for (const [model, m] of effectiveMemoryByModel(cells, Math.min(SEED_QUORUM, seeds.length)))
    console.log(`| ${model} | ${m.effectiveLag} | ${m.learnedAbove.join(', ') || '—'} |`);
  if (out) {
    const runs = cells.map((c) => ({
      model: c.model,
      lag: c.lag,
      seed: c.seed,
      learned: c.run.learned,
      initial: c.run.initial,
      final: c.run.final,
      plateau: c.run.plateau,
      losses: c.run.steps.map((s) => s.loss),
      weightHhNorm: c.run.steps.map((s) => s.params.weight_hh?.norm ?? null),
      probes: c.run.probes,
      detectors: c.detectors,
    }));
    writeFileSync(out, JSON.stringify({ backend, task, lags, seeds, budget, wallS, rows, runs }));
    console.log(`\nwrote ${out}`);
  }
}

await main();
