/**
 * Checking your own model: two claims about a tfjs LSTM, stated and verified the way the
 * project verifies the document's claims. In your project the imports are
 *   import { modelClaim, withinDecades } from 'vanishing-gradients-verify';
 *   import { verifyClaims } from 'vanishing-gradients-verify/testing/vitest';
 * and allure-vitest as a vitest reporter puts the claims, with their plots and smallest
 * counterexample, in your Allure report.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradientProfile, modelClaim, resolveBackend, withinDecades } from '../src/index.js';
import { verifyClaims } from '../src/testing/vitest.js';

const T = 101, FEATURES = 4;

/** The model under test: a 16-unit LSTM at tfjs's defaults with unitForgetBias, seeded. */
function myLstm(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [tf.layers.lstm({
      units: 16, inputShape: [T, FEATURES], unitForgetBias: true,
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
    })],
  });
}
const input = (seed: number): tf.Tensor => tf.randomNormal([4, T, FEATURES], 0, 1, 'float32', seed);

beforeAll(async () => {
  await resolveBackend();
});

describe('example: claims about my own LSTM', () => {
  // A plain test beside the claims (it also keeps this suite non-empty when `vg verify` filters the claims out).
  it('should give my LSTM a finite or underflow-flagged gradient at every step', async () => {
    const model = myLstm(1);
    const x = input(1);
    const p = await gradientProfile(model, x);
    x.dispose();
    model.dispose();
    expect(p.steps).toBe(T);
    p.log10.forEach((v, t) => expect(v === null ? p.underflow[t] : Number.isFinite(v), `step ${t}: ${v}`).toBe(true));
  });

  verifyClaims([
    modelClaim({
      id: 'EXAMPLE-LSTM-KEEPS-10',
      section: 'User: examples',
      statement: 'My LSTM keeps the gradient at distance 10 within 10^3 of the gradient at distance 0.',
      predicate: 'log10‖∂L/∂x_{T−1}‖ − log10‖∂L/∂x_{T−11}‖ ≤ 3, loss = sum of the last output.',
      build: myLstm, input, check: withinDecades(10, 3), runs: 5,
    }),
    modelClaim({
      id: 'EXAMPLE-LSTM-KEEPS-100',
      section: 'User: examples',
      statement: 'My LSTM keeps the gradient at distance 100 within 10^3 of the gradient at distance 0.',
      predicate: 'log10‖∂L/∂x_{T−1}‖ − log10‖∂L/∂x_0‖ ≤ 3, loss = sum of the last output.',
      // Expected refuted: measured, an untrained LSTM at these defaults loses about 9 to 11 decades over 100 steps.
      build: myLstm, input, check: withinDecades(100, 3), runs: 5, expected: 'refuted',
    }),
  ]);
});
