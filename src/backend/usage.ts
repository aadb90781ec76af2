import * as tf from '@tensorflow/tfjs';

/** Kernels that only move values (a view, a copy, a slice or a join): no arithmetic, so no backend's rounding or underflow. */
const MOVES_ONLY: ReadonlySet<string> = new Set([
  'Reshape',
  'Identity',
  'Slice',
  'StridedSlice',
  'Unpack',
  'Pack',
  'Concat',
  'Transpose',
  'Tile',
  'ExpandDims',
  'Squeeze',
]);

let kernels = 0;
let counting = false;

/**
 * Arithmetic kernels the tfjs engine has run in this thread so far. Every op, gradient and layer
 * reaches the backend through the engine's runKernelFunc, which is wrapped once, on the first
 * call, to count them; creating, assigning or reading a tensor runs no kernel, and kernels that
 * only move values (MOVES_ONLY: reshape, slice, concat…) are not counted. A measurement during
 * which the count does not move was computed without the tfjs backend's arithmetic (in plain
 * TypeScript, as the float64 oracle is, or in the fused WebAssembly kernel), so it is the same on
 * every backend.
 *
 * @throws Error when this tfjs has no runKernelFunc to wrap (then nothing could be counted)
 */
export function kernelsRun(): number {
  if (!counting) {
    const engine = tf.engine() as unknown as { runKernelFunc?: (...args: unknown[]) => unknown };
    const run = engine.runKernelFunc;
    if (typeof run !== 'function') throw new Error(`kernelsRun: tfjs ${tf.version_core} has no engine.runKernelFunc to count kernels with`);
    engine.runKernelFunc = function counted(this: unknown, ...args: unknown[]) {
      const name = (args[0] as { kernelName?: string } | undefined)?.kernelName;
      if (name === undefined || !MOVES_ONLY.has(name)) kernels++;
      return run.apply(this, args);
    };
    counting = true;
  }
  return kernels;
}

/**
 * Runs `body` without counting its kernels: for the backend's own bookkeeping (measuring its
 * float32 arithmetic, src/backend/float32.ts), which is no part of any measurement.
 */
export function uncounted<T>(body: () => T): T {
  const before = kernelsRun();
  try {
    return body();
  } finally {
    kernels = before;
  }
}
