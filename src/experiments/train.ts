import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/types.js';
import { detectPlateau } from './metrics.js';
import { Adam } from './optimizer.js';
import type { EvalRecord, ProbeRecord, StepEvent, StepRecord, TrainBudget, TrainRun } from './records.js';
import { readEval, readProbes } from './readback.js';
import { type Task, type TaskBatch, evalBatch, isLearned, redrawStream, trainStream } from './tasks.js';
import { type TrainableModel, type TrainableName, buildTrainable } from './trainable.js';
import { evalTensors, trainStep } from './step.js';
import { KernelTrainer, kernelSupports } from './kernel-train.js';

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
 * kernel is tested against), 'auto' the kernel wherever it implements the cell.
 */
export type TrainEngine = 'auto' | 'kernel' | 'tfjs';

export interface TrainOptions {
  /** Default 'auto'. */
  readonly engine?: TrainEngine;
  /** Probe every `logEvery` updates (and at the first and last); default steps/10. */
  readonly logEvery?: number;
  readonly evalBatchSize?: number;
  /** Called once per model and update, in order, when the stats are read back (at probe steps). */
  readonly onStep?: (event: StepEvent) => void;
  /** Called once at the end with the trained weights, per trainable tensor, laid out [C, …] (as the tfjs variables). */
  readonly onWeights?: (weights: ReadonlyMap<TrainableName, Float32Array>) => void;
}

export type { EvalRecord, ProbeRecord, StepEvent, StepRecord, TrainRun } from './records.js';

function checkBudget(b: TrainBudget): void {
  const ok = Number.isInteger(b.steps) && b.steps >= 2 && Number.isInteger(b.batchSize) && b.batchSize >= 1
    && Number.isInteger(b.hiddenSize) && b.hiddenSize >= 1 && b.learningRate > 0 && Number.isFinite(b.learningRate);
  if (!ok) throw new RangeError(`trainModels: budget should have integer steps ≥ 2, batchSize ≥ 1, hiddenSize ≥ 1 and a finite learningRate > 0, got ${JSON.stringify(b)}`);
}

/** Stacks one batch per model into [C, B, T, D] inputs and [C, B, O] targets. */
function stackBatches(batches: readonly TaskBatch[], task: Task): { x: tf.Tensor; y: tf.Tensor } {
  const B = batches[0].batch;
  const C = batches.length;
  const x = new Float32Array(C * B * task.seqLength * task.inputSize);
  const y = new Float32Array(C * B * task.outputSize);
  batches.forEach((b, c) => { x.set(b.inputs, c * b.inputs.length); y.set(b.targets, c * b.targets.length); });
  return { x: tf.tensor4d(x, [C, B, task.seqLength, task.inputSize]), y: tf.tensor3d(y, [C, B, task.outputSize]) };
}

async function evaluate(model: TrainableModel, task: Task, batches: readonly TaskBatch[], redrawn: readonly TaskBatch[]): Promise<EvalRecord[]> {
  const both = batches.map((b, c) => ({ batch: 2 * b.batch, inputs: concat(b.inputs, redrawn[c].inputs), targets: concat(b.targets, redrawn[c].targets) }));
  const { x, y } = stackBatches(both, task);
  const out = tf.tidy(() => evalTensors(model, x, y, batches[0].batch));
  x.dispose();
  y.dispose();
  return readEval(out, task, batches);
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Trains C configs of one shape (see shapeKey) on a task with one budget; one TrainRun per config. */
export async function trainModels(configs: readonly ModelConfig[], task: Task, budget: TrainBudget, options: TrainOptions = {}): Promise<TrainRun[]> {
  checkBudget(budget);
  const start = performance.now();
  const logEvery = options.logEvery ?? Math.max(1, Math.round(budget.steps / 10));
  const engine = options.engine ?? 'auto';
  if (engine === 'kernel' && !kernelSupports(configs[0])) throw new RangeError(`trainModels: the kernel engine does not implement architecture "${configs[0].architecture}"`);
  const useKernel = engine === 'kernel' || (engine === 'auto' && kernelSupports(configs[0]));
  const model = buildTrainable(configs, task.outputSize);
  const runner = useKernel ? kernelRunner(model, task, budget) : tfjsRunner(model, task, budget);
  const streams = configs.map((c) => trainStream(task, c.seed));
  const evalSets = configs.map((c) => evalBatch(task, c.seed, options.evalBatchSize));
  const redrawn = evalSets.map((b, c) => task.redrawPrefix(b, redrawStream(task, configs[c].seed)));
  const steps: StepRecord[][] = configs.map(() => []);
  const probes: ProbeRecord[][] = configs.map(() => []);
  try {
    const initial = await runner.evaluate(evalSets, redrawn);
    for (let s = 0; s < budget.steps; s++) {
      const instrument = s % logEvery === 0 || s === budget.steps - 1;
      const read = await runner.update(streams.map((r) => task.sample(r, budget.batchSize)), instrument);
      for (const block of read) {
        block.steps.forEach((perModel, k) => perModel.forEach((rec, c) => {
          steps[c].push(rec);
          options.onStep?.({ ...rec, step: block.firstStep + k, model: c });
        }));
        block.probes.forEach((p, c) => probes[c].push({ ...p, step: s }));
      }
    }
    const final = await runner.evaluate(evalSets, redrawn);
    options.onWeights?.(runner.weights());
    const wallMs = performance.now() - start;
    return configs.map((config, c) => ({
      config,
      task: { kind: task.kind, lag: task.lag, seqLength: task.seqLength, baseline: task.baseline },
      budget, steps: steps[c], probes: probes[c], initial: initial[c], final: final[c],
      learned: isLearned(final[c].loss, task),
      plateau: detectPlateau(steps[c].map((r) => r.loss)),
      wallMs, backend: runner.backend,
    }));
  } finally {
    runner.dispose();
  }
}

/** What one update gives back: records of the updates read since the last probe step (tfjs reads lazily), and the probes. */
interface ReadBlock {
  readonly firstStep: number;
  /** [update][model] */
  readonly steps: readonly (readonly StepRecord[])[];
  readonly probes: readonly Omit<ProbeRecord, 'step'>[];
}

interface Runner {
  readonly backend: string;
  evaluate(sets: readonly TaskBatch[], redrawn: readonly TaskBatch[]): Promise<EvalRecord[]>;
  /** One update; returns the blocks read at a probe step (none otherwise). */
  update(batches: readonly TaskBatch[], instrument: boolean): Promise<ReadBlock[]>;
  weights(): Map<TrainableName, Float32Array>;
  dispose(): void;
}

function kernelRunner(model: TrainableModel, task: Task, budget: TrainBudget): Runner {
  let trainer: KernelTrainer;
  try {
    trainer = new KernelTrainer(model, budget.learningRate);
  } finally {
    model.dispose();
  }
  let step = 0;
  return {
    backend: 'wasm-kernel',
    evaluate: async (sets, redrawn) => trainer.evaluate(task, sets, redrawn),
    update: async (batches, instrument) => {
      const { records, probes } = trainer.update(batches, instrument);
      return [{ firstStep: step++, steps: [records], probes: probes ?? [] }];
    },
    weights: () => trainer.weights(),
    dispose: () => undefined,
  };
}

function tfjsRunner(model: TrainableModel, task: Task, budget: TrainBudget): Runner {
  const adam = new Adam(model.params.map((p) => p.variable), budget.learningRate);
  let pending: tf.Tensor[] = [];
  let step = 0;
  return {
    backend: tf.getBackend(),
    evaluate: (sets, redrawn) => evaluate(model, task, sets, redrawn),
    update: async (batches, instrument) => {
      const { x, y } = stackBatches(batches, task);
      const out = trainStep(model, adam, x, y, instrument);
      x.dispose();
      y.dispose();
      pending.push(out.stats);
      step++;
      if (!instrument) return [];
      const read = await readProbes(model, pending, out.probe!);
      const block = { firstStep: step - pending.length, steps: read.steps, probes: read.probes };
      pending = [];
      return [block];
    },
    weights: () => new Map(model.params.map((p) => [p.name, p.variable.dataSync() as Float32Array])),
    dispose: () => {
      for (const t of pending) t.dispose();
      adam.dispose();
      model.dispose();
    },
  };
}
