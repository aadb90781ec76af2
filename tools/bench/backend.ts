import * as tf from '@tensorflow/tfjs';
import { patchWasmSlice } from '../../src/backend/wasm-slice.js';

/** The backends the benchmark compares (no GPU here; tfjs-node is not installed). */
export const BENCH_BACKENDS = ['wasm', 'cpu'] as const;
export type BenchBackend = (typeof BENCH_BACKENDS)[number];

/**
 * Makes `name` the active tfjs backend. The wasm backend is registered by importing its
 * package, as src/backend/resolve.ts does; tensors made on one backend must be disposed
 * before switching (the benchmark builds its models after each switch).
 */
export async function switchBackend(name: BenchBackend): Promise<void> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(name))) throw new Error(`bench: the ${name} backend did not initialise`);
  await tf.ready();
  // The same wasm Slice/Unpack as the product (src/backend/resolve.ts): without it every
  // unstack copies its whole input once per step, and the timings grow as T².
  if (name === 'wasm') patchWasmSlice();
}

/** The active backend's tfjs name, or null when none has been chosen yet (getBackend gives undefined then). */
export function activeBackend(): string | null {
  return (tf.getBackend() as string | undefined) ?? null;
}

/** Restores the backend that was active before the benchmark; nothing to do when none was. */
export async function restoreBackend(tfjsName: string | null): Promise<void> {
  if (tfjsName !== null && tf.getBackend() !== tfjsName) {
    await tf.setBackend(tfjsName);
    await tf.ready();
  }
}
