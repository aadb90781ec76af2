import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, NUMBER_ARITHMETIC, adamRule, adamSchedule, adamUpdateArrays } from '../../src/experiments/adam-rule.js';
import { Adam } from '../../src/experiments/optimizer.js';
import { describeMismatch, isClose } from '../../src/numerics/close.js';

/**
 * One Adam rule (src/experiments/adam-rule.ts) for both training engines, and the same bits as
 * before it was shared: each engine's update is held against its code as it trained the
 * published results, kept here verbatim, bit for bit.
 */

/** kernel-train.ts's Adam before adam-rule.ts, verbatim (float64 between float32 stores). */
function publishedKernelAdam(w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, scale: number, step: number, learningRate: number): void {
  const c1 = 1 - ADAM_BETA1 ** step;
  const c2 = 1 - ADAM_BETA2 ** step;
  const lr = learningRate / c1;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] * scale;
    // biome-ignore lint/suspicious/noAssignInExpressions: the old code, verbatim: an assignment's value is the float64 right-hand side, not the float32 stored
    const mi = (m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * gi);
    // biome-ignore lint/suspicious/noAssignInExpressions: as above
    const vi = (v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * gi * gi);
    w[i] -= (lr * mi) / (Math.sqrt(vi / c2) + ADAM_EPSILON);
  }
}

/** optimizer.ts's Adam.apply before adam-rule.ts, verbatim, on one [C, N] variable. */
function publishedTensorAdam(
  x: tf.Variable,
  state: { m: tf.Tensor; v: tf.Tensor },
  grad: tf.Tensor,
  clipScale: tf.Tensor,
  step: number,
  learningRate: number,
): void {
  const C = x.shape[0];
  const c1 = 1 - ADAM_BETA1 ** step;
  const c2 = 1 - ADAM_BETA2 ** step;
  const g = tf.mul(grad, tf.reshape(clipScale, [C, 1]));
  const m = tf.add(tf.mul(state.m, ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1));
  const v = tf.add(tf.mul(state.v, ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2));
  state.m = tf.keep(m);
  state.v = tf.keep(v);
  const update = tf.div(tf.mul(m, learningRate / c1), tf.add(tf.sqrt(tf.div(v, c2)), ADAM_EPSILON));
  x.assign(tf.sub(x, update));
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const f32 = (min: number, max: number) => fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true });
/** n values of each of w, m, v ≥ 0 and a few gradients, as float32. */
const adamCase = (maxN: number) =>
  fc.integer({ min: 1, max: maxN }).chain((n) =>
    fc.record({
      w: fc.array(f32(-10, 10), { minLength: n, maxLength: n }),
      m: fc.array(f32(-1, 1), { minLength: n, maxLength: n }),
      v: fc.array(f32(0, 1), { minLength: n, maxLength: n }),
      grads: fc.array(fc.array(f32(-100, 100), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }),
      scale: fc.double({ min: 1e-3, max: 1, noNaN: true }),
      firstStep: fc.integer({ min: 1, max: 5000 }),
      learningRate: fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
    }),
  );

beforeAll(async () => {
  await resolveBackend();
});

describe('Adam rule (adam-rule.ts) shared by the kernel and tfjs engines', () => {
  it('should update flat arrays bit for bit as the kernel engine did before the rule was shared', () => {
    fc.assert(
      fc.property(adamCase(24), ({ w, m, v, grads, scale, firstStep, learningRate }) => {
        const ours = { w: Float32Array.from(w), m: Float32Array.from(m), v: Float32Array.from(v) };
        const ref = { w: Float32Array.from(w), m: Float32Array.from(m), v: Float32Array.from(v) };
        grads.forEach((g, k) => {
          const step = firstStep + k;
          adamUpdateArrays(ours.w, ours.m, ours.v, Float32Array.from(g), scale, adamSchedule(learningRate, step));
          publishedKernelAdam(ref.w, ref.m, ref.v, Float32Array.from(g), scale, step, learningRate);
          for (const key of ['w', 'm', 'v'] as const) {
            expect(
              bits(ours[key]),
              `${key} after update ${step} (lr ${learningRate}, clip scale ${scale}): [${ours[key].join(', ')}] against the published [${ref[key].join(', ')}]`,
            ).toEqual(bits(ref[key]));
          }
        });
      }),
    );
  });

  it('should compute each number update in float64 exactly as the kernel engine did (its float32 stores hide most reorderings)', () => {
    const any = fc.double({ min: -100, max: 100, noNaN: true });
    fc.assert(
      fc.property(
        any,
        any,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
        (gi, m, v, step, learningRate) => {
          const ours = adamRule(NUMBER_ARITHMETIC, gi, m, v, adamSchedule(learningRate, step));
          const lr = learningRate / (1 - ADAM_BETA1 ** step);
          const mi = ADAM_BETA1 * m + (1 - ADAM_BETA1) * gi;
          const vi = ADAM_BETA2 * v + (1 - ADAM_BETA2) * gi * gi;
          const delta = (lr * mi) / (Math.sqrt(vi / (1 - ADAM_BETA2 ** step)) + ADAM_EPSILON);
          expect([ours.m, ours.v, ours.delta], `m, v and step for g ${gi}, m ${m}, v ${v}, update ${step}, lr ${learningRate}`).toEqual([mi, vi, delta]);
        },
      ),
    );
  });

  it('should update tensors bit for bit as the tfjs engine did before the rule was shared', () => {
    const C = 2;
    fc.assert(
      fc.property(adamCase(6), ({ w, grads, scale, learningRate }) => {
        const n = w.length;
        const init = tf.tensor2d([...w, ...w.map((x) => -x)], [C, n]);
        const ours = tf.variable(init);
        const ref = tf.variable(init);
        const adam = new Adam([ours], learningRate);
        const state = { m: tf.zeros([C, n]), v: tf.zeros([C, n]) };
        try {
          grads.forEach((g, k) =>
            tf.tidy(() => {
              const grad = tf.tensor2d([...g, ...g.map((x) => x / 3)], [C, n]);
              const clip = tf.tensor1d([scale, 1]);
              adam.apply([grad], clip);
              const [oldM, oldV] = [state.m, state.v];
              publishedTensorAdam(ref, state, grad, clip, k + 1, learningRate);
              oldM.dispose();
              oldV.dispose();
              const [a, b] = [ours.dataSync() as Float32Array, ref.dataSync() as Float32Array];
              expect(
                bits(a),
                `weights after update ${k + 1} (lr ${learningRate}, clip scale ${scale}): [${a.join(', ')}] against the published [${b.join(', ')}]`,
              ).toEqual(bits(b));
            }),
          );
        } finally {
          adam.dispose();
          tf.dispose([init, ours, ref, state.m, state.v]);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('should give the same weights within float32 rounding on both arithmetics, from zero moments as in training', () => {
    const TOL = { atol: 1e-6, rtol: 1e-5 };
    fc.assert(
      fc.property(adamCase(8), ({ w, grads, scale, learningRate }) => {
        const n = w.length;
        const flat = { w: Float32Array.from(w), m: new Float32Array(n), v: new Float32Array(n) };
        const variable = tf.variable(tf.tensor2d(w, [1, n]));
        const adam = new Adam([variable], learningRate);
        try {
          grads.forEach((g, k) => {
            adamUpdateArrays(flat.w, flat.m, flat.v, Float32Array.from(g), scale, adamSchedule(learningRate, k + 1));
            tf.tidy(() => adam.apply([tf.tensor2d(g, [1, n])], tf.tensor1d([scale])));
          });
          const tensor = variable.dataSync() as Float32Array;
          flat.w.forEach((x, i) =>
            expect(isClose(x, tensor[i], TOL), describeMismatch(`w[${i}] after ${grads.length} updates, arrays vs tensors`, x, tensor[i], TOL)).toBe(true),
          );
        } finally {
          adam.dispose();
          variable.dispose();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('should refuse a schedule for an update before the first', () => {
    expect(() => adamSchedule(1e-3, 0), 'adamSchedule(1e-3, 0)').toThrow(/adamSchedule: step should be an integer ≥ 1, got 0/);
  });
});
