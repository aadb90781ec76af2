import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/types.js';
import { detectPlateau, recurrentSpectra } from './metrics.js';
import { Adam } from './optimizer.js';
import type { CurvePoint, EvalRecord, ProbeRecord, StepEvent, StepRecord, TrainBudget, TrainRun } from './records.js';
import { readEval, readProbes } from './readback.js';
import { type Task, type TaskBatch, LEARNED_MARGIN, evalBatch, redrawStream, trainStream } from './tasks.js';
import { type TrainableModel, type TrainableName, buildTrainable } from './trainable.js';
import { evalTensors, trainStep } from './step.js';
import { tanhOutputOf } from './activations.js';
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
  /** When a run has learned and whether it stops there; default fixedBudgetRule(budget). */
  readonly solve?: SolveRule;
  /** Called once at the end with the trained weights, per trainable tensor, laid out [C, …] (as the tfjs variables). */
  readonly onWeights?: (weights: ReadonlyMap<TrainableName, Float32Array>) => void;
}

export type { CurvePoint, EvalRecord, ProbeRecord, StepEvent, StepRecord, TrainRun } from './records.js';

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
  return readEval(out, task, batches, tanhOutputOf(model.config) !== null);
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
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
  const engine = options.engine ?? 'auto';
  if (engine === 'kernel' && !kernelSupports(configs[0])) throw new RangeError(`trainModels: the kernel engine does not implement architecture "${configs[0].architecture}"`);
  const useKernel = engine === 'kernel' || (engine === 'auto' && kernelSupports(configs[0]));
  const model = buildTrainable(configs, task.outputSize);
  const runner = useKernel ? kernelRunner(model, task, budget) : tfjsRunner(model, task, budget);
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
      block.steps.forEach((perModel, k) => perModel.forEach((rec, c) => {
        const step = block.firstStep + k;
        if (rec === null || step >= trained[c]) return;
        steps[c].push(rec);
        options.onStep?.({ ...rec, step, model: c });
      }));
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
      record(await runner.update(streams.map((r) => task.sample(r, budget.batchSize)), instrument, mask));
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
    // Read right after evaluate, which (on the tfjs engine) put the frozen models' weights back.
    const weights = runner.weights();
    options.onWeights?.(weights);
    const spectra = recurrentSpectra(configs[0].architecture, configs[0].hiddenSize, C, weights.get('weight_hh'));
    const wallMs = performance.now() - start;
    return configs.map((config, c) => ({
      config,
      task: { kind: task.kind, lag: task.lag, seqLength: task.seqLength, baseline: task.baseline },
      budget, rule, steps: steps[c], probes: probes[c], initial: initial[c], final: final[c],
      curve: curve[c], solvedAt: solvedAt[c], updates: trained[c],
      bestLoss: Math.min(...curve[c].map((p) => p.loss)),
      learned: solvedAt[c] !== null,
      plateau: detectPlateau(steps[c].map((r) => r.loss)),
      finalRecurrent: spectra[c],
      wallMs, backend: runner.backend,
    }));
  } finally {
    runner.dispose();
  }
}

/** What one update gives back: records of the updates read since the last read (tfjs reads lazily), and the probes. */
interface ReadBlock {
  readonly firstStep: number;
  /** [update][model]; null for a model that no longer trains. */
  readonly steps: readonly (readonly (StepRecord | null)[])[];
  readonly probeStep: number;
  readonly probes: readonly (Omit<ProbeRecord, 'step'> | null)[];
}

interface Runner {
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

function tfjsRunner(model: TrainableModel, task: Task, budget: TrainBudget): Runner {
  const adam = new Adam(model.params.map((p) => p.variable), budget.learningRate);
  let pending: tf.Tensor[] = [];
  let step = 0;
  /** Weights of frozen models, per variable: the tfjs engine updates all C together, so these are put back at the end. */
  const frozen = new Map<number, Float32Array[]>();
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
      for (const [c, saved] of frozen) {
        model.params.forEach((p, i) => {
          const data = (p.variable.dataSync() as Float32Array).slice();
          data.set(saved[i], c * saved[i].length);
          tf.tidy(() => p.variable.assign(tf.tensor(data, p.variable.shape)));
        });
      }
      return evaluate(model, task, sets, redrawn);
    },
    heldOut: async (sets, mask) => (await evaluate(model, task, sets, sets)).map((e, c) => (mask[c] ? { step, loss: e.loss, accuracy: e.accuracy, activations: e.activations } : null)),
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
      frozen.set(c, model.params.map((p) => {
        const size = p.variable.size / model.count;
        return (p.variable.dataSync() as Float32Array).slice(c * size, (c + 1) * size);
      }));
    },
    weights: () => new Map(model.params.map((p) => [p.name, p.variable.dataSync() as Float32Array])),
    dispose: () => {
      for (const t of pending) t.dispose();
      adam.dispose();
      model.dispose();
    },
  };
}
