import { describe, expect, it } from 'vitest';
import { DOCUMENT_VANISHING_THRESHOLD, GradientNormDetector, documentDetector, profileDetector } from '../../src/experiments/detector.js';
import { effectiveMemory } from '../../src/experiments/effective-memory.js';
import { detectPlateau, meanShareDistance, shareBeyond, stepShares } from '../../src/experiments/metrics.js';
import type { StepRecord } from '../../src/experiments/train.js';
import { statsOf } from '../../src/probes/param-grads.js';

const stats = (norm: number) => statsOf(new Float32Array([norm]));
const step = (hh: number, ih = 1): StepRecord => ({ loss: 1, gradNorm: 1, params: { weight_ih: stats(ih), weight_hh: stats(hh) } });

describe('plateau detection', () => {
  it('should flag a flat loss and not a loss still falling by more than 1% over the last 20%', () => {
    expect(detectPlateau(new Array(100).fill(0.5)).plateaued).toBe(true);
    const falling = Array.from({ length: 100 }, (_, i) => 1 - 0.005 * i);
    const r = detectPlateau(falling);
    expect(r.plateaued, `relative improvement ${r.relativeImprovement}`).toBe(false);
    expect(r.finalLevel).toBeCloseTo(1 - 0.005 * 97, 10);
    expect(r.onsetStep, 'no onset without a plateau').toBeNull();
  });

  it('should date the plateau at the first update no later one improves on by 1%', () => {
    // Falls linearly for 30 updates, then flat: the 5-update moving average stops falling at update 34.
    const losses = Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 - 0.02 * i : 0.42));
    const r = detectPlateau(losses);
    expect(r.plateaued).toBe(true);
    expect(r.onsetStep).toBeGreaterThanOrEqual(29);
    expect(r.onsetStep).toBeLessThanOrEqual(34);
    expect(detectPlateau(new Array(100).fill(0.5)).onsetStep, 'flat from the start').toBe(4);
  });
});

describe('effective memory', () => {
  it('should be the largest lag up to which every lag is learned by ≥ 2 of 3 seeds', () => {
    const o = (lag: number, ...learned: boolean[]) => learned.map((l) => ({ lag, learned: l }));
    const m = effectiveMemory([...o(5, true, true, true), ...o(10, true, false, true), ...o(20, false, false, true), ...o(50, true, true, false)]);
    expect(m.effectiveLag).toBe(10);
    expect(m.learnedAbove, 'non-monotone lags reported').toEqual([50]);
    expect(effectiveMemory(o(5, true, false, false)).effectiveLag).toBe(0);
  });
});

describe("the document's detector", () => {
  it('should flag exactly the updates whose weight_hh norm is below 1e-7, like check_vanishing', () => {
    const d = new GradientNormDetector();
    expect(d.checkVanishing().vanishing, 'no history').toBe(false);
    d.logGradients(step(1e-3).params);
    expect(d.checkVanishing().vanishing).toBe(false);
    d.logGradients(step(5e-8).params);
    expect(d.checkVanishing()).toMatchObject({ vanishing: true, name: 'weight_hh' });
    const r = documentDetector([step(1e-3), step(5e-8), step(1e-2, 1e-1)]);
    expect(r).toMatchObject({ threshold: DOCUMENT_VANISHING_THRESHOLD, flaggedSteps: 1, firstFlaggedStep: 1, fired: true });
    expect(r.finalHhOverIh).toBeCloseTo(0.1, 6);
  });
});

describe("the project's profile detector", () => {
  it('should recover the decay rate, the gap over the lag and the horizon of a geometric profile', () => {
    // log10‖∂L/∂s_t‖ = −0.1·(T−1−t): a decade every 10 steps.
    const T = 60;
    const profile = { log10: Array.from({ length: T }, (_, t) => -0.1 * (T - 1 - t)), underflow: new Array<boolean>(T).fill(false) };
    const r = profileDetector(profile, 50);
    expect(r.ratePerStep).toBeCloseTo(-0.1, 10);
    expect(r.gapDecades).toBeCloseTo(-5, 10);
    expect(r.horizonSteps).toBeCloseTo(30, 8);
    expect(r.vanishing).toBe(true);
    expect(profileDetector(profile, 20).vanishing, 'two decades over 20 steps is under the 3-decade bar').toBe(false);
  });

  it('should flag an underflow within the lag as vanishing', () => {
    const profile = { log10: [null, -3, -2, -1, 0], underflow: [true, false, false, false, false] };
    expect(profileDetector(profile, 4)).toMatchObject({ underflow: true, vanishing: true, gapDecades: null });
  });
});

describe('per-step shares of ∂L/∂W_hh', () => {
  it('should sum to 1, ignore underflowed steps and locate the mass', () => {
    const s = stepShares({ log10: [null, -2, -1, 0], underflow: [true, false, false, false] });
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(s[0]).toBe(0);
    expect(meanShareDistance([0, 0, 0, 1])).toBe(0);
    expect(meanShareDistance([1, 0, 0, 0])).toBe(3);
    expect(shareBeyond([0.25, 0.25, 0.25, 0.25], 2)).toBeCloseTo(0.5, 12);
  });
});
