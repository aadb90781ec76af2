import * as tf from '@tensorflow/tfjs';
import { type AdamArithmetic, adamRule, adamSchedule } from './adam-rule.js';

/**
 * Adam (Kingma & Ba 2015; its rule in adam-rule.ts, shared with the kernel engine) with
 * per-model gradient clipping by global norm, written with raw ops over tensors that carry a
 * leading config axis C, so C independent models share one update. Both steps are per model:
 * one model's large gradient never rescales another's.
 */

/** Clip each model's gradient to this global L2 norm (over all its trainable tensors), as torch.nn.utils.clip_grad_norm_(…, 1.0). */
export const GRAD_CLIP_NORM = 1;
export { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './adam-rule.js';

/** Float32 tensors, one tfjs op per operation. */
const TENSOR_ARITHMETIC: AdamArithmetic<tf.Tensor> = {
  add: (a, b) => tf.add(a, b),
  div: (a, b) => tf.div(a, b),
  times: (a, k) => tf.mul(a, k),
  over: (a, k) => tf.div(a, k),
  plus: (a, k) => tf.add(a, k),
  sqrt: (a) => tf.sqrt(a),
  squareTimes: (g, k) => tf.mul(tf.square(g), k),
};

/** Per-model statistics of a list of gradients (leading axis C), for the detector and the clip. */
export interface GradientSummary {
  /** [C, 3P]: for each gradient in order, its norm, mean |g| and max |g|. */
  readonly stats: tf.Tensor;
  /** [C]: each model's global L2 norm over all its gradients (before clipping). */
  readonly globalNorm: tf.Tensor;
  /** [C]: min(1, GRAD_CLIP_NORM / globalNorm), the factor clipping multiplies the gradients by. */
  readonly clipScale: tf.Tensor;
}

/**
 * Norms are taken as max|g|·‖g/max|g|‖ so that squaring tiny gradients cannot underflow
 * float32 (the detector's threshold is 1e-7, and smaller values are what it looks for).
 */
export function summarizeGradients(grads: readonly tf.Tensor[], maxNorm = GRAD_CLIP_NORM): GradientSummary {
  const C = grads[0].shape[0];
  const columns: tf.Tensor[] = [];
  const norms: tf.Tensor[] = [];
  for (const g of grads) {
    const a = tf.abs(tf.reshape(g, [C, -1]));
    const maxAbs = tf.max(a, 1);
    const scaled = tf.div(a, tf.reshape(tf.maximum(maxAbs, 1e-37), [C, 1]));
    const norm = tf.mul(maxAbs, tf.sqrt(tf.sum(tf.square(scaled), 1)));
    norms.push(norm);
    columns.push(norm, tf.mean(a, 1), maxAbs);
  }
  const globalNorm = tf.sqrt(tf.sum(tf.square(tf.stack(norms, 1)), 1));
  const clipScale = tf.minimum(1, tf.div(maxNorm, tf.maximum(globalNorm, 1e-30)));
  return { stats: tf.stack(columns, 1), globalNorm, clipScale };
}

/**
 * Adam state for a fixed list of variables with a leading config axis C, kept flat ([C, N]) so an
 * update costs a dozen kernels whatever the number of tensors.
 */
export class Adam {
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly sizes: number[];
  private step = 0;

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly learningRate: number,
  ) {
    if (!(learningRate > 0)) throw new RangeError(`Adam: learningRate should be > 0, got ${learningRate}`);
    const C = variables[0].shape[0];
    this.sizes = variables.map((x) => x.size / C);
    const N = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.tidy(() => tf.variable(tf.zeros([C, N]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([C, N]), false));
  }

  /** Applies one update (adam-rule.ts) from gradients in the variables' order, each model's scaled by clipScale [C]. Call inside tf.tidy. */
  apply(grads: readonly tf.Tensor[], clipScale: tf.Tensor): void {
    this.step++;
    const C = this.m.shape[0];
    const g = tf.mul(
      tf.concat(
        grads.map((x) => tf.reshape(x, [C, -1])),
        1,
      ),
      tf.reshape(clipScale, [C, 1]),
    );
    const { m, v, delta } = adamRule(TENSOR_ARITHMETIC, g, this.m, this.v, adamSchedule(this.learningRate, this.step));
    this.m.assign(m);
    this.v.assign(v);
    const parts = tf.split(delta, this.sizes, 1);
    this.variables.forEach((x, i) => x.assign(tf.sub(x, tf.reshape(parts[i], x.shape))));
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
