import * as tf from '@tensorflow/tfjs';
import { tanhOutputOf } from './activations.js';
import { KernelTrainer } from './kernel-train.js';
import { Adam } from './optimizer.js';
import { readEval, readProbes } from './readback.js';
import type { CurvePoint, EvalRecord, ProbeRecord, StepRecord, TrainBudget } from './records.js';
import { evalTensors, trainStep } from './step.js';
import type { Task, TaskBatch } from './tasks.js';
import type { TrainableModel, TrainableName } from './trainable.js';

/** Stacks one batch per model into [C, B, T, D] inputs and [C, B, O] targets. */
function stackBatches(batches: readonly TaskBatch[], task: Task): { x: tf.Tensor; y: tf.Tensor } {
  const B = batches[0].batch;
  const C = batches.length;
  const x = new Float32Array(C * B * task.seqLength * task.inputSize);
  const y = new Float32Array(C * B * task.outputSize);
  batches.forEach((b, c) => {
    x.set(b.inputs, c * b.inputs.length);
    y.set(b.targets, c * b.targets.length);
  });
  return { x: tf.tensor4d(x, [C, B, task.seqLength, task.inputSize]), y: tf.tensor3d(y, [C, B, task.outputSize]) };
}

async function evaluate(model: TrainableModel, task: Task, batches: readonly TaskBatch[], redrawn: readonly TaskBatch[]): Promise<EvalRecord[]> {
  const both = batches.map((b, c) => ({ batch: 2 * b.batch, inputs: concat(b.inputs, redrawn[c].inputs), targets: concat(b.targets, redrawn[c].targets) }));
  const { x, y } = stackBatches(both, task);
  const out = tf.tidy(() => evalTensors(model, x, y, batches[0].batch));
  x.dispose();
  y.dispose();
  return readEval(out, task, batches, tanhOutputOf(model.config) !== null);
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** What one update gives back: records of the updates read since the last read (tfjs reads lazily), and the probes. */
export interface ReadBlock {
  readonly firstStep: number;
  /** [update][model]; null for a model that no longer trains. */
  readonly steps: readonly (readonly (StepRecord | null)[])[];
  readonly probeStep: number;
  readonly probes: readonly (Omit<ProbeRecord, 'step'> | null)[];
}

/**
 * One training engine as trainModels (train.ts) drives it: the fused kernel's (kernelRunner,
 * kernel-train.ts) or the tfjs ops' (tfjsRunner: step.ts, bptt.ts), the reference it is tested against.
 */
export interface Runner {
  readonly backend: string;
  /** Held-out and prefix-redrawn sets: loss, accuracy and collapse, and the held-out set's activation statistics. */
  evaluate(sets: readonly TaskBatch[], redrawn: readonly TaskBatch[]): Promise<EvalRecord[]>;
  /** Held-out set only (the curve: loss, accuracy, activation statistics), for the models in `mask`; null for the others. */
  heldOut(sets: readonly TaskBatch[], mask: readonly boolean[]): Promise<(CurvePoint | null)[]>;
  /** One update of the models in `mask`; returns what was read (nothing between probe steps, for tfjs). */
  update(batches: readonly TaskBatch[], instrument: boolean, mask: readonly boolean[]): Promise<ReadBlock[]>;
  /** Reads what is still pending. */
  flush(): Promise<ReadBlock[]>;
  /** Model c stops here: its weights stay as they are now. */
  freeze(c: number): void;
  /** Each model's weights now, per trainable tensor, laid out [C, …]; a frozen model's as they were when it froze, whatever was called before. */
  weights(): Map<TrainableName, Float32Array>;
  dispose(): void;
}

/** The fused kernel's engine; takes the model's initial weights and disposes of it. */
export function kernelRunner(model: TrainableModel, task: Task, budget: TrainBudget): Runner {
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
    heldOut: async (sets, mask) => trainer.heldOut(task, sets, mask),
    update: async (batches, instrument, mask) => {
      const { records, probes } = trainer.update(batches, instrument, mask);
      const at = step++;
      return [{ firstStep: at, steps: [records], probeStep: at, probes: probes ?? [] }];
    },
    flush: async () => [],
    freeze: () => undefined, // a masked model is not updated
    weights: () => trainer.weights(),
    dispose: () => undefined,
  };
}

/** The tfjs engine on the resolved backend; owns the model (disposed of by dispose). */
export function tfjsRunner(model: TrainableModel, task: Task, budget: TrainBudget): Runner {
  const adam = new Adam(
    model.params.map((p) => p.variable),
    budget.learningRate,
  );
  let pending: tf.Tensor[] = [];
  let step = 0;
  /**
   * Weights of frozen models, per variable: the tfjs engine updates all C together, so these are
   * put back before each evaluation and read in their place by weights().
   */
  const frozen = new Map<number, Float32Array[]>();
  /** Variable i's values with each frozen model's saved slice in place of what later updates made of it. */
  const withFrozen = (i: number): Float32Array => {
    const data = (model.params[i].variable.dataSync() as Float32Array).slice();
    for (const [c, saved] of frozen) data.set(saved[i], c * saved[i].length);
    return data;
  };
  const read = async (probe: tf.Tensor | null, probeStep: number): Promise<ReadBlock[]> => {
    if (pending.length === 0 && !probe) return [];
    const r = await readProbes(model, pending, probe);
    const block = { firstStep: step - pending.length, steps: r.steps, probeStep, probes: r.probes };
    pending = [];
    return [block];
  };
  return {
    backend: tf.getBackend(),
    evaluate: (sets, redrawn) => {
      if (frozen.size > 0) model.params.forEach((p, i) => tf.tidy(() => p.variable.assign(tf.tensor(withFrozen(i), p.variable.shape))));
      return evaluate(model, task, sets, redrawn);
    },
    heldOut: async (sets, mask) =>
      (await evaluate(model, task, sets, sets)).map((e, c) => (mask[c] ? { step, loss: e.loss, accuracy: e.accuracy, activations: e.activations } : null)),
    update: async (batches, instrument) => {
      const { x, y } = stackBatches(batches, task);
      const out = trainStep(model, adam, x, y, instrument);
      x.dispose();
      y.dispose();
      pending.push(out.stats);
      step++;
      return instrument ? read(out.probe!, step - 1) : [];
    },
    flush: () => read(null, step),
    freeze: (c) => {
      frozen.set(
        c,
        model.params.map((p) => {
          const size = p.variable.size / model.count;
          return (p.variable.dataSync() as Float32Array).slice(c * size, (c + 1) * size);
        }),
      );
    },
    weights: () => new Map(model.params.map((p, i) => [p.name, withFrozen(i)])),
    dispose: () => {
      for (const t of pending) t.dispose();
      adam.dispose();
      model.dispose();
    },
  };
}
