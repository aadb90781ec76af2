import { type DetectorComparison, compareDetectors } from './detector.js';
import { meanShareDistance, shareBeyond, stepShares } from './metrics.js';
import { type ModelSpec, shapeKey, taskConfig } from './models.js';
import { type TaskKind, makeTask } from './tasks.js';
import { trainGroups } from './pool.js';
import { DEFAULT_TRAIN_ENGINE, type TrainBudget, type TrainOptions, type TrainRun } from './train.js';
import { mean } from '../numerics/stats.js';

/** A grid of training runs: every model × lag × seed, one budget per lag shared by every model. */
export interface GridSpec {
  readonly models: readonly ModelSpec[];
  readonly task: TaskKind;
  readonly lags: readonly number[];
  readonly seeds: readonly number[];
  /** The budget, or one per lag (still identical across models at a lag). */
  readonly budget: TrainBudget | ((lag: number) => TrainBudget);
  readonly options?: Omit<TrainOptions, 'onStep' | 'onWeights'>;
}

export interface GridCell {
  readonly model: string;
  readonly lag: number;
  readonly seed: number;
  readonly run: TrainRun;
  readonly detectors: DetectorComparison;
}

/** Progress of one batch of models (same lag and shape) sharing a training loop. */
export interface GridProgress {
  readonly lag: number;
  readonly models: readonly string[];
  readonly count: number;
  readonly wallMs: number;
}

/**
 * Runs the grid, batching the models of one shape at a lag (all their seeds) into one
 * trainModels call. `jobs` spreads those calls over worker threads (pool.ts); the cells are the
 * same, in the same order, whatever the number of workers.
 */
export async function runGrid(spec: GridSpec, onBatch?: (p: GridProgress) => void, jobs = 1): Promise<GridCell[]> {
  return (await runGrids([spec], onBatch, jobs))[0];
}

/** Several grids whose groups share one pool of workers; one list of cells per grid, in runGrid's order. */
export async function runGrids(specs: readonly GridSpec[], onBatch?: (p: GridProgress) => void, jobs = 1): Promise<GridCell[][]> {
  const planned = specs.flatMap((spec, s) =>
    spec.lags.flatMap((lag) => {
      const task = makeTask(spec.task, lag);
      const budget = typeof spec.budget === 'function' ? spec.budget(lag) : spec.budget;
      const members = spec.models.flatMap((model) => spec.seeds.map((seed) => ({ model, seed, config: taskConfig(model, task, budget.hiddenSize, seed) })));
      // The tfjs engine trains a shape's models in one loop; the kernel trains models one by one
      // anyway, so each is its own group and the workers' loads balance.
      const together = (spec.options?.engine ?? DEFAULT_TRAIN_ENGINE) === 'tfjs';
      const groups = new Map<string, typeof members>();
      for (const j of members) {
        const key = together ? shapeKey(j.config) : `${j.model.name}/${j.seed}`;
        groups.set(key, [...(groups.get(key) ?? []), j]);
      }
      return [...groups.values()].map((group) => ({
        s,
        lag,
        group,
        train: { configs: group.map((j) => j.config), task: { kind: spec.task, lag }, budget, options: spec.options },
      }));
    }),
  );
  const runs = await trainGroups(
    planned.map((p) => p.train),
    jobs,
  );
  const out: GridCell[][] = specs.map(() => []);
  planned.forEach(({ s, lag, group }, k) => {
    group.forEach((j, i) => out[s].push({ model: j.model.name, lag, seed: j.seed, run: runs[k][i], detectors: compareDetectors(runs[k][i]) }));
    onBatch?.({ lag, models: [...new Set(group.map((j) => j.model.name))], count: group.length, wallMs: runs[k][0].wallMs });
  });
  return out;
}

/** One row per (model, lag) of a grid: seed agreement and the diagnostics, averaged over seeds. */
export interface GridRow {
  readonly model: string;
  readonly lag: number;
  readonly seeds: number;
  readonly learnedSeeds: number;
  /** Mean final eval loss / baseline. */
  readonly lossRatio: number;
  readonly lossRatios: readonly number[];
  /** Mean final eval accuracy (recall), else null. */
  readonly accuracy: number | null;
  readonly plateauedSeeds: number;
  /** Seeds that plateaued without learning (the document's "loss plateaus early"). */
  readonly stuckSeeds: number;
  /** Seeds for which the document's detector fired at any update. */
  readonly documentFired: number;
  readonly minWeightHhNorm: number;
  /** Mean final ‖∇W_hh‖/‖∇W_ih‖. */
  readonly hhOverIh: number;
  /** Seeds whose profile detector flagged vanishing at the first / last probe. */
  readonly profileVanishingInitial: number;
  readonly profileVanishingFinal: number;
  /** Mean gap log10‖∂L/∂s_{T−1−lag}‖ − log10‖∂L/∂s_{T−1}‖ at the first / last probe (underflows excluded; null if all underflowed). */
  readonly gapInitial: number | null;
  readonly gapFinal: number | null;
  /** Mean distance (steps) of ∂L/∂W_hh's contributions at the first probe, and the share from distance ≥ lag/2. */
  readonly shareDistance: number;
  readonly farShare: number;
  /** Mean hidden-state collapse ratio before and after training. */
  readonly collapseInitial: number;
  readonly collapseFinal: number;
}

const meanOrNull = (v: ReadonlyArray<number | null>): number | null => {
  const ok = v.filter((x): x is number => x !== null && Number.isFinite(x));
  return ok.length ? mean(ok) : null;
};

/** Summarises a grid per (model, lag), in the order models and lags first appear. */
export function summarizeGrid(cells: readonly GridCell[]): GridRow[] {
  const keys = [...new Set(cells.map((c) => `${c.model}\u0000${c.lag}`))];
  return keys.map((key) => {
    const group = cells.filter((c) => `${c.model}\u0000${c.lag}` === key);
    const { model, lag } = group[0];
    const accuracies = group.map((c) => c.run.final.accuracy).filter((a): a is number => a !== null);
    const shares = group.map((c) => stepShares(c.run.probes[0].wHhTerms));
    const lossRatios = group.map((c) => c.run.final.loss / c.run.task.baseline);
    return {
      model,
      lag,
      seeds: group.length,
      learnedSeeds: group.filter((c) => c.run.learned).length,
      lossRatio: mean(lossRatios),
      lossRatios,
      accuracy: accuracies.length ? mean(accuracies) : null,
      plateauedSeeds: group.filter((c) => c.run.plateau.plateaued).length,
      stuckSeeds: group.filter((c) => c.run.plateau.plateaued && !c.run.learned).length,
      documentFired: group.filter((c) => c.detectors.document.fired).length,
      minWeightHhNorm: Math.min(...group.map((c) => c.detectors.document.minWeightHhNorm)),
      hhOverIh: mean(group.map((c) => c.detectors.document.finalHhOverIh)),
      profileVanishingInitial: group.filter((c) => c.detectors.profileInitial.vanishing).length,
      profileVanishingFinal: group.filter((c) => c.detectors.profileFinal.vanishing).length,
      gapInitial: meanOrNull(group.map((c) => c.detectors.profileInitial.gapDecades)),
      gapFinal: meanOrNull(group.map((c) => c.detectors.profileFinal.gapDecades)),
      shareDistance: mean(shares.map(meanShareDistance)),
      farShare: mean(shares.map((s) => shareBeyond(s, Math.ceil(lag / 2)))),
      collapseInitial: mean(group.map((c) => c.run.initial.collapse)),
      collapseFinal: mean(group.map((c) => c.run.final.collapse)),
    };
  });
}
