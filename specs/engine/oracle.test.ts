import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/config/types.js';
import { createParams } from '../../src/models/params.js';
import { describeMismatch, isClose } from '../../src/numerics/close.js';
import { oracleStep, stateSize } from '../../src/oracle/cells.js';
import { oracleRun } from '../../src/oracle/run.js';
import { chainProfile } from '../../src/numerics/jacobian-chain.js';
import { eigenvalues } from '../../src/linalg/eigen.js';
import { inverse } from '../../src/linalg/inverse.js';
import { largestTridiagonalEigenvalue, spectralNormByLanczos, spectralNormByPowerIteration } from '../../src/linalg/lanczos.js';
import { type Matrix, matMul, transpose } from '../../src/linalg/matrix.js';
import { singularValues } from '../../src/linalg/svd.js';
import { SMALL_CONFIGS, label } from './helpers.js';

const TOL = { atol: 1e-7, rtol: 1e-6 };

/** Central finite differences of the oracle step, in float64 (step 1e-6: truncation ~1e-12, rounding ~1e-10). */
function finiteDifferenceJacobian(f: (v: Float64Array) => Float64Array, at: Float64Array): Matrix {
  const out = f(at).length;
  const m = { rows: out, cols: at.length, data: new Float64Array(out * at.length) };
  const eps = 1e-6;
  for (let j = 0; j < at.length; j++) {
    const plus = Float64Array.from(at),
      minus = Float64Array.from(at);
    plus[j] += eps;
    minus[j] -= eps;
    const fp = f(plus),
      fm = f(minus);
    for (let i = 0; i < out; i++) m.data[i * at.length + j] = (fp[i] - fm[i]) / (2 * eps);
  }
  return m;
}

describe('float64 oracle', () => {
  it.each(SMALL_CONFIGS.map((c) => [label(c), c] as const))('should have analytic Jacobians equal to finite differences for %s', (_, config) => {
    const params = createParams(config);
    const D = config.inputSize;
    // A state reached after a few steps, so gates and saturation are not at their zero-state values.
    let s: Float64Array = new Float64Array(stateSize(params));
    for (let t = 0; t < 3; t++) s = oracleStep(params, s, params.inputs.data.subarray(t * D, (t + 1) * D)).state;
    const x = params.inputs.data.slice(3 * D, 4 * D);
    const step = oracleStep(params, s, x);
    const fdState = finiteDifferenceJacobian((v) => oracleStep(params, v, x).state, s);
    const fdInput = finiteDifferenceJacobian((v) => oracleStep(params, s, v).state, x);
    step.jacobianState.data.forEach((v, i) => expect(isClose(v, fdState.data[i], TOL), `∂s/∂s entry ${i}: ${v} vs FD ${fdState.data[i]}`).toBe(true));
    step.jacobianInput.data.forEach((v, i) => expect(isClose(v, fdInput.data[i], TOL), `∂s/∂x entry ${i}: ${v} vs FD ${fdInput.data[i]}`).toBe(true));
  });

  it('should find the eigenvalues of a rotation by θ scaled by r as r·e^{±iθ}', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }), (r, theta) => {
        const m = { rows: 2, cols: 2, data: Float64Array.from([r * Math.cos(theta), -r * Math.sin(theta), r * Math.sin(theta), r * Math.cos(theta)]) };
        const ev = eigenvalues(m);
        const modTol = { atol: 1e-12, rtol: 1e-10 },
          imTol = { atol: 1e-12, rtol: 1e-9 };
        for (const z of ev)
          expect(isClose(Math.hypot(z.re, z.im), r, modTol), describeMismatch(`|λ| of ${r}·rotation(${theta})`, Math.hypot(z.re, z.im), r, modTol)).toBe(true);
        const im = Math.abs(r * Math.sin(theta));
        expect(isClose(Math.abs(ev[0].im), im, imTol), describeMismatch(`|Im λ| of ${r}·rotation(${theta})`, Math.abs(ev[0].im), im, imTol)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('should find eigenvalues whose sum is the trace and singular values whose squares sum to ‖M‖_F² (random 30×30)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 900, maxLength: 900 }), (entries) => {
        const m = { rows: 30, cols: 30, data: Float64Array.from(entries) };
        const ev = eigenvalues(m);
        const trace = entries.reduce((s, v, i) => s + (i % 31 === 0 ? v : 0), 0);
        const traceTol = { atol: 1e-9, rtol: 1e-9 },
          froTol = { atol: 1e-9, rtol: 1e-10 };
        const sumRe = ev.reduce((s, z) => s + z.re, 0),
          sumIm = ev.reduce((s, z) => s + z.im, 0);
        expect(isClose(sumRe, trace, traceTol), describeMismatch('Σ Re λ against the trace', sumRe, trace, traceTol)).toBe(true);
        // Complex eigenvalues of a real matrix come in conjugate pairs.
        expect(isClose(sumIm, 0, traceTol), describeMismatch('Σ Im λ', sumIm, 0, traceTol)).toBe(true);
        const sv = singularValues(m);
        const fro2 = entries.reduce((s, v) => s + v * v, 0),
          sumSq = sv.reduce((s, v) => s + v * v, 0);
        expect(isClose(sumSq, fro2, froTol), describeMismatch('Σσ² against ‖M‖_F²', sumSq, fro2, froTol)).toBe(true);
        // σ_max = ‖M‖₂ bounds every |λ|.
        const radius = Math.max(...ev.map((z) => Math.hypot(z.re, z.im)));
        expect(sv[0], `σ_max ${sv[0]} against the spectral radius ${radius}`).toBeGreaterThanOrEqual(radius * (1 - 1e-12));
      }),
      { numRuns: 25 },
    );
  });

  it('should make orthogonal recurrent weights with every singular value equal to the gain', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0.1, max: 3, noNaN: true }), fc.nat(), (H, gain, seed) => {
        const p = createParams(makeConfig({ hiddenSize: H, inputSize: 3, seqLength: 2, seed, recurrentInit: { kind: 'orthogonal', gain } }));
        const sv = singularValues(p.wHh);
        for (const s of sv) expect(isClose(s, Math.fround(gain), { atol: 1e-6, rtol: 1e-6 }), `σ=${s}, gain=${gain}`).toBe(true);
        const qtq = matMul(transpose(p.wHh), p.wHh);
        const diagTol = { atol: 1e-6, rtol: 1e-5 };
        for (let i = 0; i < H; i++)
          expect(
            isClose(qtq.data[i * H + i], gain * gain, diagTol),
            describeMismatch(`(QᵀQ)[${i}][${i}], H ${H}`, qtq.data[i * H + i], gain * gain, diagTol),
          ).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('should give the same weights and inputs for the same seed, and different ones for another', () => {
    const a = createParams(makeConfig({ hiddenSize: 10, inputSize: 4, seqLength: 5, seed: 7 }));
    const b = createParams(makeConfig({ hiddenSize: 10, inputSize: 4, seqLength: 5, seed: 7 }));
    const c = createParams(makeConfig({ hiddenSize: 10, inputSize: 4, seqLength: 5, seed: 8 }));
    expect(a.wHh.data, 'W_hh for seed 7, built twice').toEqual(b.wHh.data);
    expect(a.inputs.data, 'inputs for seed 7, built twice').toEqual(b.inputs.data);
    expect(a.wHh.data, 'W_hh for seeds 7 and 8').not.toEqual(c.wHh.data);
  });
});

/** Square matrices of size 1–20 with entries in [−1, 1]. */
const squareMatrix = fc
  .integer({ min: 1, max: 20 })
  .chain((n) =>
    fc
      .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n })
      .map((entries) => ({ rows: n, cols: n, data: Float64Array.from(entries) })),
  );

describe('float64 linear algebra', () => {
  it('should invert I + 0.3·M/√n (well conditioned) so that the product with the inverse is I', () => {
    const tol = { atol: 1e-10, rtol: 0 };
    fc.assert(
      fc.property(squareMatrix, (m) => {
        const n = m.rows;
        const v = { rows: n, cols: n, data: m.data.map((x, k) => (k % (n + 1) === 0 ? 1 : 0) + (0.3 * x) / Math.sqrt(n)) };
        const product = matMul(v, inverse(v));
        product.data.forEach((x, k) => {
          const expected = k % (n + 1) === 0 ? 1 : 0;
          expect(isClose(x, expected, tol), describeMismatch(`(V·V⁻¹)[${Math.floor(k / n)}][${k % n}], n ${n}`, x, expected, tol)).toBe(true);
        });
      }),
      { numRuns: 50 },
    );
  });

  it('should give with Lanczos the largest singular value after n steps, and never more than it after fewer', () => {
    const tol = { atol: 1e-12, rtol: 1e-9 };
    fc.assert(
      fc.property(squareMatrix, fc.integer({ min: 1, max: 20 }), (m, steps) => {
        const top = singularValues(m)[0];
        const full = spectralNormByLanczos(m, m.rows);
        expect(isClose(full, top, tol), describeMismatch(`Lanczos with ${m.rows} steps on ${m.rows}×${m.rows}`, full, top, tol)).toBe(true);
        const partial = spectralNormByLanczos(m, steps);
        // A Ritz value of MᵀM lies inside its spectrum, so its root cannot exceed σ_max.
        expect(partial, `Lanczos with ${steps} steps (${partial}) against σ_max ${top}`).toBeLessThanOrEqual(top * (1 + 1e-12) + 1e-15);
      }),
      { numRuns: 50 },
    );
  });

  it('should give with power iteration the largest singular value when it stands apart (M + 5·uvᵀ)', () => {
    const tol = { atol: 1e-12, rtol: 1e-7 };
    fc.assert(
      fc.property(
        squareMatrix.filter((m) => m.rows >= 2),
        (m) => {
          const n = m.rows;
          // The spike 5·11ᵀ/n has norm 5; the rest (entries in [−1, 1] over √n) has norm near 1.2, so σ₁ is far from σ₂ and the iteration converges fast.
          const spiked = { rows: n, cols: n, data: m.data.map((x) => x / Math.sqrt(n) + 5 / n) };
          const top = singularValues(spiked)[0];
          const estimate = spectralNormByPowerIteration(spiked);
          expect(isClose(estimate, top, tol), describeMismatch(`power iteration on ${n}×${n}`, estimate, top, tol)).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("largest eigenvalue of a symmetric tridiagonal matrix (Lanczos's last step)", () => {
  it('should equal the largest eigenvalue the general solver finds, to float64 precision', () => {
    const tridiagonal = fc.integer({ min: 1, max: 40 }).chain((n) =>
      fc.tuple(
        // Hundredths in [−10, 10]: the general QR solver used as the reference stalls on subnormal entries.
        fc.array(
          fc.integer({ min: -1000, max: 1000 }).map((k) => k / 100),
          { minLength: n, maxLength: n },
        ),
        fc.array(
          fc.integer({ min: -1000, max: 1000 }).map((k) => k / 100),
          { minLength: n - 1, maxLength: n - 1 },
        ),
      ),
    );
    fc.assert(
      fc.property(tridiagonal, ([a, b]) => {
        const n = a.length;
        const t: Matrix = { rows: n, cols: n, data: new Float64Array(n * n) };
        a.forEach((v, i) => {
          t.data[i * n + i] = v;
        });
        b.forEach((v, i) => {
          t.data[i * n + i + 1] = v;
          t.data[(i + 1) * n + i] = v;
        });
        const expected = Math.max(...eigenvalues(t).map((z) => z.re));
        const actual = largestTridiagonalEigenvalue(a, b);
        const tol = { atol: 1e-9, rtol: 1e-9 };
        expect(isClose(actual, expected, tol), describeMismatch(`largest eigenvalue, n = ${n}`, actual, expected, tol)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('should refuse mismatched lengths, naming them', () => {
    expect(() => largestTridiagonalEigenvalue([1, 2], []), 'two diagonal entries and no off-diagonal one').toThrow(/need 1 off-diagonal/);
    expect(() => largestTridiagonalEigenvalue([], []), 'empty').toThrow(/empty/);
  });
});

describe('float64 oracle overflow and zero flags', () => {
  /** ReLU with W_hh ~ N(0, 3²), H 16: the state grows about 0.9 decades a step and leaves float64 near step 300. */
  const EXPLODING = makeConfig({ activation: 'relu', recurrentInit: { kind: 'normal', std: 3 }, hiddenSize: 16, inputSize: 4, seqLength: 400 });

  it('should name the forward state and its first non-finite step, and flag every value computed through it, all but the seed', () => {
    const run = oracleRun(createParams(EXPLODING));
    const firstNonFinite = run.states.findIndex((s) => s.some((v) => !Number.isFinite(v)));
    const p = chainProfile(run);
    const T = EXPLODING.seqLength;
    expect(
      firstNonFinite,
      `first non-finite float64 state at t = ${firstNonFinite}; the configuration should overflow float64 before T = ${T}`,
    ).toBeGreaterThan(0);
    expect(p.firstOverflow, `first overflow ${JSON.stringify(p.firstOverflow)} against the first non-finite state t = ${firstNonFinite}`).toEqual({
      quantity: 'forward state s_t',
      step: firstNonFinite,
    });
    const unflaggedState = p.state.overflow.flatMap((f, t) => (f || t === T - 1 ? [] : [t]));
    expect(unflaggedState.slice(0, 5), `steps of ‖∂L/∂h_t‖ (t < T − 1) not flagged though computed through step ${firstNonFinite}`).toEqual([]);
    expect(p.state.overflow[T - 1], `the seed ∂L/∂h_${T - 1} = 1 is not computed from the state: flag ${p.state.overflow[T - 1]}`).toBe(false);
    expect(
      p.input.overflow.every(Boolean),
      `every ‖∂L/∂x_t‖ passes through a Jacobian at or after step ${firstNonFinite}: ${p.input.overflow.filter(Boolean).length} of ${T} flagged`,
    ).toBe(true);
    // Issue 25: before the flags, distances 0–99 printed finite numbers computed from overflowed states.
    const finiteButPoisoned = p.log10GradState.filter((v, t) => Number.isFinite(v) && t < T - 1).length;
    expect(finiteButPoisoned, `finite-looking ‖∂L/∂h_t‖ values that the flags now mark (${finiteButPoisoned})`).toBeGreaterThan(0);
  });

  it('should flag exact float64 zeros apart from overflow, and leave a contracting network unflagged', () => {
    const saturated = chainProfile(
      oracleRun(createParams(makeConfig({ architecture: 'gru', hiddenSize: 8, inputSize: 4, seqLength: 200, recurrentInit: { kind: 'normal', std: 1000 } }))),
    );
    const zeros = saturated.log10GradInput.flatMap((v, t) => (v === -Infinity ? [t] : []));
    expect(zeros.length, 'a GRU with W_hh ~ N(0, 1000²) saturates its gates: some ‖∂L/∂x_t‖ are exactly 0 in float64').toBeGreaterThan(0);
    expect(
      zeros.every((t) => saturated.input.zero[t] && !saturated.input.overflow[t]),
      `steps with log10 −∞ [${zeros.slice(0, 5).join(', ')}…] flagged zero, not overflow`,
    ).toBe(true);
    expect(saturated.firstOverflow, `first overflow of the saturated GRU: ${JSON.stringify(saturated.firstOverflow)}`).toBeNull();
    const calm = chainProfile(oracleRun(createParams(makeConfig({ hiddenSize: 8, inputSize: 4, seqLength: 100 }))));
    const flags = [calm.state.overflow, calm.state.zero, calm.input.overflow, calm.input.zero].map((f) => f.filter(Boolean).length);
    expect(flags, 'overflow and zero flags (state, state, input, input) of the demo cell at H 8').toEqual([0, 0, 0, 0]);
    expect(calm.firstOverflow, 'first overflow of the demo cell').toBeNull();
  });
});
