import * as tf from '@tensorflow/tfjs';
import { backendUnderflowFloor } from '../backend/float32.js';
import { ConfigError } from '../config/errors.js';
import { type Float32Overflow, type Log10Series, markOverflow, rowLog10Norms } from '../numerics/log-norm.js';
import { callLoss, checkInput, checkLoss, checkModel, inputTensor, releaseTape } from './profile-input.js';
import { productsPerEntryOf } from './recurrent-layers.js';

export { RECURRENT_LAYER_CLASSES } from './recurrent-layers.js';

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
  /**
   * Decades the gradient lost from the last step to the first: log10‖∂L/∂x_{T−1}‖ − log10‖∂L/∂x_0‖,
   * positive when the gradient shrank (vanished), negative when it grew. null when either end
   * underflowed (`underflow[0]` or `underflow[T−1]`), NaN when either overflowed (`overflow` says which).
   */
  readonly decadesLost: number | null;
  /**
   * log10‖∂L/∂x_0‖ − log10‖∂L/∂x_{T−1}‖, that is −decadesLost: negative when the gradient shrank.
   * @deprecated Read {@link LayersGradientProfile.decadesLost}, which is positive for a vanishing gradient; this field keeps its sign for code written against 0.1.
   */
  readonly decadesFirstToLast: number | null;
  /**
   * The norm below which a step is flagged as underflow although some entry is normal: what the
   * products this backend flushes to zero can make up alone (src/backend/float32.ts; about 1e-43
   * or less where subnormals are kept, so no flag moves there; above 1e-36 on tfjs-node).
   */
  readonly underflowFloor: number;
  /**
   * Recurrent layers found, as "ClassName(name)"; one inside a wrapper as "Wrapper(ClassName)(name)"
   * with the wrapper's name, e.g. "Bidirectional(GRU)(bidirectional_Bidirectional1)".
   */
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
 * instance, cannot be seen from outside the layers). Releases every tensor it creates, on every
 * path: a bad argument, a loss that throws, a model that throws.
 *
 * @param model a LayersModel whose first input is a sequence [batch, T, features]
 * @param input that sequence: a rank-3 float32 tensor or nested arrays of finite numbers, no
 *   dimension 0, T from MIN_PROFILE_STEPS (2) to MAX_SEQ_LENGTH (5000), as `vg profile` takes
 * @param options `loss`: a function from the model's output to a scalar tensor
 * @throws ConfigError naming `model`, `input` or `options.loss`: no recurrent layer; an input of
 *   the wrong shape, type or length, empty, or holding NaN or ±∞; a loss that throws (its error
 *   is the cause) or returns anything but a scalar tensor computed from the output
 *
 * @example
 * const model = tf.sequential({ layers: [tf.layers.lstm({ units: 32, inputShape: [100, 8] })] });
 * const p = await gradientProfile(model, tf.randomNormal([4, 100, 8]));
 * p.byDistance[99]; // log10 ‖∂L/∂x_0‖, or null if it underflowed
 * p.decadesLost;    // decades lost from the last step to the first (positive: the gradient vanished)
 */
export async function gradientProfile(
  model: tf.LayersModel,
  input: tf.Tensor | number[][][],
  options: GradientProfileOptions = {},
): Promise<LayersGradientProfile> {
  const recurrentLayers = checkModel(model);
  const lossOf = checkLoss(options) ?? defaultLoss;
  const { x, owned } = inputTensor(input);
  try {
    const { B, T, D } = await checkInput(model, x);
    const { data, lossValue, outFinite } = await backward(model, x, lossOf);
    const underflowFloor = backendUnderflowFloor(B * D, productsPerEntryOf(model));
    const measured = rowLog10Norms(data, T, B * D, 0, B * D, underflowFloor);
    const outputBad = Array.from(outFinite).indexOf(0);
    const forwardStep = outFinite.length === T ? outputBad : -1;
    const forward = outputBad >= 0 || !Number.isFinite(lossValue);
    const backwardStep = measured.overflow.lastIndexOf(true);
    const series = forward ? markOverflow(measured, () => true) : measured;
    const firstOverflow: Float32Overflow<LayersQuantity> | null = forward
      ? forwardStep >= 0
        ? { quantity: 'forward output y_t', step: forwardStep }
        : { quantity: 'forward loss L', step: null }
      : backwardStep >= 0
        ? { quantity: 'backward ∂L/∂x_t', step: backwardStep }
        : null;
    const first = series.log10[0],
      last = series.log10[T - 1];
    const decadesLost = first === null || last === null ? null : last - first;
    return {
      ...series,
      steps: T,
      byDistance: [...series.log10].reverse(),
      decadesLost,
      decadesFirstToLast: decadesLost === null ? null : -decadesLost,
      firstOverflow,
      underflowFloor,
      recurrentLayers,
      backend: tf.getBackend(),
    };
  } finally {
    if (owned) x.dispose();
  }
}

/**
 * One forward and backward pass: ∂L/∂x by step ([T, B, D] read back flat), L, and which output
 * steps were finite. On any error inside the tape (the model's, the loss's) the tape's saved
 * tensors and the kept output flags are released before the error goes on; tfjs's "cannot compute
 * gradient" (a loss not computed from the output) becomes a ConfigError naming `options.loss`.
 */
async function backward(
  model: tf.LayersModel,
  x: tf.Tensor,
  lossOf: (output: tf.Tensor) => tf.Scalar,
): Promise<{ data: tf.TypedArray; lossValue: number; outFinite: tf.TypedArray }> {
  // The output's finiteness is kept out of the gradient's scope (tf.keep) and released below.
  const kept: { outputFinite?: tf.Tensor } = {};
  let perStep: tf.Tensor, loss: tf.Tensor;
  try {
    [perStep, loss] = tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((xs: tf.Tensor) => {
        const y = model.apply(xs, { training: false });
        if (!(y instanceof tf.Tensor)) throw new ConfigError('model', model.name, 'a model with one output tensor (this one has several)');
        kept.outputFinite = tf.keep(finiteOutput(y));
        return callLoss(lossOf, y);
      })(x);
      return [tf.transpose(grad, [1, 0, 2]), value]; // [T, B, D]: each step's gradient contiguous
    });
  } catch (e) {
    releaseTape();
    kept.outputFinite?.dispose();
    if (e instanceof Error && !(e instanceof ConfigError) && /Cannot compute gradient of y=f\(x\)/.test(e.message)) {
      throw new ConfigError(
        'options.loss',
        "a function whose result does not depend on the model's output",
        'a scalar computed from the output, e.g. tf.sum(output)',
        { cause: e },
      );
    }
    throw e;
  }
  const outputFinite = kept.outputFinite!;
  try {
    const [data, lossData, outFinite] = await Promise.all([perStep.data(), loss.data(), outputFinite.data()]);
    return { data, lossValue: lossData[0], outFinite };
  } finally {
    for (const t of [perStep, loss, outputFinite]) t.dispose();
  }
}
