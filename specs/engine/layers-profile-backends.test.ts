import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradientProfile, type LayersGradientProfile } from '../../src/api/layers-profile.js';
import { resetBackendForTests, resolveBackend } from '../../src/backend/resolve.js';
import { float32Log10Tolerance } from '../../src/numerics/log-norm.js';
import { expectSameSeries } from './helpers.js';

/**
 * The own-model API on every backend against wasm, the backend of the published results:
 * gradientProfile of SimpleRNN, LSTM, GRU, stacked and bidirectional LayersModels with the same
 * weights and input, within float32 rounding, and tf.memory() as before on both. Run in each
 * engine project: on wasm it compares wasm with itself, bit for bit.
 */
const T = 40,
  D = 3,
  B = 2;
const BUILDS: ReadonlyArray<readonly [string, () => tf.LayersModel]> = [
  ['simpleRNN', () => tf.sequential({ layers: [tf.layers.simpleRNN({ units: 8, inputShape: [T, D] })] })],
  ['lstm', () => tf.sequential({ layers: [tf.layers.lstm({ units: 8, inputShape: [T, D] })] })],
  ['gru', () => tf.sequential({ layers: [tf.layers.gru({ units: 8, inputShape: [T, D] })] })],
  [
    'stacked',
    () =>
      tf.sequential({
        layers: [tf.layers.simpleRNN({ units: 8, inputShape: [T, D], returnSequences: true }), tf.layers.lstm({ units: 8 }), tf.layers.dense({ units: 1 })],
      }),
  ],
  ['bidirectional', () => tf.sequential({ layers: [tf.layers.bidirectional({ layer: tf.layers.gru({ units: 8 }) as tf.RNN, inputShape: [T, D] })] })],
];
/**
 * Two float32 passes that sum in different orders: twice the float32 rounding bound of T steps
 * (float32Log10Tolerance) with n = 40 products per entry (an LSTM's 4·8 gates + 8).
 */
const DECADES = 2 * float32Log10Tolerance(T, 40).atol;
const backend = process.env.VG_BACKEND ?? 'wasm';
/** Per model: the weights and input it was profiled with on wasm, and the profile. */
const onWasm = new Map<string, { weights: Float32Array[]; profile: LayersGradientProfile }>();
let input: number[][][] = [];

beforeAll(async () => {
  // The reference first, on wasm: weights drawn there (tfjs's initialisers run on the backend) and read out.
  resetBackendForTests();
  await resolveBackend('wasm');
  const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 11);
  input = (await x.array()) as number[][][];
  x.dispose();
  for (const [name, build] of BUILDS) {
    const model = build();
    // getWeights hands out the variables' own tensors: read, never disposed.
    const weights = model.getWeights().map((w) => (w.dataSync() as Float32Array).slice());
    onWasm.set(name, { weights, profile: await gradientProfile(model, input) });
    model.dispose();
  }
  resetBackendForTests();
  await resolveBackend(backend);
});
afterAll(() => resetBackendForTests());

describe(`gradientProfile on LayersModels: ${backend} against wasm`, () => {
  for (const [name, build] of BUILDS) {
    it(`should give wasm's profile for ${name} on ${backend} within ${DECADES.toExponential(2)} decades, and leave tf.memory() as it was`, async () => {
      const before = tf.memory().numTensors;
      const model = build();
      const reference = onWasm.get(name)!;
      const values = model.getWeights().map((w, i) => tf.tensor(reference.weights[i], w.shape));
      model.setWeights(values);
      for (const v of values) v.dispose();
      const p = await gradientProfile(model, input);
      model.dispose();
      expect(tf.memory().numTensors, `${name} on ${tf.getBackend()}: tensors after ${tf.memory().numTensors}, before ${before}`).toBe(before);
      expect(p.backend, `${name}: the profile's backend`).toBe(tf.getBackend());
      // Underflow on a flushing backend takes at most its floor from a norm; wasm keeps subnormals (gap 0 beside it).
      expectSameSeries(p, reference.profile, `${name} log10 ‖∂L/∂x_t‖`, [backend, 'wasm'], {
        decades: DECADES,
        gap: p.underflowFloor,
        floor: p.underflowFloor,
      });
      expect(p.firstOverflow, `${name}: first overflow on ${backend} and on wasm`).toEqual(reference.profile.firstOverflow);
    });
  }
});
