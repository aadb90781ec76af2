import * as tf from '@tensorflow/tfjs';

/**
 * The weight-gradient products aᵀ·b with a leading config axis C, contracted over T·B rows.
 * tfjs-backend-wasm 4.22 sends only un-transposed, batch-1 products to XNNPACK; a batched or
 * transposed BatchMatMul runs a naive loop (measured here ~14× slower for [32, 3232]ᵀ·[3232, 128]).
 * On wasm the product is split per model with the transpose made explicit; elsewhere it is one
 * batched matMul. (The small per-step products stay batched: on wasm, splitting them needs
 * slices, and its Slice kernel costs time proportional to its whole input.)
 */

/** True when the weight-gradient products are split per model (the wasm backend). */
export function splitsPerModel(): boolean {
  return tf.getBackend() === 'wasm';
}

/**
 * The C models' slices [N, K] of v [C, N, K], through one read and C uploads (wasm's Slice,
 * hence unstack, costs time in proportion to its whole input: ~20 ms to unstack [6, 3232, 128]).
 * Constants: no gradient flows through them (BPTT here is written by hand).
 */
export function modelSlices(v: tf.Tensor): tf.Tensor[] {
  const [C, N, K] = v.shape as [number, number, number];
  const data = v.dataSync() as Float32Array;
  return Array.from({ length: C }, (_, c) => tf.tensor2d(data.slice(c * N * K, (c + 1) * N * K), [N, K]));
}

/**
 * aᵀ·b per model: a [C, N, K], b [C, N, M] → [C, K, M]. On wasm, XNNPACK packs the right-hand
 * operand at every call (these operands are new at every update), so the narrower of a and b is
 * put on the right: (bᵀ·a)ᵀ when K < M (for the LSTM's [T·B, 32]ᵀ·[T·B, 128] and the inputs'
 * [T·B, 2]ᵀ·[T·B, 128], packing the wide operand cost more than the product itself).
 */
export function mmTransposeA(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (!splitsPerModel()) return tf.matMul(a, b, true, false);
  const as = modelSlices(a),
    bs = modelSlices(b);
  const narrowA = (a.shape[2] as number) < (b.shape[2] as number);
  return tf.stack(as.map((ac, c) => (narrowA ? tf.transpose(tf.matMul(tf.transpose(bs[c]), ac)) : tf.matMul(tf.transpose(ac), bs[c]))));
}
