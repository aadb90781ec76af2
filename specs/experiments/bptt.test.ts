import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import type { ModelConfig } from '../../src/config/types.js';
import { Rng } from '../../src/models/rng.js';
import { type Tolerance, describeMismatch, isClose } from '../../src/numerics/close.js';
import { bptt } from '../../src/experiments/bptt.js';
import { referenceGradients } from '../../src/experiments/reference.js';
import { buildTrainable, weightsOf } from '../../src/experiments/trainable.js';
import { SMALL_CONFIGS, label } from '../engine/helpers.js';

/** float32 sums in different orders: 1e-3 relative, plus 1e-5 of the tensor's largest entry. */
const RTOL = 1e-3;
const SCALE_ATOL = 1e-5;

function expectTensorsClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, `${what}: BPTT length ${actual.length} against autodiff ${expected.length}`).toBe(expected.length);
  let top = 0;
  for (const v of expected) top = Math.max(top, Math.abs(v));
  const tolerance: Tolerance = { atol: SCALE_ATOL * top, rtol: RTOL };
  for (let i = 0; i < expected.length; i++) {
    if (!isClose(actual[i], expected[i], tolerance)) {
      expect.fail(`${describeMismatch(`${what}[${i}]: BPTT vs autodiff`, actual[i], expected[i], tolerance)} (max |g| ${top.toExponential(2)})`);
    }
  }
}

function randomBatch(config: ModelConfig, C: number, B: number, O: number): { x: tf.Tensor; y: tf.Tensor } {
  const rng = new Rng(config.seed, 'bptt-spec');
  const x = Float32Array.from({ length: C * B * config.seqLength * config.inputSize }, () => rng.normal());
  const y = Float32Array.from({ length: C * B * O }, () => rng.normal());
  return { x: tf.tensor4d(x, [C, B, config.seqLength, config.inputSize]), y: tf.tensor3d(y, [C, B, O]) };
}

beforeAll(async () => {
  await resolveBackend();
});

describe(`hand-written BPTT against tfjs autodiff through stepTf (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  it.each(SMALL_CONFIGS.map((c) => [label(c), c] as const))(
    'should give the gradients, ∂L/∂s_t and the per-step W_hh terms of autodiff for %s',
    async (_, config) => {
      // Arrange: two models (seeds) on the config axis, a readout of 2 outputs.
      const configs = [config, { ...config, seed: config.seed + 1 }];
      const before = tf.memory().numTensors;
      const model = buildTrainable(configs, 2);
      const { x, y } = randomBatch(config, 2, 3, 2);
      // Act
      const got = tf.tidy(() => {
        const r = bptt(model, weightsOf(model), x, y);
        const [T, C, B] = r.du.shape as number[];
        const terms = tf.matMul(tf.reshape(r.hPrev, [T * C, B, -1]), tf.reshape(r.du, [T * C, B, -1]), true, false);
        return [r.loss, ...r.grads, tf.transpose(r.gradState, [1, 2, 0, 3]), tf.reshape(terms, [T, C, -1])];
      });
      const want = tf.tidy(() => {
        const r = referenceGradients(model, x, y);
        const [T, C] = r.wHhTerms.shape as number[];
        return [r.loss, ...r.grads, r.gradState, tf.reshape(r.wHhTerms, [T, C, -1])];
      });
      const [g, w] = await Promise.all([
        Promise.all(got.map((t) => t.data() as Promise<Float32Array>)),
        Promise.all(want.map((t) => t.data() as Promise<Float32Array>)),
      ]);
      // Assert
      const names = ['loss', ...model.params.map((p) => p.name), '∂L/∂s_t', 'W_hh term'];
      names.forEach((n, i) => expectTensorsClose(g[i], w[i], `${label(config)} ${n}`));
      tf.dispose([...got, ...want, x, y]);
      model.dispose();
      const after = tf.memory().numTensors;
      expect(after, `tensors after ${after} against before ${before}`).toBe(before);
    },
  );
});
