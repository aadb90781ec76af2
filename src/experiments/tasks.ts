import { Rng } from '../models/rng.js';

/**
 * Synthetic long-range-dependency tasks, generated from seeded streams (no downloads), with
 * the analytic loss of the best predictor that cannot use the early input. A model that beats
 * that baseline by the margin below must have carried information across `lag` steps: this is
 * how the experiments test the document's "Consequences" (vanilla RNNs are short-memory models).
 */

/** "Learned" means final eval loss ≤ LEARNED_MARGIN × baseline: at least half the early input's variance explained. */
export const LEARNED_MARGIN = 0.5;
/** Adding problem: the first marker falls in the first ADDING_EARLY_WINDOW steps; T = lag + ADDING_EARLY_WINDOW. */
export const ADDING_EARLY_WINDOW = 5;
/** Var of U(0, 1): the adding baseline's MSE. */
export const UNIFORM_VARIANCE = 1 / 12;
/** Size of the held-out evaluation batch drawn per model. */
export const EVAL_BATCH_SIZE = 512;

export type TaskKind = 'adding' | 'recall';

/** B sequences in tfjs layout: inputs [B, T, D], targets [B, O]. */
export interface TaskBatch {
  readonly batch: number;
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
}

/** One task at one lag. Every field is fixed by (kind, lag); sampling needs only an Rng. */
export interface Task {
  readonly kind: TaskKind;
  /** Steps between the information the target needs and the readout at step T−1 (a lower bound for adding). */
  readonly lag: number;
  readonly seqLength: number;
  readonly inputSize: number;
  readonly outputSize: number;
  /** MSE of the best predictor that ignores every input before step T−lag. */
  readonly baseline: number;
  /** Why the baseline has that value, for reports. */
  readonly baselineReason: string;
  /** Accuracy of that predictor when the task has an accuracy (recall: chance); null otherwise. */
  readonly chanceAccuracy: number | null;
  /** Draws B sequences from rng. */
  sample(rng: Rng, batch: number): TaskBatch;
  /** A copy of `b` whose value channel is redrawn at every step t < T − lag (markers kept): the hidden-state collapse probe's input. */
  redrawPrefix(b: TaskBatch, rng: Rng): TaskBatch;
  /** Fraction of predictions [B, O] with the target's sign (recall), or null when the task has no accuracy. */
  accuracy(predictions: ArrayLike<number>, targets: ArrayLike<number>): number | null;
}

function checkLag(api: string, lag: number): void {
  if (!Number.isInteger(lag) || lag < 1 || lag > 4000) throw new RangeError(`${api}: lag should be an integer from 1 to 4000, got ${lag}`);
}

/** The value channel (0) redrawn at steps t < prefix by `draw`. */
function redrawChannel0(b: TaskBatch, T: number, D: number, prefix: number, draw: () => number): TaskBatch {
  const inputs = b.inputs.slice();
  for (let i = 0; i < b.batch; i++) for (let t = 0; t < prefix; t++) inputs[(i * T + t) * D] = draw();
  return { batch: b.batch, inputs, targets: b.targets.slice() };
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015) at lag L. Two input
 * channels: a value U(0, 1) at every step, and a marker (0 or 1). T = L + W with
 * W = ADDING_EARLY_WINDOW. The first marker is at p₁ ~ U{0..W−1}, the second at p₂ ~ U{W..T−1};
 * the target is x[p₁] + x[p₂]. The readout at T−1 is T−1−p₁ ∈ [L, L+W−1] steps after the first
 * marked value: every dependency spans at least L steps.
 *
 * Baseline: a predictor that ignores the inputs before step T−L = W sees p₂ and x[p₂] but not
 * x[p₁] ~ U(0, 1), independent of all it sees; its best guess is x[p₂] + 1/2, MSE = Var U(0,1) =
 * 1/12 ≈ 0.0833. (Ignoring both values, predicting 1, gives 1/6.)
 */
export function addingTask(lag: number): Task {
  checkLag('addingTask', lag);
  const W = ADDING_EARLY_WINDOW;
  const T = lag + W;
  const D = 2;
  const draw =
    (rng: Rng): (() => number) =>
    () =>
      Math.fround(rng.next());
  return {
    kind: 'adding',
    lag,
    seqLength: T,
    inputSize: D,
    outputSize: 1,
    baseline: UNIFORM_VARIANCE,
    baselineReason: 'x[p2] + 1/2 (first marked value unseen): MSE = Var U(0,1) = 1/12',
    chanceAccuracy: null,
    sample(rng, batch) {
      const inputs = new Float32Array(batch * T * D);
      const targets = new Float32Array(batch);
      for (let i = 0; i < batch; i++) {
        for (let t = 0; t < T; t++) inputs[(i * T + t) * D] = rng.next();
        const p1 = Math.floor(rng.next() * W);
        const p2 = W + Math.floor(rng.next() * lag);
        inputs[(i * T + p1) * D + 1] = 1;
        inputs[(i * T + p2) * D + 1] = 1;
        targets[i] = inputs[(i * T + p1) * D] + inputs[(i * T + p2) * D];
      }
      return { batch, inputs, targets };
    },
    redrawPrefix(b, rng) {
      const out = redrawChannel0(b, T, D, W, draw(rng));
      // The target follows the inputs: recompute it from the redrawn first value.
      for (let i = 0; i < b.batch; i++) {
        let sum = 0;
        for (let t = 0; t < T; t++) if (out.inputs[(i * T + t) * D + 1] === 1) sum += out.inputs[(i * T + t) * D];
        out.targets[i] = sum;
      }
      return out;
    },
    accuracy: () => null,
  };
}

/**
 * Lag-L recall. T = L + 1; two channels: a symbol s_t ∈ {−1, +1} at every step and a marker
 * that is 1 at step 0 only. The target at the readout (step T−1) is s_0 = the symbol at step
 * T−1−L; s_1..s_{T−1} are independent distractors of the same magnitude.
 *
 * Baseline: every input the predictor may use (steps ≥ T−L = 1) is independent of s_0, so the
 * best MSE predictor is E[s_0] = 0 with MSE = E[s_0²] = 1, and the best sign guess is right half
 * of the time (chance accuracy 0.5).
 */
export function recallTask(lag: number): Task {
  checkLag('recallTask', lag);
  const T = lag + 1;
  const D = 2;
  const symbol = (rng: Rng): number => (rng.next() < 0.5 ? -1 : 1);
  return {
    kind: 'recall',
    lag,
    seqLength: T,
    inputSize: D,
    outputSize: 1,
    baseline: 1,
    baselineReason: 'E[s0] = 0 (symbol unseen): MSE = E[s0²] = 1; accuracy 1/2',
    chanceAccuracy: 0.5,
    sample(rng, batch) {
      const inputs = new Float32Array(batch * T * D);
      const targets = new Float32Array(batch);
      for (let i = 0; i < batch; i++) {
        for (let t = 0; t < T; t++) inputs[(i * T + t) * D] = symbol(rng);
        inputs[i * T * D + 1] = 1;
        targets[i] = inputs[i * T * D];
      }
      return { batch, inputs, targets };
    },
    redrawPrefix(b, rng) {
      const out = redrawChannel0(b, T, D, 1, () => symbol(rng));
      for (let i = 0; i < b.batch; i++) out.targets[i] = out.inputs[i * T * D];
      return out;
    },
    accuracy(predictions, targets) {
      let right = 0;
      for (let i = 0; i < targets.length; i++) if (Math.sign(predictions[i]) === Math.sign(targets[i])) right++;
      return right / targets.length;
    },
  };
}

/** The task of a kind at a lag. */
export function makeTask(kind: TaskKind, lag: number): Task {
  return kind === 'adding' ? addingTask(lag) : recallTask(lag);
}

/** The seeded stream of training batches of a model seed (disjoint from the eval stream by name). */
export function trainStream(task: Task, seed: number): Rng {
  return new Rng(seed, `task/${task.kind}/${task.lag}/train`);
}

/** The stream that redraws the eval batch's prefix for the hidden-state collapse probe. */
export function redrawStream(task: Task, seed: number): Rng {
  return new Rng(seed, `task/${task.kind}/${task.lag}/redraw`);
}

/** The held-out evaluation batch of a model seed. */
export function evalBatch(task: Task, seed: number, size = EVAL_BATCH_SIZE): TaskBatch {
  return task.sample(new Rng(seed, `task/${task.kind}/${task.lag}/eval`), size);
}

/** The learned test: eval loss ≤ margin × baseline. */
export function isLearned(evalLoss: number, task: Task, margin = LEARNED_MARGIN): boolean {
  return Number.isFinite(evalLoss) && evalLoss <= margin * task.baseline;
}
