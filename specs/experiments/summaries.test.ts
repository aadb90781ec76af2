import { describe, expect, it } from 'vitest';
import { DOCUMENT_VANISHING_THRESHOLD, GradientNormDetector, documentDetector, profileDetector } from '../../src/experiments/detector.js';
import { effectiveMemory } from '../../src/experiments/effective-memory.js';
import { detectPlateau, meanShareDistance, shareBeyond, stepShares } from '../../src/experiments/metrics.js';
import type { StepRecord } from '../../src/experiments/train.js';
import { describeMismatch, isClose, type Tolerance } from '../../src/numerics/close.js';
import { statsOf } from '../../src/probes/param-grads.js';

const stats = (norm: number) => statsOf(new Float32Array([norm]));
const step = (hh: number, ih = 1): StepRecord => ({ loss: 1, gradNorm: 1, params: { weight_ih: stats(ih), weight_hh: stats(hh) } });

/** Asserts isClose(actual, expected); a null (nothing measured) is close to nothing. */
function expectClose(what: string, actual: number | null, expected: number, tolerance: Tolerance): void {
  const a = actual ?? Number.NaN;
  expect(isClose(a, expected, tolerance), describeMismatch(what, a, expected, tolerance)).toBe(true);
}

describe('plateau detection', () => {
  it('should flag a flat loss and not a loss still falling by more than 1% over the last 20%', () => {
    const flat = detectPlateau(new Array(100).fill(0.5));
    expect(flat.plateaued, `a flat loss of 0.5: plateaued ${flat.plateaued}, relative improvement ${flat.relativeImprovement}`).toBe(true);
    const falling = Array.from({ length: 100 }, (_, i) => 1 - 0.005 * i);
    const r = detectPlateau(falling);
    expect(r.plateaued, `relative improvement ${r.relativeImprovement}`).toBe(false);
    expectClose('final level', r.finalLevel, 1 - 0.005 * 97, { atol: 5e-11, rtol: 0 });
    expect(r.onsetStep, 'no onset without a plateau').toBeNull();
  });

  it('should date the plateau at the first update no later one improves on by 1%', () => {
    // Falls linearly for 30 updates, then flat: the 5-update moving average stops falling at update 34.
    const losses = Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 - 0.02 * i : 0.42));
    const r = detectPlateau(losses);
    expect(r.plateaued, `plateaued ${r.plateaued}, relative improvement ${r.relativeImprovement}`).toBe(true);
    expect(r.onsetStep, `onset step ${r.onsetStep} against 29`).toBeGreaterThanOrEqual(29);
    expect(r.onsetStep, `onset step ${r.onsetStep} against 34`).toBeLessThanOrEqual(34);
    expect(detectPlateau(new Array(100).fill(0.5)).onsetStep, 'flat from the start').toBe(4);
  });
});

describe('effective memory', () => {
  it('should be the largest lag up to which every lag is learned by ≥ 2 of 3 seeds', () => {
    const o = (lag: number, ...learned: boolean[]) => learned.map((l) => ({ lag, learned: l }));
    const m = effectiveMemory([...o(5, true, true, true), ...o(10, true, false, true), ...o(20, false, false, true), ...o(50, true, true, false)]);
    expect(m.effectiveLag, `effective lag ${m.effectiveLag} against 10`).toBe(10);
    expect(m.learnedAbove, 'non-monotone lags reported').toEqual([50]);
    const one = effectiveMemory(o(5, true, false, false)).effectiveLag;
    expect(one, `effective lag with 1 of 3 seeds learning lag 5: ${one} against 0`).toBe(0);
  });
});

describe("the document's detector", () => {
  it('should flag exactly the updates whose weight_hh norm is below 1e-7, like check_vanishing', () => {
    const d = new GradientNormDetector();
    expect(d.checkVanishing().vanishing, 'no history').toBe(false);
    d.logGradients(step(1e-3).params);
    expect(d.checkVanishing().vanishing, `after ‖∇W_hh‖ 1e-3: ${JSON.stringify(d.checkVanishing())}`).toBe(false);
    d.logGradients(step(5e-8).params);
    expect(d.checkVanishing(), `after ‖∇W_hh‖ 5e-8: ${JSON.stringify(d.checkVanishing())}`).toMatchObject({ vanishing: true, name: 'weight_hh' });
    const r = documentDetector([step(1e-3), step(5e-8), step(1e-2, 1e-1)]);
    expect(r, `document detector: ${JSON.stringify(r)}`).toMatchObject({
      threshold: DOCUMENT_VANISHING_THRESHOLD,
      flaggedSteps: 1,
      firstFlaggedStep: 1,
      fired: true,
    });
    expectClose('final ‖∇W_hh‖ / ‖∇W_ih‖', r.finalHhOverIh, 0.1, { atol: 5e-7, rtol: 0 });
  });
});

describe("the project's profile detector", () => {
  it('should recover the decay rate, the gap over the lag and the horizon of a geometric profile', () => {
    // log10‖∂L/∂s_t‖ = −0.1·(T−1−t): a decade every 10 steps.
    const T = 60;
    const profile = { log10: Array.from({ length: T }, (_, t) => -0.1 * (T - 1 - t)), underflow: new Array<boolean>(T).fill(false) };
    const r = profileDetector(profile, 50);
    expectClose('decay rate per step (decades)', r.ratePerStep, -0.1, { atol: 5e-11, rtol: 0 });
    expectClose('gap over the lag (decades)', r.gapDecades, -5, { atol: 5e-11, rtol: 0 });
    expectClose('horizon (steps)', r.horizonSteps, 30, { atol: 5e-9, rtol: 0 });
    expect(r.vanishing, `vanishing with a gap of ${r.gapDecades} decades over lag 50`).toBe(true);
    expect(profileDetector(profile, 20).vanishing, 'two decades over 20 steps is under the 3-decade bar').toBe(false);
  });

  it('should flag an underflow within the lag as vanishing', () => {
    const profile = { log10: [null, -3, -2, -1, 0], underflow: [true, false, false, false, false] };
    const r = profileDetector(profile, 4);
    expect(r, `profile detector: ${JSON.stringify(r)}`).toMatchObject({ underflow: true, vanishing: true, gapDecades: null });
  });
});

describe('per-step shares of ∂L/∂W_hh', () => {
  it('should sum to 1, ignore underflowed steps and locate the mass', () => {
    const s = stepShares({ log10: [null, -2, -1, 0], underflow: [true, false, false, false] });
    expectClose(
      `sum of the shares ${JSON.stringify(s)}`,
      s.reduce((a, b) => a + b, 0),
      1,
      { atol: 5e-13, rtol: 0 },
    );
    expect(s[0], `share of the underflowed step 0: ${s[0]} against 0`).toBe(0);
    const near = meanShareDistance([0, 0, 0, 1]);
    expect(near, `mean share distance of [0, 0, 0, 1]: ${near} against 0`).toBe(0);
    const far = meanShareDistance([1, 0, 0, 0]);
    expect(far, `mean share distance of [1, 0, 0, 0]: ${far} against 3`).toBe(3);
    expectClose('share beyond distance 2 of four equal shares', shareBeyond([0.25, 0.25, 0.25, 0.25], 2), 0.5, { atol: 5e-13, rtol: 0 });
  });
});
