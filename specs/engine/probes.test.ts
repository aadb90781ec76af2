import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { DEMO_CONFIG, makeConfig } from '../../src/config/types.js';
import { createParams } from '../../src/models/params.js';
import { describeMismatch, isClose, isCloseLog10 } from '../../src/numerics/close.js';
import { chainDemo, chainProfile } from '../../src/numerics/jacobian-chain.js';
import { matMul } from '../../src/linalg/matrix.js';
import { oracleRun } from '../../src/oracle/run.js';
import { demoProfile, demoProfilePerTimestep } from '../../src/probes/demo.js';
import { temporalProfile } from '../../src/probes/gradient-profile.js';
import { closedFormJacobian, stepJacobians } from '../../src/probes/jacobians.js';
import { forgetGateProbe } from '../../src/probes/lstm-forget.js';
import { paramGradStats } from '../../src/probes/param-grads.js';
import { saturationStats } from '../../src/probes/saturation.js';
import { finalStateChange, finalStateSensitivity } from '../../src/probes/sensitivity.js';
import { jacobianNorms, log10ProductNorm, recurrentMatrix, spectrum } from '../../src/probes/spectra.js';
import { SMALL_CONFIGS, label, withModel } from './helpers.js';

/** float32 against float64, in decades: a relative error of 1e-4 is 4.3e-5 decades. */
const DECADES = 1e-4;
const ENTRY = { atol: 1e-6, rtol: 1e-4 };

function expectSeriesClose(actual: ReadonlyArray<number | null>, expected: readonly number[], decades: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  actual.forEach((a, t) => expect(isCloseLog10(a, expected[t], decades), `${what} at t=${t}: log10 ${a} vs oracle ${expected[t]} (±${decades})`).toBe(true));
}

beforeAll(async () => {
  await resolveBackend();
});

describe(`probes against the float64 oracle (backend ${process.env.VG_BACKEND ?? 'auto'})`, () => {
  it.each(SMALL_CONFIGS.map((c) => [label(c), c] as const))('should give the temporal profile of the oracle in one pass for %s', async (_, config) => {
    const params = createParams(config);
    const expected = chainProfile(oracleRun(params));
    const profile = await withModel(params, temporalProfile);
    expectSeriesClose(profile.gradState[0].log10, expected.log10GradState, DECADES, '‖∂L/∂s_t‖');
    expectSeriesClose(profile.gradInput[0].log10, expected.log10GradInput, DECADES, '‖∂L/∂x_t‖');
  });

  it.each(SMALL_CONFIGS.map((c) => [label(c), c] as const))("should give autodiff Jacobians equal to the oracle's for %s", async (_, config) => {
    const params = createParams(config);
    const run = oracleRun(params);
    const [jac] = await withModel(params, stepJacobians);
    run.jacobianState.forEach((m, t) =>
      m.data.forEach((v, i) =>
        expect(
          isClose(jac.jacobianState[t].data[i], v, ENTRY),
          describeMismatch(`∂s_${t}/∂s_${t - 1}[${i}] against the oracle`, jac.jacobianState[t].data[i], v, ENTRY),
        ).toBe(true),
      ),
    );
    run.jacobianInput.forEach((m, t) =>
      m.data.forEach((v, i) =>
        expect(
          isClose(jac.jacobianInput[t].data[i], v, ENTRY),
          describeMismatch(`∂s_${t}/∂x_${t}[${i}] against the oracle`, jac.jacobianInput[t].data[i], v, ENTRY),
        ).toBe(true),
      ),
    );
    if (config.architecture === 'rnn') {
      // The document's closed form diag(σ'(z_k))·W_hh, with W_hh = Kᵀ in tfjs's layout.
      jac.preActivations.forEach((z, t) => {
        const closed = closedFormJacobian(config.activation, z, params.wHh);
        closed.data.forEach((v, i) =>
          expect(
            isClose(jac.jacobianState[t].data[i], v, ENTRY),
            describeMismatch(`∂s_${t}/∂s_${t - 1}[${i}] against the closed form`, jac.jacobianState[t].data[i], v, ENTRY),
          ).toBe(true),
        );
      });
    }
    // Long-horizon profile from the autodiff Jacobians in float64 equals the oracle's.
    expectSeriesClose(chainProfile(jac).log10GradState, chainProfile(run).log10GradState, DECADES, 'renormalised chain');
  });

  it("should give the batched demo quantity equal to the per-timestep method on the document's demo (H 100, T 50, U(-0.1, 0.1))", async () => {
    const params = createParams(DEMO_CONFIG);
    const expected = chainDemo(oracleRun(params));
    const [batched, reference] = await withModel(params, async (m) => [await demoProfile(m), await demoProfilePerTimestep(m)]);
    expectSeriesClose(reference[0].log10, expected, 1e-3, 'per-timestep vs oracle');
    expectSeriesClose(
      batched[0].log10,
      reference[0].log10.map((v) => v ?? NaN),
      1e-4,
      'batched vs per-timestep',
    );
    expect(
      batched[0].underflow.some(Boolean),
      `steps where the batched demo underflowed: ${batched[0].underflow.flatMap((u, t) => (u ? [t] : [])).join(', ')}`,
    ).toBe(false);
  });

  it('should give the one-pass profile equal to the per-timestep method on the demo configuration', async () => {
    // ‖∂L/∂h_t‖ for L = Σ h_{T−1} against T separate passes, each differentiating the final sum w.r.t. h_t.
    const params = createParams(DEMO_CONFIG);
    const oracle = chainProfile(oracleRun(params));
    const profile = await withModel(params, temporalProfile);
    expectSeriesClose(profile.gradState[0].log10, oracle.log10GradState, 1e-3, 'one-pass vs oracle');
  });

  it('should evaluate several configurations of one shape in one batched pass, each equal to its own oracle', async () => {
    const list = [1, 2, 3].map((seed) =>
      createParams(makeConfig({ hiddenSize: 10, inputSize: 6, seqLength: 15, seed, recurrentInit: { kind: 'normal', std: 0.1 * seed } })),
    );
    const [profiles, demos] = await withModel(list, async (m) => [await temporalProfile(m), await demoProfile(m)]);
    list.forEach((p, c) => {
      const run = oracleRun(p);
      expectSeriesClose(profiles.gradState[c].log10, chainProfile(run).log10GradState, DECADES, `config ${c} profile`);
      expectSeriesClose(demos[c].log10, chainDemo(run), DECADES, `config ${c} demo`);
    });
  });

  it('should report spectra, saturation and the per-parameter gradients the oracle implies for a vanilla RNN', async () => {
    const params = createParams(makeConfig({ hiddenSize: 12, inputSize: 6, seqLength: 10 }));
    const run = oracleRun(params);
    const w = spectrum(recurrentMatrix(params));
    expect(w.spectralNorm, `spectral norm ${w.spectralNorm} against spectral radius ${w.spectralRadius}`).toBeGreaterThanOrEqual(w.spectralRadius);
    const gammas = jacobianNorms(run);
    // ‖∏J‖ ≤ ∏‖J‖ (sub-multiplicativity), in log10.
    const productNorm = log10ProductNorm(run, 0, 9);
    const normProduct = gammas.reduce((s, g) => s + Math.log10(g), 0);
    expect(productNorm, `log10‖∏J‖ ${productNorm} against Σ log10‖J‖ ${normProduct} (+1e-12)`).toBeLessThanOrEqual(normProduct + 1e-12);
    const sat = saturationStats(
      'tanh',
      run.steps.map((s) => s.preActivation),
    );
    expect(sat.meanSlope, `mean tanh slope ${sat.meanSlope} against 0`).toBeGreaterThan(0);
    expect(sat.meanSlope, `mean tanh slope ${sat.meanSlope} against 1`).toBeLessThanOrEqual(1);
    const [stats] = await withModel(params, paramGradStats);
    // dL/dK = Σ_t h_{t−1}ᵀ·(g_t ⊙ σ'(z_t)), with g_t = ∂L/∂h_t from the oracle.
    const H = 12;
    const g: Float64Array[] = [];
    let v = new Float64Array(H).fill(1);
    for (let t = 9; t >= 0; t--) {
      g[t] = v;
      const next = new Float64Array(H);
      for (let j = 0; j < H; j++) for (let i = 0; i < H; i++) next[j] += v[i] * run.jacobianState[t].data[i * H + j];
      v = next;
    }
    const dK = new Float64Array(H * H);
    for (let t = 1; t < 10; t++)
      for (let a = 0; a < H; a++) for (let b = 0; b < H; b++) dK[a * H + b] += run.states[t - 1][a] * g[t][b] * run.steps[t].activationSlope[b];
    const norm = Math.hypot(...dK);
    expect(isClose(stats.weight_hh.norm, norm, { atol: 1e-7, rtol: 1e-4 }), `‖∇W_hh‖ ${stats.weight_hh.norm} vs oracle ${norm}`).toBe(true);
    expect(stats.weight_hh.maxAbs, `max |∇W_hh| ${stats.weight_hh.maxAbs} against ‖∇W_hh‖ ${stats.weight_hh.norm}`).toBeLessThanOrEqual(stats.weight_hh.norm);
  });

  it("should give the final state's sensitivity to each input equal to the oracle's Jacobian products", async () => {
    const params = createParams(makeConfig({ architecture: 'gru', hiddenSize: 6, inputSize: 4, seqLength: 9, recurrentInit: { kind: 'pytorchDefault' } }));
    const run = oracleRun(params);
    const sens = await withModel(params, finalStateSensitivity);
    for (let t = 0; t < 9; t++) {
      let m = run.jacobianInput[t];
      for (let k = t + 1; k < 9; k++) m = matMul(run.jacobianState[k], m);
      const expected = Math.log10(Math.hypot(...m.data.subarray(0, 6 * 4)));
      expect(
        isCloseLog10(sens[0].log10[t], expected, DECADES),
        `log10 ‖∂h_8/∂x_${t}‖ at t=${t}: ${sens[0].log10[t]} vs oracle ${expected} (±${DECADES} decades)`,
      ).toBe(true);
    }
    const change = await withModel(params, async (m) => {
      const replacement = tf.zeros([1, 1, 3, 4]);
      try {
        return await finalStateChange(m, replacement);
      } finally {
        replacement.dispose();
      }
    });
    expect(change[0], `final state change after zeroing the first 3 inputs: ${change[0]} against 0`).toBeGreaterThan(0);
  });

  it("should find ∂c_t/∂c_{t−1} = diag(f_t) for an LSTM, with the oracle's forget gates", async () => {
    const params = createParams(makeConfig({ architecture: 'lstm', hiddenSize: 6, inputSize: 4, seqLength: 8, forgetBias: 'one' }));
    const run = oracleRun(params);
    const [probe] = await withModel(params, forgetGateProbe);
    expect(probe.maxOffDiagonal, `largest off-diagonal |∂c_t/∂c_{t−1}| entry: ${probe.maxOffDiagonal} against 0`).toBe(0);
    probe.forgetGate.forEach((f, t) =>
      f.forEach((v, i) => {
        expect(
          isClose(v, run.steps[t].forgetGate![i], ENTRY),
          describeMismatch(`f_${t}[${i}] against the oracle's`, v, run.steps[t].forgetGate![i], ENTRY),
        ).toBe(true);
        expect(
          isClose(probe.cellJacobianDiagonal[t][i], v, ENTRY),
          describeMismatch(`∂c_${t}/∂c_${t - 1}[${i}][${i}] against f_${t}[${i}]`, probe.cellJacobianDiagonal[t][i], v, ENTRY),
        ).toBe(true);
      }),
    );
  });
});
