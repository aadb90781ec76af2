import * as tf from '@tensorflow/tfjs';
import { backendUnderflowFloor } from '../backend/float32.js';
import { ConfigError } from '../config/errors.js';
import { type Float32Overflow, type Log10Series, markOverflow, rowLog10Norms } from '../numerics/log-norm.js';

/** Layer classes whose presence makes a LayersModel recurrent (Bidirectional and TimeDistributed are looked into). */
export const RECURRENT_LAYER_CLASSES = ['SimpleRNN', 'LSTM', 'GRU', 'RNN', 'ConvLSTM2D'] as const;

/**
 * Where float32 can overflow in a LayersModel's profile: the model's output y_t (a [B, T, O]
 * output), the loss L (when the output has no time axis, the step is unknown), or ∂L/∂x_t.
 */
export type LayersQuantity = 'forward output y_t' | 'forward loss L' | 'backward ∂L/∂x_t';

/** The temporal gradient profile of a tfjs LayersModel. */
export interface LayersGradientProfile extends Log10Series {
  /**
   * True where float32 overflowed (log10 NaN there): every step when the forward pass did (every
   * ∂L/∂x_t is computed through it), else each step whose gradient held ±∞ or NaN.
   */
  readonly overflow: readonly boolean[];
  /** Where float32 first overflowed: the forward pass's earliest step, else the latest step whose gradient did; null when nothing did. */
  readonly firstOverflow: Float32Overflow<LayersQuantity> | null;
  /** Sequence length T; log10[t] is log10 ‖∂L/∂x_t‖ over the batch, t = 0..T−1. */
  readonly steps: number;
  /** The same values indexed by distance from the last step (d = T−1−t), for plots against distance. */
  readonly byDistance: ReadonlyArray<number | null>;
  /** log10‖∂L/∂x_0‖ − log10‖∂L/∂x_{T−1}‖ (negative: the gradient shrank); null when either end underflowed, NaN when either overflowed. */
  readonly decadesFirstToLast: number | null;
  /**
   * The norm below which a step is flagged as underflow although some entry is normal: what the
   * products this backend flushes to zero can make up alone (src/backend/float32.ts; about 1e-43
   * or less where subnormals are kept, so no flag moves there; above 1e-36 on tfjs-node).
   */
  readonly underflowFloor: number;
  /** Recurrent layers found, as "ClassName(name)" (Bidirectional as "Bidirectional(LSTM)(name)"). */
  readonly recurrentLayers: readonly string[];
  readonly backend: string;
}

export interface GradientProfileOptions {
  /**
   * The scalar loss of the model's output. Default: the sum of the output at the last step
   * (a [B, T, O] output) or of the whole output ([B, O]): the document's `hidden[-1].sum()`.
   */
  readonly loss?: (output: tf.Tensor) => tf.Scalar;
}

/** The recurrent layers of a model, named for the result, and the widest sum of products per entry their weights make. */
function recurrentLayersOf(model: tf.LayersModel): { names: string[]; terms: number } {
  const names: string[] = [];
  let terms = 1;
  const visit = (layer: tf.layers.Layer, prefix = ''): void => {
    const cls = layer.getClassName();
    const inner = (layer as unknown as { layer?: tf.layers.Layer; forwardLayer?: tf.layers.Layer }).forwardLayer ?? (layer as unknown as { layer?: tf.layers.Layer }).layer;
    if ((RECURRENT_LAYER_CLASSES as readonly string[]).includes(cls)) {
      names.push(`${prefix}${cls}(${layer.name})`);
      terms = Math.max(terms, ...layer.weights.map((w) => productsPerEntry(w.shape.map((d) => d ?? 1))));
    } else if (inner && (cls === 'Bidirectional' || cls === 'TimeDistributed')) visit(inner, `${prefix}${cls}:`);
    else if ('layers' in layer && Array.isArray((layer as unknown as tf.LayersModel).layers)) for (const l of (layer as unknown as tf.LayersModel).layers) visit(l, prefix);
  };
  for (const layer of model.layers) visit(layer);
  return { names, terms };
}

/**
 * Products an entry sums through a weight of this shape, forward and backward together: for a
 * kernel [in, gates·units], in (x·W) + gates·units (g·Wᵀ); for a convolution kernel, its window
 * times its input channels + its output channels. A bias (rank 1) sums nothing.
 */
function productsPerEntry(shape: readonly number[]): number {
  if (shape.length < 2) return 1;
  return shape.slice(0, -1).reduce((a, b) => a * b, 1) + shape[shape.length - 1];
}

/** [T] bool for a [B, T, O] output (true where every entry of y_t is finite), [1] otherwise. Not tidied. */
function finiteOutput(y: tf.Tensor): tf.Tensor {
  return y.rank === 3 ? tf.all(tf.isFinite(y), [0, 2]) : tf.reshape(tf.all(tf.isFinite(y)), [1]);
}

function defaultLoss(output: tf.Tensor): tf.Scalar {
  return output.rank === 3 ? tf.sum(tf.squeeze(tf.slice(output, [0, output.shape[1]! - 1, 0], [-1, 1, -1]), [1])) : tf.sum(output);
}

/**
 * The temporal gradient profile of any tfjs LayersModel with recurrent layers (SimpleRNN, LSTM,
 * GRU, stacked, Bidirectional): log10 ‖∂L/∂x_t‖ for every input step t, the norm taken over the
 * batch and features in float64 from tfjs's float32 gradient. A step whose gradient is entirely
 * below float32's normal range (including exact 0) is flagged in `underflow` with log10 null,
 * never reported as a silent 0; so is one whose norm lies below what products flushed to zero
 * could make up alone, on a backend that flushes subnormals (tfjs-node: src/backend/float32.ts;
 * the products per entry are read off the recurrent layers' weights). A step where float32 overflowed is flagged in `overflow` with
 * log10 NaN, and `firstOverflow` names the quantity and step: a forward overflow is seen in the
 * output or the loss (one that the model turns back into finite numbers, a ReLU of NaN for
 * instance, cannot be seen from outside the layers). Releases every tensor it creates.
 *
 * @param model a LayersModel whose first input is a sequence [batch, T, features]
 * @param input that sequence: a rank-3 tensor or nested arrays, T ≥ 2
 * @throws ConfigError naming `model` or `input` when the model has no recurrent layer or the input's shape does not fit
 *
 * @example
 * const model = tf.sequential({ layers: [tf.layers.lstm({ units: 32, inputShape: [100, 8] })] });
 * const p = await gradientProfile(model, tf.randomNormal([4, 100, 8]));
 * p.byDistance[99]; // log10 ‖∂L/∂x_0‖, or null if it underflowed
 */
export async function gradientProfile(model: tf.LayersModel, input: tf.Tensor | number[][][], options: GradientProfileOptions = {}): Promise<LayersGradientProfile> {
  if (!model || typeof (model as { apply?: unknown }).apply !== 'function' || !Array.isArray((model as { layers?: unknown }).layers)) {
    throw new ConfigError('model', model, 'a tf.LayersModel (tf.sequential or tf.model)');
  }
  const { names: recurrentLayers, terms } = recurrentLayersOf(model);
  if (recurrentLayers.length === 0) throw new ConfigError('model', model.name, `a LayersModel with at least one ${RECURRENT_LAYER_CLASSES.join(', ')} layer (or one wrapped in Bidirectional)`);
  const owned = !(input instanceof tf.Tensor);
  let x: tf.Tensor;
  try {
    x = owned ? tf.tensor(input as number[][][]) : (input as tf.Tensor);
  } catch (e) {
    throw new ConfigError('input', '(nested array)', `a rank-3 array [batch, T, features] of numbers (${(e as Error).message})`);
  }
  try {
    const expected = model.inputs[0]?.shape ?? [];
    if (x.rank !== 3) throw new ConfigError('input', `shape [${x.shape.join(', ')}]`, 'a rank-3 tensor [batch, T, features]');
    const [, T, D] = x.shape as number[];
    if (!(T >= 2)) throw new ConfigError('input', `T = ${T}`, 'a sequence of at least 2 steps');
    if (expected.length === 3 && ((expected[1] !== null && expected[1] !== T) || (expected[2] !== null && expected[2] !== D))) {
      throw new ConfigError('input', `shape [${x.shape.join(', ')}]`, `[batch, ${expected[1] ?? 'T'}, ${expected[2]}] to match the model's input`);
    }
    if (x.dtype !== 'float32') throw new ConfigError('input', `dtype ${x.dtype}`, 'float32');
    const lossOf = options.loss ?? defaultLoss;
    // The output's finiteness is kept out of the gradient's scope (tf.keep) and released below, or here if the loss throws.
    const kept: { outputFinite?: tf.Tensor } = {};
    let perStep: tf.Tensor, loss: tf.Tensor;
    try {
      [perStep, loss] = tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((xs: tf.Tensor) => {
          const y = model.apply(xs, { training: false }) as tf.Tensor;
          kept.outputFinite = tf.keep(finiteOutput(y));
          return lossOf(y);
        })(x);
        return [tf.transpose(grad, [1, 0, 2]), value]; // [T, B, D]: each step's gradient contiguous
      });
    } catch (e) {
      kept.outputFinite?.dispose();
      throw e;
    }
    const outputFinite = kept.outputFinite!;
    let read: tf.TypedArray[];
    try {
      read = await Promise.all([perStep.data(), loss.data(), outputFinite.data()]);
    } finally {
      for (const t of [perStep, loss, outputFinite]) t.dispose();
    }
    const [data, lossValue, outFinite] = read;
    const B = x.shape[0]!;
    const underflowFloor = backendUnderflowFloor(B * D, terms);
    const measured = rowLog10Norms(data, T, B * D, 0, B * D, underflowFloor);
    const outputBad = Array.from(outFinite).indexOf(0);
    const forwardStep = outFinite.length === T ? outputBad : -1;
    const forward = outputBad >= 0 || !Number.isFinite(lossValue[0]);
    const backwardStep = measured.overflow.lastIndexOf(true);
    const series = forward ? markOverflow(measured, () => true) : measured;
    const firstOverflow: Float32Overflow<LayersQuantity> | null = forward
      ? (forwardStep >= 0 ? { quantity: 'forward output y_t', step: forwardStep } : { quantity: 'forward loss L', step: null })
      : backwardStep >= 0 ? { quantity: 'backward ∂L/∂x_t', step: backwardStep } : null;
    const first = series.log10[0], last = series.log10[T - 1];
    return {
      ...series,
      steps: T,
      byDistance: [...series.log10].reverse(),
      decadesFirstToLast: first === null || last === null ? null : first - last,
      firstOverflow,
      underflowFloor,
      recurrentLayers,
      backend: tf.getBackend(),
    };
  } finally {
    if (owned) x.dispose();
  }
}
