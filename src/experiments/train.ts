import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/types.js';
import type { Log10Series } from '../numerics/log-norm.js';
import type { ParamGradStats } from '../probes/param-grads.js';
import { type PlateauResult, detectPlateau } from './metrics.js';
import { Adam } from './optimizer.js';
import { readEval, readProbes } from './readback.js';
import { type Task, type TaskBatch, evalBatch, isLearned, redrawStream, trainStream } from './tasks.js';
import { type TrainableModel, type TrainableName, buildTrainable } from './trainable.js';
import { evalTensors, trainStep } from './step.js';

/**
 * Training of C models of one shape at once (the leading config axis): each model has its own
 * seed, weights, data stream, Adam state and gradient clip, so the result for each equals
 * training it alone. Determinism: every random number comes from Rng streams of the seed; the
 * tfjs cpu and wasm kernels are not known to reorder sums between runs, and the specs check
 * that two runs give bit-identical losses on the backend in use.
 */

/** The fixed budget, identical across models at a lag. */
export interface TrainBudget {
  /** Adam updates. */
  readonly steps: number;
  /** Fresh sequences per update (per model). */
  readonly batchSize: number;
  readonly learningRate: number;
  readonly hiddenSize: number;
}

export const DEFAULT_BUDGET: TrainBudget = { steps: 300, batchSize: 32, learningRate: 3e-3, hiddenSize: 32 };

export interface TrainOptions {
  /** Probe every `logEvery` updates (and at the first and last); default steps/10. */
  readonly logEvery?: number;
  readonly evalBatchSize?: number;
  /** Called once per model and update, in order, when the stats are read back (at probe steps). */
  readonly onStep?: (event: StepEvent) => void;
}

/** What the training loop records at every update, per model (gradients are taken before clipping). */
export interface StepRecord {
  readonly loss: number;
  /** Global L2 norm of the model's gradient before clipping. */
  readonly gradNorm: number;
  /** The document's detector quantities for every trainable tensor of the model. */
  readonly params: Partial<Record<TrainableName, ParamGradStats>>;
}

export interface StepEvent extends StepRecord {
  readonly step: number;
  readonly model: number;
}

/** The probes taken every `logEvery` updates (on that update's batch, before its update). */
export interface ProbeRecord {
  readonly step: number;
  /** log10 ‖∂L/∂s_t‖ over the batch (s = [h; c] for the LSTM), t = 0..T−1. */
  readonly gradState: Log10Series;
  /** log10 ‖G_t‖_F of step t's term G_t = h_{t−1}ᵀ·∂L/∂u_t of ∂L/∂W_hh (from per-step W_hh copies). */
  readonly wHhTerms: Log10Series;
  /** ‖∇W_hh‖ / ‖∇W_ih‖. */
  readonly hhOverIh: number;
}

export interface EvalRecord {
  readonly loss: number;
  readonly accuracy: number | null;
  /** Hidden-state collapse: RMS ‖h_{T−1}(x) − h_{T−1}(x')‖ / RMS ‖h_{T−1}(x)‖ over the eval batch, x' = x with every input before step T−lag redrawn. */
  readonly collapse: number;
}

export interface TrainRun {
  readonly config: ModelConfig;
  readonly task: { readonly kind: Task['kind']; readonly lag: number; readonly seqLength: number; readonly baseline: number };
  readonly budget: TrainBudget;
  readonly steps: readonly StepRecord[];
  readonly probes: readonly ProbeRecord[];
  readonly initial: EvalRecord;
  readonly final: EvalRecord;
  readonly learned: boolean;
  readonly plateau: PlateauResult;
  /** Wall time of the whole batch of C models (shared). */
  readonly wallMs: number;
  readonly backend: string;
}

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
  const model = buildTrainable(configs, task.outputSize);
  const adam = new Adam(model.params.map((p) => p.variable), budget.learningRate);
  const streams = configs.map((c) => trainStream(task, c.seed));
  const evalSets = configs.map((c) => evalBatch(task, c.seed, options.evalBatchSize));
  const redrawn = evalSets.map((b, c) => task.redrawPrefix(b, redrawStream(task, configs[c].seed)));
  const steps: StepRecord[][] = configs.map(() => []);
  const probes: ProbeRecord[][] = configs.map(() => []);
  try {
    const initial = await evaluate(model, task, evalSets, redrawn);
    let pending: tf.Tensor[] = [];
    for (let s = 0; s < budget.steps; s++) {
      const instrument = s % logEvery === 0 || s === budget.steps - 1;
      const { x, y } = stackBatches(streams.map((r) => task.sample(r, budget.batchSize)), task);
      const out = trainStep(model, adam, x, y, instrument);
      x.dispose();
      y.dispose();
      pending.push(out.stats);
      if (instrument) {
        const read = await readProbes(model, pending, out.probe!);
        read.steps.forEach((perModel, k) => perModel.forEach((rec, c) => {
          steps[c].push(rec);
          options.onStep?.({ ...rec, step: s - pending.length + 1 + k, model: c });
        }));
        read.probes.forEach((p, c) => probes[c].push({ ...p, step: s }));
        pending = [];
      }
    }
    const final = await evaluate(model, task, evalSets, redrawn);
    const wallMs = performance.now() - start;
    return configs.map((config, c) => ({
      config,
      task: { kind: task.kind, lag: task.lag, seqLength: task.seqLength, baseline: task.baseline },
      budget, steps: steps[c], probes: probes[c], initial: initial[c], final: final[c],
      learned: isLearned(final[c].loss, task),
      plateau: detectPlateau(steps[c].map((r) => r.loss)),
      wallMs, backend: tf.getBackend(),
    }));
  } finally {
    adam.dispose();
    model.dispose();
  }
}
