import * as tf from '@tensorflow/tfjs';
import { ConfigError, describeValue } from '../config/errors.js';
import { profileSteps } from '../config/validate.js';
import { RECURRENT_LAYER_CLASSES, recurrentLayersOf } from './recurrent-layers.js';

/**
 * gradientProfile's arguments, checked at the boundary: everything a user can get wrong is a
 * ConfigError naming the argument (`model`, `input`, `options.loss`) before any gradient is taken,
 * so nothing downstream measures nonsense (a NaN input read as an overflow, an empty batch as
 * underflow) and no tensor is left behind.
 */

/** The loss a user passes: any function; its result is checked where it is called. */
export type LossFunction = (output: tf.Tensor) => tf.Scalar;

/** A LayersModel with at least one recurrent layer; returns the recurrent layers' names. */
export function checkModel(model: unknown): string[] {
  if (!model || typeof (model as { apply?: unknown }).apply !== 'function' || !Array.isArray((model as { layers?: unknown }).layers)) {
    throw new ConfigError('model', model, 'a tf.LayersModel (tf.sequential or tf.model)');
  }
  const layers = recurrentLayersOf(model as tf.LayersModel);
  if (layers.length === 0)
    throw new ConfigError(
      'model',
      (model as tf.LayersModel).name,
      `a LayersModel with at least one ${RECURRENT_LAYER_CLASSES.join(', ')} layer (or one wrapped in Bidirectional or TimeDistributed)`,
    );
  return layers;
}

/** The options' loss: a function, or undefined for the default. */
export function checkLoss(options: unknown): LossFunction | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object') throw new ConfigError('options', options, 'an object { loss? }');
  const loss = (options as { loss?: unknown }).loss;
  if (loss !== undefined && typeof loss !== 'function') throw new ConfigError('options.loss', loss, "a function from the model's output to a scalar tf.Tensor");
  return loss as LossFunction | undefined;
}

/** The input as a tensor, and whether this call made it (and so disposes it). */
export function inputTensor(input: unknown): { readonly x: tf.Tensor; readonly owned: boolean } {
  if (input instanceof tf.Tensor) {
    if (input.isDisposed) throw new ConfigError('input', 'a disposed tensor', 'a live rank-3 tensor [batch, T, features]');
    return { x: input, owned: false };
  }
  if (!Array.isArray(input)) throw new ConfigError('input', input, 'a rank-3 tensor or nested array [batch, T, features] of numbers');
  try {
    return { x: tf.tensor(input as number[][][]), owned: true };
  } catch (e) {
    throw new ConfigError('input', '(nested array)', `a rank-3 array [batch, T, features] of numbers (${(e as Error).message})`);
  }
}

/**
 * Checks the input against the model: rank 3, float32, no empty dimension, T in the profile's
 * range (the same as `vg profile`'s), the model's fixed T and features, every entry finite.
 * Creates no tensor that outlives it.
 */
export async function checkInput(model: tf.LayersModel, x: tf.Tensor): Promise<{ readonly B: number; readonly T: number; readonly D: number }> {
  const shape = `shape [${x.shape.join(', ')}]`;
  if (x.rank !== 3) throw new ConfigError('input', shape, 'a rank-3 tensor [batch, T, features]');
  const [B, T, D] = x.shape as [number, number, number];
  if (B === 0 || D === 0) throw new ConfigError('input', shape, 'at least one sequence of at least one feature (no dimension 0)');
  profileSteps('input', T, `T = ${T} (${shape})`);
  const expected = model.inputs[0]?.shape ?? [];
  if (expected.length === 3 && ((expected[1] !== null && expected[1] !== T) || (expected[2] !== null && expected[2] !== D))) {
    throw new ConfigError('input', shape, `[batch, ${expected[1] ?? 'T'}, ${expected[2]}] to match the model's input`);
  }
  if (x.dtype !== 'float32') throw new ConfigError('input', `dtype ${x.dtype}`, 'float32');
  const notFinite = tf.tidy(() => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(x)), 'int32')));
  const [count] = await notFinite.data();
  notFinite.dispose();
  if (count > 0) {
    // Only on this error path: find the first one for the message.
    const values = await x.data();
    const at = values.findIndex((v) => !Number.isFinite(v));
    const [b, t, d] = [Math.floor(at / (T * D)), Math.floor(at / D) % T, at % D];
    throw new ConfigError(
      'input',
      `${count} non-finite entr${count === 1 ? 'y' : 'ies'}, the first ${describeValue(values[at])} at [${b}, ${t}, ${d}]`,
      'finite numbers: a NaN or ±∞ in the input would be measured as a float32 overflow of the model',
    );
  }
  return { B, T, D };
}

/**
 * Calls the user's loss inside the gradient tape and checks what it returns: a thrown error or a
 * result that is not a scalar tensor becomes a ConfigError naming `options.loss` (the error kept
 * as its cause). The caller releases the tape's saved tensors when this throws (releaseTape).
 */
export function callLoss(loss: LossFunction, output: tf.Tensor): tf.Scalar {
  let value: unknown;
  try {
    value = loss(output);
  } catch (e) {
    throw new ConfigError(
      'options.loss',
      `a function that threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      "a function from the model's output to a scalar tf.Tensor",
      { cause: e },
    );
  }
  if (!(value instanceof tf.Tensor))
    throw new ConfigError('options.loss', `a function returning ${describeValue(value)}`, 'a scalar tf.Tensor (rank 0), e.g. tf.sum(output)');
  if (value.rank !== 0)
    throw new ConfigError(
      'options.loss',
      `a function returning a tensor of shape [${value.shape.join(', ')}]`,
      'a scalar tf.Tensor (rank 0), e.g. tf.sum(output)',
    );
  return value as tf.Scalar;
}

/**
 * Releases what tfjs's gradient tape kept when the function under `tf.valueAndGrad` threw: the
 * tape keeps a clone of every tensor a kernel saves for its backward pass and disposes them only
 * after the backward pass, which an exception skips (tfjs-core engine.ts `gradients`: 395 tensors
 * for a 1-layer LSTM over 100 steps). Only at gradient depth 0: inside a caller's own gradient,
 * the tape is the caller's.
 */
export function releaseTape(): void {
  const state = tf.engine().state as unknown as { gradientDepth: number; activeTape: ReadonlyArray<{ saved?: tf.Tensor[] }> | null };
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
}
