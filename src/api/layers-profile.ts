import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../config/errors.js';
import { type Log10Series, rowLog10Norms } from '../numerics/log-norm.js';

/** Layer classes whose presence makes a LayersModel recurrent (Bidirectional and TimeDistributed are looked into). */
export const RECURRENT_LAYER_CLASSES = ['SimpleRNN', 'LSTM', 'GRU', 'RNN', 'ConvLSTM2D'] as const;

/** The temporal gradient profile of a tfjs LayersModel. */
export interface LayersGradientProfile extends Log10Series {
  /** Sequence length T; log10[t] is log10 ‖∂L/∂x_t‖ over the batch, t = 0..T−1. */
  readonly steps: number;
  /** The same values indexed by distance from the last step (d = T−1−t), for plots against distance. */
  readonly byDistance: ReadonlyArray<number | null>;
  /** log10‖∂L/∂x_0‖ − log10‖∂L/∂x_{T−1}‖ (negative: the gradient shrank); null when either end underflowed. */
  readonly decadesFirstToLast: number | null;
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

function recurrentLayersOf(model: tf.LayersModel): string[] {
  const found: string[] = [];
  const visit = (layer: tf.layers.Layer, prefix = ''): void => {
    const cls = layer.getClassName();
    const inner = (layer as unknown as { layer?: tf.layers.Layer; forwardLayer?: tf.layers.Layer }).forwardLayer ?? (layer as unknown as { layer?: tf.layers.Layer }).layer;
    if ((RECURRENT_LAYER_CLASSES as readonly string[]).includes(cls)) found.push(`${prefix}${cls}(${layer.name})`);
    else if (inner && (cls === 'Bidirectional' || cls === 'TimeDistributed')) visit(inner, `${prefix}${cls}:`);
    else if ('layers' in layer && Array.isArray((layer as unknown as tf.LayersModel).layers)) for (const l of (layer as unknown as tf.LayersModel).layers) visit(l, prefix);
  };
  for (const layer of model.layers) visit(layer);
  return found;
}

function defaultLoss(output: tf.Tensor): tf.Scalar {
  return output.rank === 3 ? tf.sum(tf.squeeze(tf.slice(output, [0, output.shape[1]! - 1, 0], [-1, 1, -1]), [1])) : tf.sum(output);
}

/**
 * The temporal gradient profile of any tfjs LayersModel with recurrent layers (SimpleRNN, LSTM,
 * GRU, stacked, Bidirectional): log10 ‖∂L/∂x_t‖ for every input step t, the norm taken over the
 * batch and features in float64 from tfjs's float32 gradient. A step whose gradient is entirely
 * below float32's normal range (including exact 0) is flagged in `underflow` with log10 null,
 * never reported as a silent 0. Releases every tensor it creates.
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
  const recurrentLayers = recurrentLayersOf(model);
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
    const perStep = tf.tidy(() => {
      const g = tf.grad((xs: tf.Tensor) => lossOf(model.apply(xs, { training: false }) as tf.Tensor))(x);
      return tf.transpose(g, [1, 0, 2]); // [T, B, D]: each step's gradient contiguous
    });
    let data: Float32Array | Int32Array | Uint8Array;
    try {
      data = await perStep.data();
    } finally {
      perStep.dispose();
    }
    const B = x.shape[0]!;
    const series = rowLog10Norms(data, T, B * D);
    const first = series.log10[0], last = series.log10[T - 1];
    return {
      ...series,
      steps: T,
      byDistance: [...series.log10].reverse(),
      decadesFirstToLast: first === null || last === null ? null : first - last,
      recurrentLayers,
      backend: tf.getBackend(),
    };
  } finally {
    if (owned) x.dispose();
  }
}
