import type { ModelConfig } from '../config/types.js';
import { detectPlateau, recurrentSpectra } from './metrics.js';
import type { CurvePoint, ProbeRecord, StepEvent, StepRecord, TrainBudget, TrainRun } from './records.js';
import { type ReadBlock, kernelRunner, tfjsRunner } from './runners.js';
import { type Task, LEARNED_MARGIN, evalBatch, redrawStream, trainStream } from './tasks.js';
import { type TrainableName, buildTrainable } from './trainable.js';

/**
 * Training of C models of one shape at once (the leading config axis): each model has its own
 * seed, weights, data stream, Adam state and gradient clip, so the result for each equals
 * training it alone. Determinism: every random number comes from Rng streams of the seed; the
 * tfjs cpu and wasm kernels are not known to reorder sums between runs, and the specs check
 * that two runs give bit-identical losses on the backend in use.
 */

export type { TrainBudget } from './records.js';

/** The default budget: 300 Adam updates of 32 fresh sequences, learning rate 3·10⁻³, 32 hidden units. */
export const DEFAULT_BUDGET: TrainBudget = { steps: 300, batchSize: 32, learningRate: 3e-3, hiddenSize: 32 };

/**
 * Which implementation runs the updates: 'kernel' is the fused WebAssembly kernel
 * (kernel-train.ts), 'tfjs' the tfjs ops of bptt.ts on the resolved backend (the reference the
 * kernel is tested against). The kernel implements every cell ModelConfig allows (its
 * architecture type is one of KernelArchitecture's, which KernelTrainer's signature checks).
 */
export type TrainEngine = 'kernel' | 'tfjs';

/** The engine of the published results. */
export const DEFAULT_TRAIN_ENGINE: TrainEngine = 'kernel';

export interface TrainOptions {
  /** Default DEFAULT_TRAIN_ENGINE. */
  readonly engine?: TrainEngine;
  /** Probe every `logEvery` updates (and at the first and last); default steps/10. */
  readonly logEvery?: number;
  readonly evalBatchSize?: number;
  /** Called once per model and update, in order, when the stats are read back (at probe steps). */
  readonly onStep?: (event: StepEvent) => void;
  /** When a run has learned and whether it stops there; default fixedBudgetRule(budget). */
  readonly solve?: SolveRule;
  /** Called once at the end with the trained weights, per trainable tensor, laid out [C, …] (as the tfjs variables). */
  readonly onWeights?: (weights: ReadonlyMap<TrainableName, Float32Array>) => void;
}

export type { CurvePoint, EvalRecord, ProbeRecord, StepEvent, StepRecord, TrainRun } from './records.js';

function checkBudget(b: TrainBudget): void {
  const ok =
    Number.isInteger(b.steps) &&
    b.steps >= 2 &&
    Number.isInteger(b.batchSize) &&
    b.batchSize >= 1 &&
    Number.isInteger(b.hiddenSize) &&
    b.hiddenSize >= 1 &&
    b.learningRate > 0 &&
    Number.isFinite(b.learningRate);
  if (!ok)
    throw new RangeError(
      `trainModels: budget should have integer steps ≥ 2, batchSize ≥ 1, hiddenSize ≥ 1 and a finite learningRate > 0, got ${JSON.stringify(b)}`,
    );
}

/**
 * When a run counts as having learned, and whether it stops there. The held-out set is
 * evaluated every `every` updates (and at the cap); the rule is met at the evaluation that
 * completes `confirmations + 1` consecutive evaluations at or below the learned criterion
 * (a criterion reached and then lost does not count), and `solvedAt` is that update. With
 * `stop`, the model stops training there. The default is the fixed-budget protocol: one
 * evaluation at the cap, no confirmation, no stop, so "learned" is "final loss ≤ criterion".
 */
export interface SolveRule {
  readonly every: number;
  readonly confirmations: number;
  readonly stop: boolean;
}

/** The fixed-budget protocol for a budget (see SolveRule). */
export const fixedBudgetRule = (budget: TrainBudget): SolveRule => ({ every: budget.steps, confirmations: 0, stop: false });

/**
 * The update at which the rule is met on a curve (points in step order, step 0 first, which
 * never counts: nothing was trained yet), or null: the first point that completes
 * `confirmations + 1` consecutive points with loss ≤ threshold.
 */
export function solvedAtOf(curve: readonly CurvePoint[], threshold: number, confirmations: number): number | null {
  let streak = 0;
  for (const p of curve) {
    if (p.step === 0) continue;
    streak = p.loss <= threshold ? streak + 1 : 0;
    if (streak > confirmations) return p.step;
  }
  return null;
}

function checkRule(r: SolveRule): void {
  if (!Number.isInteger(r.every) || r.every < 1 || !Number.isInteger(r.confirmations) || r.confirmations < 0) {
    throw new RangeError(`trainModels: solve rule should have an integer every ≥ 1 and confirmations ≥ 0, got ${JSON.stringify(r)}`);
  }
}

/** Trains C configs of one shape (see shapeKey) on a task with one budget; one TrainRun per config. */
export async function trainModels(configs: readonly ModelConfig[], task: Task, budget: TrainBudget, options: TrainOptions = {}): Promise<TrainRun[]> {
  checkBudget(budget);
  const rule = options.solve ?? fixedBudgetRule(budget);
  checkRule(rule);
  const start = performance.now();
  const cap = budget.steps;
  const logEvery = options.logEvery ?? Math.max(1, Math.round(cap / 10));
  const engine = options.engine ?? DEFAULT_TRAIN_ENGINE;
  const model = buildTrainable(configs, task.outputSize);
  const runner = engine === 'kernel' ? kernelRunner(model, task, budget) : tfjsRunner(model, task, budget);
  const C = configs.length;
  const streams = configs.map((c) => trainStream(task, c.seed));
  const evalSets = configs.map((c) => evalBatch(task, c.seed, options.evalBatchSize));
  const redrawn = evalSets.map((b, c) => task.redrawPrefix(b, redrawStream(task, configs[c].seed)));
  const steps: StepRecord[][] = configs.map(() => []);
  const probes: ProbeRecord[][] = configs.map(() => []);
  const curve: CurvePoint[][] = configs.map(() => []);
  const solvedAt = new Array<number | null>(C).fill(null);
  /** Updates each model received (the cap, or solvedAt when it stopped there). */
  const trained = new Array<number>(C).fill(cap);
  const active = (c: number): boolean => !(rule.stop && solvedAt[c] !== null);
  const record = (blocks: readonly ReadBlock[]): void => {
    for (const block of blocks) {
      block.steps.forEach((perModel, k) =>
        perModel.forEach((rec, c) => {
          const step = block.firstStep + k;
          if (rec === null || step >= trained[c]) return;
          steps[c].push(rec);
          options.onStep?.({ ...rec, step, model: c });
        }),
      );
      block.probes.forEach((p, c) => {
        if (p !== null && block.probeStep < trained[c]) probes[c].push({ ...p, step: block.probeStep });
      });
    }
  };
  try {
    const initial = await runner.evaluate(evalSets, redrawn);
    initial.forEach((e, c) => curve[c].push({ step: 0, loss: e.loss, accuracy: e.accuracy, activations: e.activations }));
    for (let s = 0; s < cap && configs.some((_, c) => active(c)); s++) {
      const instrument = s % logEvery === 0 || s === cap - 1;
      const mask = configs.map((_, c) => active(c));
      record(
        await runner.update(
          streams.map((r) => task.sample(r, budget.batchSize)),
          instrument,
          mask,
        ),
      );
      const done = s + 1;
      if (done % rule.every !== 0 && done !== cap) continue;
      const held = await runner.heldOut(evalSets, mask);
      held.forEach((e, c) => {
        if (e === null || !mask[c]) return;
        curve[c].push({ step: done, loss: e.loss, accuracy: e.accuracy, activations: e.activations });
        if (solvedAt[c] === null && solvedAtOf(curve[c], LEARNED_MARGIN * task.baseline, rule.confirmations) === done) {
          solvedAt[c] = done;
          if (rule.stop) {
            trained[c] = done;
            runner.freeze(c);
          }
        }
      });
    }
    record(await runner.flush());
    const final = await runner.evaluate(evalSets, redrawn);
    const weights = runner.weights();
    options.onWeights?.(weights);
    const spectra = recurrentSpectra(configs[0].architecture, configs[0].hiddenSize, C, weights.get('weight_hh'));
    const wallMs = performance.now() - start;
    return configs.map((config, c) => ({
      config,
      task: { kind: task.kind, lag: task.lag, seqLength: task.seqLength, baseline: task.baseline },
      budget,
      rule,
      steps: steps[c],
      probes: probes[c],
      initial: initial[c],
      final: final[c],
      curve: curve[c],
      solvedAt: solvedAt[c],
      updates: trained[c],
      bestLoss: Math.min(...curve[c].map((p) => p.loss)),
      learned: solvedAt[c] !== null,
      plateau: detectPlateau(steps[c].map((r) => r.loss)),
      finalRecurrent: spectra[c],
      wallMs,
      backend: runner.backend,
    }));
  } finally {
    runner.dispose();
  }
}
