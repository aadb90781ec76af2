import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/types.js';
import { gateCount } from '../kernels/recurrent.js';
import type { TfModel } from '../models/tf-model.js';
import { type Log10Series, rowLog10Norms } from '../numerics/log-norm.js';
import { backendUnderflowFloor } from '../backend/float32.js';
import { productsPerEntry, runSequence } from './forward.js';

/**
 * How many configurations of this shape demoProfile should take at once: it tiles the input T
 * times and tapes T steps of T copies, so its memory grows as C·T²·max(D, gates·H) floats (200
 * demo configurations, T = 50 and H = D = 100, peaked at 4.2 GB resident); batches of at most
 * 2²³ such floats keep it under about 1 GB.
 */
export function demoBatchLimit(config: Pick<ModelConfig, 'seqLength' | 'inputSize' | 'hiddenSize' | 'architecture'>): number {
  const { seqLength: T, inputSize: D, hiddenSize: H, architecture } = config;
  return Math.max(1, Math.floor(DEMO_BATCH_FLOATS / (T * T * Math.max(D, gateCount(architecture) * H))));
}

/** The float budget per demoProfile call (see demoBatchLimit). */
export const DEMO_BATCH_FLOATS = 2 ** 23;

/**
 * Probe 2, batched: the document's demo quantity ‖∂(Σ h_t)/∂x_0‖ for every t, in one
 * backward pass, underflow flagged below the backend's floor (forward.ts productsPerEntry). The input is copied T times along the batch axis and copy b's loss is
 * Σ h_b, so the gradient at copy b's x_0 is exactly the b-th value.
 */
export async function demoProfile(model: TfModel): Promise<Log10Series[]> {
  const { count: C } = model;
  const { seqLength: T, inputSize: D } = model.config;
  const grad = tf.tidy(() => {
    const copies = tf.tile(model.inputs, [1, T, 1, 1]); // [C, T, T, D]
    const loss = (x: tf.Tensor): tf.Scalar => {
      const outs = runSequence(model, x);
      let total: tf.Scalar = tf.scalar(0);
      for (let t = 0; t < T; t++) {
        // Copy t contributes only its own step t.
        const perCopy = tf.sum(outs[t].state.h, 2); // [C, T]
        total = tf.add(total, tf.sum(tf.slice(perCopy, [0, t], [-1, 1])));
      }
      return total;
    };
    const g = tf.grad(loss)(copies);
    return tf.slice(g, [0, 0, 0, 0], [-1, -1, 1, -1]); // x_0 of every copy: [C, T, 1, D]
  });
  const values = await grad.data();
  grad.dispose();
  const floor = backendUnderflowFloor(D, productsPerEntry(model.config));
  return Array.from({ length: C }, (_, c) => rowLog10Norms(values, T, D, c * T * D, D, floor));
}

/**
 * Probe 2, the document's own method kept as the reference: one backward pass per
 * timestep t, each from Σ h_t to x_0. (tfjs keeps no graph between passes, so each pass
 * also reruns the forward recurrence up to t.)
 */
export async function demoProfilePerTimestep(model: TfModel): Promise<Log10Series[]> {
  const { count: C } = model;
  const { seqLength: T, inputSize: D } = model.config;
  const rows = new Float32Array(C * T * D);
  for (let t = 0; t < T; t++) {
    const g0 = tf.tidy(() => {
      const loss = (x: tf.Tensor): tf.Scalar => tf.sum(runSequence(model, x, undefined, t + 1)[t].state.h);
      return tf.slice(tf.grad(loss)(model.inputs), [0, 0, 0, 0], [-1, 1, 1, -1]); // [C, 1, 1, D]
    });
    const values = await g0.data();
    g0.dispose();
    for (let c = 0; c < C; c++) rows.set(values.subarray(c * D, (c + 1) * D), (c * T + t) * D);
  }
  const floor = backendUnderflowFloor(D, productsPerEntry(model.config));
  return Array.from({ length: C }, (_, c) => rowLog10Norms(rows, T, D, c * T * D, D, floor));
}
