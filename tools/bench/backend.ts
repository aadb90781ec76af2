import * as tf from '@tensorflow/tfjs';
import { patchWasmSlice } from '../../src/backend/wasm-slice.js';

/**
 * The backends the benchmark compares: wasm and cpu (tfjs's own), and node, tfjs-node's
 * libtensorflow, when it is installed (`npm i @tensorflow/tfjs-node`, or without internet
 * `node scripts/build-tfjs-node.mjs`). No GPU here: node-gpu is not benched.
 */
export const BENCH_BACKENDS = ['wasm', 'cpu', 'node'] as const;
export type BenchBackend = (typeof BENCH_BACKENDS)[number];

/** tfjs's name of a bench backend (both node packages register 'tensorflow'). */
export const tfjsName = (name: BenchBackend): string => (name === 'node' ? 'tensorflow' : name);

async function importNode(): Promise<void> {
  // libtensorflow prints its start-up lines unless told otherwise (src/backend/resolve.ts does the same).
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  const specifier = '@tensorflow/tfjs-node';
  await import(specifier);
}

/** The bench backends that load here: wasm and cpu always, node when tfjs-node is installed and its addon loads. */
export async function availableBackends(): Promise<BenchBackend[]> {
  try {
    await importNode();
    return [...BENCH_BACKENDS];
  } catch {
    return BENCH_BACKENDS.filter((b) => b !== 'node');
  }
}

/**
 * Makes `name` the active tfjs backend. The wasm backend is registered by importing its
 * package, as src/backend/resolve.ts does, and node by importing tfjs-node; tensors made on
 * one backend must be disposed before switching (the benchmark builds its models after each switch).
 */
export async function switchBackend(name: BenchBackend): Promise<void> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (name === 'node') await importNode();
  if (!(await tf.setBackend(tfjsName(name)))) throw new Error(`bench: the ${name} backend did not initialise`);
  await tf.ready();
  // The same wasm Slice/Unpack as the product (src/backend/resolve.ts): without it every
  // unstack copies its whole input once per step, and the timings grow as T².
  if (name === 'wasm') patchWasmSlice();
}

/**
 * Which CPU time judges growth on a backend: the main thread's where the backend computes on
 * it (wasm and cpu, in JavaScript and WebAssembly), the whole process's where it does not
 * (TensorFlow runs larger kernels on its own thread pool, which the main thread's time leaves out).
 */
export const growthBasis = (name: BenchBackend): 'main-thread CPU' | 'process CPU' => (name === 'node' ? 'process CPU' : 'main-thread CPU');

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
