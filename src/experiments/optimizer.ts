import * as tf from '@tensorflow/tfjs';

/**
 * Adam (Kingma & Ba 2015) with per-model gradient clipping by global norm, written with raw
 * ops over tensors that carry a leading config axis C, so C independent models share one
 * update. Both steps are per model: one model's large gradient never rescales another's.
 */

/** Clip each model's gradient to this global L2 norm (over all its trainable tensors), as torch.nn.utils.clip_grad_norm_(…, 1.0). */
export const GRAD_CLIP_NORM = 1;
/** PyTorch's and tfjs's Adam defaults. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

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

  constructor(private readonly variables: readonly tf.Variable[], private readonly learningRate: number) {
    if (!(learningRate > 0)) throw new RangeError(`Adam: learningRate should be > 0, got ${learningRate}`);
    const C = variables[0].shape[0];
    this.sizes = variables.map((x) => x.size / C);
    const N = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.tidy(() => tf.variable(tf.zeros([C, N]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([C, N]), false));
  }

  /** Applies one update from gradients in the variables' order, each model's scaled by clipScale [C]. Call inside tf.tidy. */
  apply(grads: readonly tf.Tensor[], clipScale: tf.Tensor): void {
    this.step++;
    const C = this.m.shape[0];
    const c1 = 1 - ADAM_BETA1 ** this.step;
    const c2 = 1 - ADAM_BETA2 ** this.step;
    const g = tf.mul(tf.concat(grads.map((x) => tf.reshape(x, [C, -1])), 1), tf.reshape(clipScale, [C, 1]));
    const m = tf.add(tf.mul(this.m, ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1));
    const v = tf.add(tf.mul(this.v, ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2));
    this.m.assign(m);
    this.v.assign(v);
    const update = tf.div(tf.mul(m, this.learningRate / c1), tf.add(tf.sqrt(tf.div(v, c2)), ADAM_EPSILON));
    const parts = tf.split(update, this.sizes, 1);
    this.variables.forEach((x, i) => x.assign(tf.sub(x, tf.reshape(parts[i], x.shape))));
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
