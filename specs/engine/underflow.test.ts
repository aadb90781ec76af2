import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { float32Arithmetic } from '../../src/backend/float32.js';
import { resolveBackend } from '../../src/backend/resolve.js';
import { FLOAT32_MIN_NORMAL, FLOAT32_MIN_SUBNORMAL } from '../../src/numerics/log-norm.js';
import { makeConfig } from '../../src/config/types.js';
import { createParams } from '../../src/models/params.js';
import { isCloseLog10 } from '../../src/numerics/close.js';
import { chainProfile } from '../../src/numerics/jacobian-chain.js';
import { oracleRun } from '../../src/oracle/run.js';
import { temporalProfile } from '../../src/probes/gradient-profile.js';
import { stepJacobians } from '../../src/probes/jacobians.js';
import { withModel } from './helpers.js';
import { LONGEST_SEQUENCE } from '../figures.js';

beforeAll(async () => {
  await resolveBackend();
});

describe("gradients below float32's range", () => {
  it(
    `should know whether the backend keeps float32 subnormals: TensorFlow (tfjs-node) flushes them to ` +
      `zero, cpu and wasm keep them (backend ${process.env.VG_BACKEND ?? 'auto'})`,
    () => {
      const before = tf.memory().numTensors;
      const arithmetic = float32Arithmetic();
      // tfjs-node registers as 'tensorflow'; its CPU kernels run with flush-to-zero (src/backend/float32.ts).
      const flushes = tf.getBackend() === 'tensorflow';
      expect(arithmetic.flushesSubnormals, `${tf.getBackend()}: flushes subnormals ${arithmetic.flushesSubnormals}, ${flushes} expected`).toBe(flushes);
      expect(arithmetic.smallestKept, `${tf.getBackend()}: smallest magnitude kept ${arithmetic.smallestKept}`).toBe(
        flushes ? FLOAT32_MIN_NORMAL : FLOAT32_MIN_SUBNORMAL,
      );
      // Another subnormal result than the measurement's: 3e-39 · 0.5 (both inputs representable, the product subnormal).
      const half = tf.tidy(() => tf.mul(tf.scalar(3e-39), tf.scalar(0.5)).dataSync()[0]);
      expect(half, `${tf.getBackend()}: 3e-39 · 0.5 in float32 = ${half}`).toBe(flushes ? 0 : Math.fround(Math.fround(3e-39) * 0.5));
      expect(tf.memory().numTensors, `tensors: ${before} before, ${tf.memory().numTensors} after`).toBe(before);
      // The process's own float64 arithmetic is untouched (TensorFlow sets the modes only around its kernels).
      expect(1e-310 / 4, 'a float64 subnormal quotient in JavaScript after TensorFlow ran').toBe(2.5e-311);
    },
  );

  it(`should flag underflow instead of reporting 0, and recover the decay from renormalised float64 Jacobian products (T = ${LONGEST_SEQUENCE})`, async () => {
    const config = makeConfig({ hiddenSize: 8, inputSize: 4, seqLength: LONGEST_SEQUENCE, recurrentInit: { kind: 'uniform', low: -0.2, high: 0.2 } });
    const params = createParams(config);
    const oracle = chainProfile(oracleRun(params));
    const [profile, [jac]] = await withModel(params, async (m) => [await temporalProfile(m), await stepJacobians(m)]);
    const series = profile.gradState[0];
    // The oracle says the early gradients are far below 1e-45, the smallest float32.
    expect(oracle.log10GradState[0], `float64 log10‖∂L/∂s_0‖ ${oracle.log10GradState[0]} against -60`).toBeLessThan(-60);
    expect(series.underflow[0], `tfjs underflow flag at t=0: ${series.underflow[0]} (float64 log10 ${oracle.log10GradState[0]})`).toBe(true);
    expect(series.log10[0], `tfjs log10 at t=0: ${series.log10[0]}, null expected for an underflow`).toBeNull();
    for (let t = 0; t < LONGEST_SEQUENCE; t++) {
      if (!series.underflow[t]) expect(series.log10[t], `t=${t}: not flagged, log10 ${series.log10[t]} should be a number`).toBeTypeOf('number');
    }
    // Every reported (non-underflowed) value agrees with the oracle.
    series.log10.forEach((v, t) => {
      if (v !== null && oracle.log10GradState[t] > -35)
        expect(isCloseLog10(v, oracle.log10GradState[t], 1e-3), `t=${t}: tfjs log10 ${v} vs float64 ${oracle.log10GradState[t]} (±1e-3 decades)`).toBe(true);
    });
    // The renormalised chain of float32 autodiff Jacobians gives a finite log10 everywhere, equal to the oracle's.
    const renormalised = chainProfile(jac).log10GradState;
    renormalised.forEach((v, t) =>
      expect(
        isCloseLog10(v, oracle.log10GradState[t], 1e-2),
        `t=${t}: renormalised chain log10 ${v} vs float64 ${oracle.log10GradState[t]} (±1e-2 decades)`,
      ).toBe(true),
    );
  });
});
