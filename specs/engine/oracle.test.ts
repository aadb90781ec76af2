import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/config/types.js';
import { createParams } from '../../src/models/params.js';
import { isClose } from '../../src/numerics/close.js';
import { oracleStep, stateSize } from '../../src/oracle/cells.js';
import { eigenvalues } from '../../src/linalg/eigen.js';
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
    const plus = Float64Array.from(at), minus = Float64Array.from(at);
    plus[j] += eps;
    minus[j] -= eps;
    const fp = f(plus), fm = f(minus);
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
        for (const z of ev) expect(isClose(Math.hypot(z.re, z.im), r, { atol: 1e-12, rtol: 1e-10 })).toBe(true);
        expect(isClose(Math.abs(ev[0].im), r * Math.sin(theta) * Math.sign(Math.sin(theta)), { atol: 1e-12, rtol: 1e-9 })).toBe(true);
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
        expect(isClose(ev.reduce((s, z) => s + z.re, 0), trace, { atol: 1e-9, rtol: 1e-9 })).toBe(true);
        expect(Math.abs(ev.reduce((s, z) => s + z.im, 0))).toBeLessThan(1e-9);
        const sv = singularValues(m);
        const fro2 = entries.reduce((s, v) => s + v * v, 0);
        expect(isClose(sv.reduce((s, v) => s + v * v, 0), fro2, { atol: 1e-9, rtol: 1e-10 })).toBe(true);
        // ‖Mv‖ ≤ σ_max ‖v‖ for the all-ones vector, and σ_max ≥ spectral radius.
        expect(sv[0]).toBeGreaterThanOrEqual(Math.max(...ev.map((z) => Math.hypot(z.re, z.im))) * (1 - 1e-12));
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
        for (let i = 0; i < H; i++) expect(isClose(qtq.data[i * H + i], gain * gain, { atol: 1e-6, rtol: 1e-5 })).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('should give the same weights and inputs for the same seed, and different ones for another', () => {
    const a = createParams(makeConfig({ hiddenSize: 10, inputSize: 4, seqLength: 5, seed: 7 }));
    const b = createParams(makeConfig({ hiddenSize: 10, inputSize: 4, seqLength: 5, seed: 7 }));
    const c = createParams(makeConfig({ hiddenSize: 10, inputSize: 4, seqLength: 5, seed: 8 }));
    expect(a.wHh.data).toEqual(b.wHh.data);
    expect(a.inputs.data).toEqual(b.inputs.data);
    expect(a.wHh.data).not.toEqual(c.wHh.data);
  });
});
