import * as tf from '@tensorflow/tfjs';
import { FLOAT32_MIN_NORMAL, FLOAT32_MIN_SUBNORMAL, underflowFloor } from '../numerics/log-norm.js';
import { uncounted } from './usage.js';

/**
 * How a tfjs backend's kernels treat float32 results below the smallest normal, 2⁻¹²⁶ ≈ 1.18·10⁻³⁸.
 * IEEE 754's default is gradual underflow: such a result becomes a subnormal, losing precision a
 * bit at a time down to 2⁻¹⁴⁹. The cpu backend (JavaScript's Float32Array) and wasm (WebAssembly
 * has no flush modes) keep subnormals. TensorFlow's CPU kernels, under tfjs-node, run with the
 * processor's flush-to-zero and denormals-are-zero modes (tensorflow/core/platform/denormal.h):
 * there a subnormal result or input is 0, so `tensor([1e-40, 3e-39, 2e-38]).mul(1)` gives
 * [0, 0, 2e-38]. Gradients summed from products near the smallest normal then lose the products
 * that fell below it, and the probes flag as underflow what may consist of such losses alone
 * (underflowFloor in numerics/log-norm.ts).
 */
export interface Float32Arithmetic {
  /** The tfjs backend measured ('cpu', 'wasm', 'tensorflow', …). */
  readonly backend: string;
  /** True when a subnormal result comes back as 0. */
  readonly flushesSubnormals: boolean;
  /** The smallest positive magnitude a result keeps: FLOAT32_MIN_NORMAL when subnormals flush, else 2⁻¹⁴⁹. */
  readonly smallestKept: number;
}

/** Subnormal float32 values, and one normal value that must survive: the probe's input. */
const PROBE = [1e-40, 3e-39, 2e-38] as const;
const measured = new Map<string, Float32Arithmetic>();

/**
 * The float32 arithmetic of the active tfjs backend, measured once per backend and process: the
 * probe's subnormals times 1 on the backend, read back (a flushing backend returns 0 for them).
 * Releases its tensors.
 *
 * @throws Error naming the backend when the normal value does not survive (then the backend is broken, not flushing)
 */
export function float32Arithmetic(): Float32Arithmetic {
  const backend = tf.getBackend();
  let known = measured.get(backend);
  if (!known) {
    const out = uncounted(() => tf.tidy(() => tf.mul(tf.tensor1d([...PROBE], 'float32'), tf.scalar(1, 'float32')).dataSync()));
    if (out[2] !== Math.fround(PROBE[2])) throw new Error(`float32Arithmetic: backend "${backend}" returned ${out[2]} for ${PROBE[2]}·1`);
    const flushes = out[0] === 0 && out[1] === 0;
    known = { backend, flushesSubnormals: flushes, smallestKept: flushes ? FLOAT32_MIN_NORMAL : FLOAT32_MIN_SUBNORMAL };
    measured.set(backend, known);
  }
  return known;
}

/**
 * The underflow floor (numerics/log-norm.ts underflowFloor) of a series of `width`-wide vectors,
 * each entry a sum of `terms` products, computed on the active tfjs backend.
 */
export function backendUnderflowFloor(width: number, terms: number): number {
  return underflowFloor(width, terms, float32Arithmetic().smallestKept);
}
