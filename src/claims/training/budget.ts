import { compareDetectors } from '../../experiments/detector.js';
import type { GridCell } from '../../experiments/grid.js';
import { detectPlateau } from '../../experiments/metrics.js';
import type { TrainRun } from '../../experiments/records.js';

/**
 * A training run read at a smaller budget, with no extra training: what the run would have been
 * had its cap been `budget` updates. Everything recorded at update < budget is kept (loss and
 * gradient records, probes, the held-out curve up to `budget` with each point's activation
 * statistics); the final held-out loss and activations are the curve's last point at or before
 * `budget`; the run counts as learned only if the rule was met by then. The final hidden-state collapse is measured only at the end of training, so it is
 * NaN at a smaller budget (the per-budget verdicts never read it).
 */
export function runAt(run: TrainRun, budget: number): TrainRun {
  if (budget >= run.updates) return run;
  const steps = run.steps.slice(0, budget);
  const curve = run.curve.filter((p) => p.step <= budget);
  const last = curve[curve.length - 1];
  const solvedAt = run.solvedAt !== null && run.solvedAt <= budget ? run.solvedAt : null;
  return {
    ...run,
    steps,
    probes: run.probes.filter((p) => p.step < budget),
    curve,
    solvedAt,
    learned: solvedAt !== null,
    updates: budget,
    bestLoss: Math.min(...curve.map((p) => p.loss)),
    final: { loss: last.loss, accuracy: last.accuracy, collapse: Number.NaN, activations: last.activations },
    plateau: steps.length >= 2 ? detectPlateau(steps.map((s) => s.loss)) : run.plateau,
  };
}

/** A grid cell read at a smaller budget (its detectors recomputed from the truncated run). */
export function cellAt(cell: GridCell, budget: number): GridCell {
  const run = runAt(cell.run, budget);
  return run === cell.run ? cell : { ...cell, run, detectors: compareDetectors(run) };
}
